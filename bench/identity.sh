#!/usr/bin/env bash
# Identity/gateway benchmark: idle RSS of each component and of `pst all`, and latency of
# POST /api/v1/auth/login and GET /api/v1/me through the gateway under a short local load
# (wrk, from Debian's `wrk` package). Prints figures; asserts nothing.
#   bash bench/identity.sh [seconds]   (default 10 s per route)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pst-target}"
secs="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --locked --bin pst -q
pst="$CARGO_TARGET_DIR/release/pst"
work=$(mktemp -d)
id="bench$(date +%s)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

export PST_DATABASE__PREFIX="pst_${id}_" PST_AUTH__DEV_SECRETS_DIR="$work/secrets" PST_MAIL__OUTBOX_DIR="$work/outbox"
export PST_GATEWAY__ADDR=127.0.0.1:0 PST_SERVICES__IDENTITY_ADDR=127.0.0.1:0 PST_SERVICES__VISIT_ADDR=127.0.0.1:0
export PST_SERVICES__CATALOGUE_ADDR=127.0.0.1:0 PST_SERVICES__WATERMARK_ADDR=127.0.0.1:0 PST_SERVICES__FEEDBACK_ADDR=127.0.0.1:0
export PST_GATEWAY__RATE_LIMIT_PER_MINUTE=100000000 RUST_LOG=warn

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Idle RSS: each component alone, then all in one process.
"$pst" all --demo > "$work/all.out" 2>"$work/all.err" & pids+=($!); allpid=$!
for _ in $(seq 1 100); do grep -q "^siap gateway" "$work/all.out" 2>/dev/null && break; sleep 0.1; done
echo "== idle RSS (after 2 s idle) =="
for c in identity visit catalogue watermark feedback gateway; do
  "$pst" "$c" > "$work/$c.out" 2>/dev/null & pids+=($!); p=$!
  for _ in $(seq 1 100); do grep -q "^siap $c" "$work/$c.out" 2>/dev/null && break; sleep 0.1; done
  sleep 2; printf '%-10s %6d KiB\n' "$c" "$(rss_kb "$p")"
done
sleep 1; printf '%-10s %6d KiB\n' "pst all" "$(rss_kb "$allpid")"

gw=$(awk '/^siap gateway/ {print $3}' "$work/all.out")
base="http://$gw"
cat > "$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"fo@pst.test","password":"Demo-Pustaka-1674"}'
LUA
token=$(curl -s "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"fo@pst.test","password":"Demo-Pustaka-1674"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
echo
echo "== POST /api/v1/auth/login (argon2id verify per request), 2 threads, 4 connections, ${secs}s =="
wrk -t2 -c4 -d"${secs}s" --latency -s "$work/login.lua" "$base/api/v1/auth/login" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
printf '%-10s %6d KiB (after login load)\n' "pst all" "$(rss_kb "$allpid")"
echo
echo "== GET /api/v1/me, 2 threads, 16 connections, ${secs}s =="
wrk -t2 -c16 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$base/api/v1/me" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
printf '\n%-10s %6d KiB (after load)\n' "pst all" "$(rss_kb "$allpid")"
