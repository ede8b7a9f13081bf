-- wrk script of bench/catalogue.sh: cycles through the request paths of one query class
-- (a file, one path a line) and prints latency percentiles, throughput and every kind of
-- failed request.
--   wrk -t2 -c8 -d10s -s bench/catalogue.lua http://127.0.0.1:PORT -- paths.txt 2
-- The arguments after --: the paths file and the number of threads (-t). wrk does not tell
-- a script which connection sends a request, so offsets are per thread: thread i starts
-- at path i * count / threads, and each request of a thread takes the thread's next path,
-- so the connections of a thread (and of different threads) ask different queries at any
-- moment, and every path is asked about equally often.

local threads = {}
local started = 0

function setup(thread)
  thread:set("tid", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  local file = args[1]
  if file == nil then
    error("usage: wrk ... -s catalogue.lua URL -- PATHS_FILE THREADS")
  end
  paths = {}
  for line in io.lines(file) do
    if string.len(line) > 0 then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    error("no request paths in " .. file)
  end
  local nthreads = tonumber(args[2]) or 1
  position = math.floor(tid * #paths / nthreads)
  ok2xx = 0
  err4xx = 0
  err5xx = 0
  other = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  elseif status >= 400 and status < 500 then
    err4xx = err4xx + 1
  elseif status >= 500 then
    err5xx = err5xx + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local n2, n4, n5, no = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    n2 = n2 + (t:get("ok2xx") or 0)
    n4 = n4 + (t:get("err4xx") or 0)
    n5 = n5 + (t:get("err5xx") or 0)
    no = no + (t:get("other") or 0)
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format("  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %.0f req/s  (%d requests in %.1f s)\n",
    ms(50), ms(95), ms(99), latency.max / 1000, summary.requests / secs, summary.requests, secs))
  io.write(string.format("  non-2xx %d (4xx %d, 5xx %d, other %d); wrk errors: timeout %d, status %d, connect %d, read %d, write %d\n",
    n4 + n5 + no, n4, n5, no, e.timeout, e.status, e.connect, e.read, e.write))
  -- One line for the summary table: p50 p95 p99 (ms), req/s, requests, non-2xx, timeouts.
  io.write(string.format("RESULT\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t%d\t%d\n",
    ms(50), ms(95), ms(99), summary.requests / secs, summary.requests, n4 + n5 + no, e.timeout))
end
