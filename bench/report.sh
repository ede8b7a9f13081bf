#!/usr/bin/env bash
# Supervisor report benchmark: one month with 10,000 walk-in visits (tickets, guest books,
# varied waits and answers) and 100,000 SKM responses, the report page rendered through the
# gateway (HTTP -> five gRPC reports in parallel -> SQL aggregates -> SVG charts -> HTML).
# Prints p50/p95 and the page size; asserts nothing.
#   bash bench/report.sh [visits] [responses]   (defaults 10000, 100000)
visits="${1:-10000}"
responses="${2:-100000}"
source "$(dirname "$0")/lib.sh"
start_all

month_from=2026-10-01
month_to=2026-10-31
t0=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d "pst_${id}_visit" <<SQL
CREATE TEMP TABLE g AS
SELECT i, gen_random_uuid() AS tid, gen_random_uuid() AS vid, DATE '$month_from' + (i % 31) AS day,
       ((DATE '$month_from' + (i % 31)) + time '08:00' + make_interval(secs => (i * 37) % 25000)) AT TIME ZONE 'Asia/Jakarta' AS taken,
       30 + (i * 7) % 150 AS gb, CASE WHEN i % 8 = 0 THEN 300 + (i * 13) % 900 ELSE 10 + (i * 11) % 280 END AS wait
FROM generate_series(1, $visits) i;
INSERT INTO tickets (id, office_code, service_day, service_type, prefix, number, seq, status, device, counter, call_count, taken_at, called_at, started_at, finished_at)
SELECT tid, '1674', day, 'perpustakaan', 'P', i, i, 'done', 'bench', CASE WHEN i % 2 = 0 THEN 'L1' ELSE 'L2' END, 1,
       taken, taken + make_interval(secs => gb + wait - 20), taken + make_interval(secs => gb + wait), taken + make_interval(secs => gb + wait + 600)
FROM g;
INSERT INTO visits (id, office_code, service_day, ticket_id, name, sex, age_group, education, occupation, institution_type, purpose, guest_book_at, ended_at)
SELECT vid, '1674', day, tid, 'Pengunjung ' || i, (ARRAY['L','P'])[1 + i % 2], (ARRAY['<20','20-29','30-39','40-49','50-59','60+'])[1 + i % 6],
       (ARRAY['SMA','D1-D3','D4/S1','S2','S3','SMP','SD'])[1 + i % 7], (ARRAY['Mahasiswa','PNS','Peneliti','Guru/dosen','Wiraswasta'])[1 + i % 5],
       'perorangan', (ARRAY['Data kemiskinan','Tugas akhir','Data inflasi','Membaca publikasi','Konsultasi'])[1 + (i / 3) % 5],
       taken + make_interval(secs => gb), taken + make_interval(secs => gb + wait + 600)
FROM g;
ANALYZE tickets; ANALYZE visits;
SQL
psql -q -h 127.0.0.1 -U postgres -d "pst_${id}_feedback" <<SQL
INSERT INTO responses (id, office_code, response_day, visit_id, scores, sex, age_group, education, occupation, fee_asked)
SELECT gen_random_uuid(), '1674', DATE '$month_from' + (g % 31), gen_random_uuid(),
       ARRAY[1 + (g % 4), 2 + (g % 3), 3, 4, 1 + (g % 4), 2 + (g % 3), 3, 4, 2]::smallint[],
       CASE WHEN g % 2 = 0 THEN 'L' ELSE 'P' END, '20-29', 'D4/S1', 'Lainnya', g % 997 = 0
FROM generate_series(1, $responses) g;
ANALYZE responses;
SQL
echo "loaded $visits visits and $responses SKM responses in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

token=$(login supervisor@pst.test)
url="$base/supervisor/laporan?dari=$month_from&sampai=$month_to"
first=$(curl -s -o "$work/report.html" -w '%{time_total} %{http_code}' -H "Cookie: pst_at=$token" "$url")
echo "first request: $first (s, status); page $(wc -c < "$work/report.html") bytes, $(grep -o '<rect' "$work/report.html" | wc -l) bars"
cat > "$work/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  %.1f pages/s  errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.timeout))
end
LUA
echo
echo "== GET the report page for the month, 1 connection, 10 s =="
wrk -t1 -c1 -d10s -s "$work/pct.lua" -H "Cookie: pst_at=$token" "$url" | tail -1
echo "== the same at 4 connections (four supervisors at once), 10 s =="
wrk -t2 -c4 -d10s -s "$work/pct.lua" -H "Cookie: pst_at=$token" "$url" | tail -1
