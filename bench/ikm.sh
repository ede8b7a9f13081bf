#!/usr/bin/env bash
# IKM report benchmark: 100,000 SKM responses in one office-year, report through the
# gateway (HTTP → gRPC → one aggregate query). Prints figures; asserts nothing.
#   bash bench/ikm.sh [responses]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pst-target}"
n="${1:-100000}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --locked --bin pst -q
pst="$CARGO_TARGET_DIR/release/pst"
work=$(mktemp -d)
id="bench$(date +%s)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export PST_DATABASE__PREFIX="pst_${id}_" PST_REDIS__PREFIX="${id}:" PST_AUTH__DEV_SECRETS_DIR="$work/secrets" PST_MAIL__OUTBOX_DIR="$work/outbox"
export PST_GATEWAY__ADDR=127.0.0.1:0 PST_SERVICES__IDENTITY_ADDR=127.0.0.1:0 PST_SERVICES__VISIT_ADDR=127.0.0.1:0
export PST_SERVICES__CATALOGUE_ADDR=127.0.0.1:0 PST_SERVICES__WATERMARK_ADDR=127.0.0.1:0 PST_SERVICES__FEEDBACK_ADDR=127.0.0.1:0
export PST_GATEWAY__RATE_LIMIT_PER_MINUTE=1000000000 RUST_LOG=warn
"$pst" all --demo > "$work/all.out" 2>"$work/all.err" & pid=$!
for _ in $(seq 1 200); do grep -q "^siap gateway" "$work/all.out" 2>/dev/null && break; sleep 0.1; done
base="http://$(awk '/^siap gateway/ {print $3}' "$work/all.out")"

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

token=$(curl -s "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"supervisor@pst.test","password":"Demo-Pustaka-1674"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
url="$base/api/v1/offices/1674/reports/ikm?from=2026-01-01&to=2026-12-31"
echo "first request: $(curl -s -o "$work/ikm.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url") s"
grep -Eo '"respondents":[0-9]+|"converted":[0-9.]+|"grade":"[A-D]"' "$work/ikm.json" | tr '\n' ' '; echo
echo
echo "== GET IKM report for the office-year, 1 connection, 10 s =="
wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $token" "$url" | grep -E "^\s+(50|90|99)%|Requests/sec|Non-2xx"
echo
echo "== the same aggregate in psql, directly =="
psql -h 127.0.0.1 -U postgres -d "$db" -c '\timing on' -c "SELECT count(*), sum(scores[1]), sum(scores[9]) FROM responses WHERE office_code = '1674' AND response_day BETWEEN '2026-01-01' AND '2026-12-31'" | grep -E "Time"
