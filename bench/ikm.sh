#!/usr/bin/env bash
# IKM report benchmark: 100,000 SKM responses in one office-year, report through the
# gateway (HTTP → gRPC → one aggregate query). Prints figures; asserts nothing.
#   bash bench/ikm.sh [responses]   (default 100000)
n="${1:-100000}"
source "$(dirname "$0")/lib.sh"
start_all

db="pst_${id}_feedback"
t0=$(date +%s.%N)
psql -q -h 127.0.0.1 -U postgres -d "$db" <<SQL
INSERT INTO responses (id, office_code, response_day, visit_id, scores, sex, age_group, education, occupation, fee_asked)
SELECT gen_random_uuid(), '1674', DATE '2026-01-01' + (g % 365),  gen_random_uuid(),
       ARRAY[1 + (g % 4), 2 + (g % 3), 3, 4, 1 + (g % 4), 2 + (g % 3), 3, 4, 2]::smallint[],
       CASE WHEN g % 2 = 0 THEN 'L' ELSE 'P' END, '20-29', 'D4/S1', 'Lainnya', g % 997 = 0
FROM generate_series(1, $n) g;
ANALYZE responses;
SQL
echo "loaded $n responses in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

token=$(login supervisor@pst.test)
url="$base/api/v1/offices/1674/reports/ikm?from=2026-01-01&to=2026-12-31"
echo "first request: $(curl -s -o "$work/ikm.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url") s"
grep -Eo '"respondents":[0-9]+|"converted":[0-9.]+|"grade":"[A-D]"' "$work/ikm.json" | tr '\n' ' '; echo
echo
echo "== GET IKM report for the office-year, 1 connection, 10 s =="
wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $token" "$url" | grep -E "^\s+(50|90|99)%|Requests/sec|Non-2xx"
echo
echo "== the same aggregate in psql, directly (the service's query) =="
psql -h 127.0.0.1 -U postgres -d "$db" -c '\timing on' -c "SELECT count(*), ARRAY[sum(scores[1]), sum(scores[2]), sum(scores[3]), sum(scores[4]), sum(scores[5]), sum(scores[6]), sum(scores[7]), sum(scores[8]), sum(scores[9])], count(*) FILTER (WHERE fee_asked), count(*) FILTER (WHERE gratuity_offered), count(*) FILTER (WHERE favour_asked), count(*) FILTER (WHERE discrimination) FROM responses WHERE office_code = '1674' AND response_day BETWEEN '2026-01-01' AND '2026-12-31'" | grep -E "Time"
