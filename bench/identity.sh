#!/usr/bin/env bash
# Identity/gateway benchmark: idle RSS of each component and of `pst all`, and latency of
# POST /api/v1/auth/login and GET /api/v1/me through the gateway under a short local load
# (wrk, from Debian's `wrk` package). Prints figures; asserts nothing.
#   bash bench/identity.sh [seconds]   (default 10 s per route)
secs="${1:-10}"
source "$(dirname "$0")/lib.sh"

# Idle RSS: each component alone, then all in one process.
start_all; allpid=$pid
echo "== idle RSS (after 2 s idle) =="
for c in identity visit catalogue watermark feedback gateway; do
  "$pst" "$c" > "$work/$c.out" 2>/dev/null & pids+=($!); p=$!
  for _ in $(seq 1 100); do grep -q "^siap $c" "$work/$c.out" 2>/dev/null && break; sleep 0.1; done
  sleep 2; printf '%-10s %6d KiB\n' "$c" "$(rss_kb "$p")"
done
sleep 1; printf '%-10s %6d KiB\n' "pst all" "$(rss_kb "$allpid")"

cat > "$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"fo@pst.test","password":"Demo-Pustaka-1674"}'
LUA
token=$(login fo@pst.test)
echo
echo "== POST /api/v1/auth/login (argon2id verify per request), 2 threads, 4 connections, ${secs}s =="
wrk -t2 -c4 -d"${secs}s" --latency -s "$work/login.lua" "$base/api/v1/auth/login" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
printf '%-10s %6d KiB (after login load)\n' "pst all" "$(rss_kb "$allpid")"
echo
echo "== GET /api/v1/me, 2 threads, 16 connections, ${secs}s =="
wrk -t2 -c16 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$base/api/v1/me" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
printf '\n%-10s %6d KiB (after load)\n' "pst all" "$(rss_kb "$allpid")"
