#!/usr/bin/env bash
# Queue benchmark through the gateway (HTTP → gRPC → Redis Lua + Postgres record):
# tickets issued per second and call-next per second at 50 concurrent clients, with p50 and
# p99, and redis-benchmark running equivalent Lua on the same machine in the same run.
# Prints figures; asserts nothing.   bash bench/visit.sh [seconds]   (default 10)
secs="${1:-10}"
export PST_VISIT__KIOSK_TICKETS_PER_MINUTE=1000000000 PST_DATABASE__MAX_CONNECTIONS=20
source "$(dirname "$0")/lib.sh"
start_all
token=$(login fo@pst.test)

cat > "$work/take.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"service_type":"perpustakaan","device_id":"bench"}'
LUA
cat > "$work/call.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{}'
LUA
summary() { grep -E "^\s+(50|99)%|Requests/sec|Non-2xx|Socket errors"; }

echo "== take a number: POST /api/v1/offices/1674/tickets, 50 connections, ${secs}s =="
wrk -t2 -c50 -d"${secs}s" --latency -s "$work/take.lua" "$base/api/v1/offices/1674/tickets" | summary
waiting=$(curl -s "$base/api/v1/offices/1674/queue" | grep -Eo '"service_type":"perpustakaan","name":"[^"]*","prefix":"P","waiting":[0-9]+' | grep -Eo '[0-9]+$')
echo "(${waiting} tickets waiting in the library line afterwards: every call-next below calls a real ticket)"
echo
echo "== call next: POST /api/v1/offices/1674/counters/L1/call-next, 50 connections, $(( secs / 2 ))s =="
wrk -t2 -c50 -d"$(( secs / 2 ))s" --latency -s "$work/call.lua" "$base/api/v1/offices/1674/counters/L1/call-next" | summary
echo
echo "== redis-benchmark, same machine, 50 clients: the Lua steps alone =="
redis-benchmark -q -c 50 -n 200000 eval "redis.call('INCR', KEYS[1]); return redis.call('INCR', KEYS[2])" 2 "${id}:rb:seq" "${id}:rb:num" | tr '\r' '\n' | tail -1 | sed 's/^/take (2 x INCR in Lua): /'
redis-benchmark -q -c 50 -n 200000 eval "redis.call('ZADD', KEYS[1], 1, 'x'); local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES'); return redis.call('ZREM', KEYS[1], r[1])" 1 "${id}:rb:z" | tr '\r' '\n' | tail -1 | sed 's/^/call-next (ZRANGE+ZREM in Lua): /'
redis-cli del "${id}:rb:seq" "${id}:rb:num" "${id}:rb:z" >/dev/null
