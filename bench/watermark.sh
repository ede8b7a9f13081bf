#!/usr/bin/env bash
# Stamped-download benchmark: a generated 300-page, ~15 MB text+table+image PDF is uploaded,
# then downloaded stamped through the gateway at 8 connections (every download a new id,
# logged in Postgres). Beside it, in the same run: `qpdf --overlay` stamping the same file
# with a one-page stamp, and a plain `cp`. Both delivery modes of the gateway are measured
# (direct first). Prints documents/s, p50/p99 and the peak RSS of
# the watermark service and of the gateway (each component runs as its own process, as on
# Kubernetes); asserts nothing.
#   bash bench/watermark.sh [seconds] [image bytes per page]   (defaults 10, 50000: ~15 MB)
secs="${1:-10}"
image_bytes="${2:-50000}"
source "$(dirname "$0")/lib.sh"
command -v qpdf >/dev/null || { apt-get update -qq && apt-get install -y -qq qpdf; }
# Each component its own process (as on Kubernetes), so RSS is read per component.
port=$((20000 + RANDOM % 20000))
export PST_DEMO=true PST_GATEWAY__ADDR=127.0.0.1:$port PST_WATERMARK__STORAGE_DIR="$work/documents"
declare -A cpid
for c in identity visit catalogue watermark feedback; do
  port=$((port + 1))
  up=$(echo "$c" | tr a-z A-Z)
  export "PST_SERVICES__${up}_ADDR=127.0.0.1:$port" "PST_SERVICES__${up}_URL=http://127.0.0.1:$port"
done
# Two gateways in front of the same services: one reading the stored originals itself
# (document_delivery = direct, the default of `pst all`), one having the watermark service
# stream every byte over gRPC (stream: a gateway without access to document storage).
stream_addr=127.0.0.1:$((port + 1))
for c in identity visit catalogue watermark feedback gateway gateway-stream; do
  case $c in
    gateway) set -- env PST_GATEWAY__DOCUMENT_DELIVERY=direct "$pst" gateway ;;
    gateway-stream) set -- env PST_GATEWAY__ADDR=$stream_addr PST_GATEWAY__DOCUMENT_DELIVERY=stream "$pst" gateway ;;
    *) set -- "$pst" "$c" ;;
  esac
  "$@" > "$work/$c.out" 2>"$work/$c.err" & cpid[$c]=$!
  pids+=("${cpid[$c]}")
  for _ in $(seq 1 300); do grep -q "^siap" "$work/$c.out" 2>/dev/null && break; sleep 0.1; done
done
pid=${cpid[watermark]}
gw=${cpid[gateway]}
gws=${cpid[gateway-stream]}
base="http://$PST_GATEWAY__ADDR"
stream_base="http://$stream_addr"
for b in "$base" "$stream_base"; do
  for _ in $(seq 1 100); do curl -sf "$b/readyz" >/dev/null && break; sleep 0.1; done
done
"$pst" sample-pdf "$work/doc.pdf" --pages 300 --image-bytes "$image_bytes"
lib=$(login pustakawan@pst.test)
pub=$(curl -s "$base/api/v1/publications" -H "authorization: Bearer $lib" -H 'content-type: application/json' \
  -d '{"office_code":"1674","title":"Kota Lubuklinggau Dalam Angka 2024 (softcopy uji)","subject":"kependudukan","language":"id","year_from":2023,"year_to":2023,"access_level":"public"}' \
  | sed -E 's/^\{"id":"([^"]+)".*/\1/')
t0=$(date +%s%N)
curl -s -o "$work/up.json" -w "upload: HTTP %{http_code} " "$base/api/v1/publications/$pub/document" \
  -H "authorization: Bearer $lib" -H 'content-type: application/pdf' --data-binary "@$work/doc.pdf"
echo "in $(( ($(date +%s%N) - t0) / 1000000 )) ms (validation, hashing, analysis, storage): $(cat "$work/up.json")"
tok=$(login fo@pst.test)

cat > "$work/dl.lua" <<LUA
wrk.headers["authorization"] = "Bearer $tok"
done = function(summary, latency, requests)
  io.write(string.format("  %.1f downloads/s  p50 %.1f ms  p99 %.1f ms  (%d downloads, %.0f MB/s)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.bytes / (summary.duration / 1e6) / 1e6))
end
LUA
curl -s -o "$work/one.pdf" -H "authorization: Bearer $tok" "$base/api/v1/publications/$pub/download"
echo "one stamped copy: $(stat -c %s "$work/one.pdf") bytes (original $(stat -c %s "$work/doc.pdf")); qpdf --check: $(qpdf --check "$work/one.pdf" >/dev/null 2>&1 && echo ok || echo FAILED)"
rss_before=$(rss_kb "$pid"); gw_before=$(rss_kb "$gw"); gws_before=$(rss_kb "$gws")
# Peak RSS is the kernel's high-water mark (VmHWM), read after the runs: no sampler
# process competing for the two cores.
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
echo "== pst: one download at a time (per-download latency), ${secs}s =="
wrk -t1 -c1 -d"${secs}s" --timeout 10s -s "$work/dl.lua" "$base/api/v1/publications/$pub/download" | tail -1
echo "== pst: stamped downloads through the gateway, 8 connections, ${secs}s =="
wrk -t2 -c8 -d"${secs}s" --timeout 10s -s "$work/dl.lua" "$base/api/v1/publications/$pub/download" | tail -1
peak=$(hwm_kb "$pid")
gw_peak=$(hwm_kb "$gw")
echo "  RSS watermark service: idle $((rss_before / 1024)) MiB, peak $((peak / 1024)) MiB; gateway: idle $((gw_before / 1024)) MiB, peak $((gw_peak / 1024)) MiB"
# The peak of the stream run alone: reset the watermark service's high-water mark.
echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || echo "  (could not reset the peak RSS: the watermark peak below covers both runs)"
echo "== pst, document_delivery = stream (every byte over gRPC): one at a time, then 8 connections, ${secs}s each =="
wrk -t1 -c1 -d"${secs}s" --timeout 10s -s "$work/dl.lua" "$stream_base/api/v1/publications/$pub/download" | tail -1
wrk -t2 -c8 -d"${secs}s" --timeout 10s -s "$work/dl.lua" "$stream_base/api/v1/publications/$pub/download" | tail -1
echo "  RSS watermark service: peak $(($(hwm_kb "$pid") / 1024)) MiB; streaming gateway: idle $((gws_before / 1024)) MiB, peak $(($(hwm_kb "$gws") / 1024)) MiB"

echo "== qpdf --overlay (same file, one-page stamp), sequential =="
"$pst" sample-pdf "$work/stamp.pdf" --pages 1 --image-bytes 0 >/dev/null
n=10
t0=$(date +%s%N)
for i in $(seq 1 $n); do qpdf "$work/doc.pdf" --overlay "$work/stamp.pdf" --repeat=1 -- "$work/q$i.pdf"; done
ms=$(( ($(date +%s%N) - t0) / 1000000 / n ))
echo "  qpdf: $ms ms per document (one core), ~$(awk "BEGIN { printf \"%.1f\", 2000 / ($ms > 0 ? $ms : 1) }") documents/s with both cores"
echo "== cp (plain copy of the same file) =="
t0=$(date +%s%N)
for i in $(seq 1 $n); do cp "$work/doc.pdf" "$work/c$i.pdf"; done
echo "  cp: $(( ($(date +%s%N) - t0) / 1000000 / n )) ms per copy"
