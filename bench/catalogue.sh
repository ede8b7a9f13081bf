#!/usr/bin/env bash
# Catalogue search benchmark. Generates a BPS-like catalogue (bench/catalogue_data.py,
# deterministic by seed: 514 offices with their real kabupaten/kota names, ~55 BPS title
# templates, about 8 % English titles, years 2005-2025, abstracts from a varied Indonesian
# statistical vocabulary) and 100 distinct queries in each of six classes, each with its
# correct answer:
#   topic_region   "kemiskinan musi rawas 2021"          -> first hit of that office
#   common_word    "statistik", "penduduk", ...          -> at least one hit
#   title_typos    a whole title with two typos          -> that publication in the top 3
#   fragment_typo  "infasi lubuklinggau"                 -> first hit of that office
#   office_year    office=1671&year_from=2020&year_to=2020 (no q) -> all hits match
#   odd_input      10,000 characters, punctuation, stop words, mixed scripts, one letter,
#                  % and _, quotes and operators           -> HTTP 200 with a page
# Loads it with psql \copy, then per class runs wrk (-t2 -c8) cycling through the class's
# 100 request paths while the librarian of office 1674 imports 10,000 rows of CSV (in as
# many POSTs as the import's 4 MiB / MAX_ROWS limits need), and prints p50/p95/p99, req/s,
# non-2xx and timeouts. Then bench/catalogue_eval.py sends every query once and prints the
# relevance per class beside the naive SQL's (same data, run by psql with \timing).
# Asserts nothing.
#   bash bench/catalogue.sh [publications] [seconds per class] [seed]   (defaults 200000, 10, 1674)
#   PST_BIN=/var/tmp/pst-target/release/pst bash bench/catalogue.sh 20000 3   (a built binary)
#   SEPARATE_CATALOGUE=1 bash bench/catalogue.sh ...   (requests to a `pst catalogue` process of
#   its own, whose RSS is then printed alone)
#   IMPORT_CHUNK_BYTES=1000000 bash bench/catalogue.sh ...   (smaller import requests; the
#   default, 4,000,000 bytes, is the fewest POSTs the gateway's 4 MiB import limit allows)
# Note: every class adds the same 10,000 rows to office 1674, so the relevance pass runs on
# publications + 6 x 10,000 imported rows (the queries' expectations do not depend on them:
# title and office_year targets are never of office 1674, and imported titles are series
# the generated catalogue does not use).
set -euo pipefail
n="${1:-200000}"
secs="${2:-10}"
seed="${3:-1674}"
for v in "$n" "$secs" "$seed"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "usage: bash bench/catalogue.sh [publications] [seconds per class] [seed] (whole numbers; got '$v')" >&2; exit 2; }
done
[ "$n" -ge 1000 ] || { echo "publications: at least 1000" >&2; exit 2; }
[ "$secs" -ge 1 ] || { echo "seconds per class: at least 1" >&2; exit 2; }
for tool in python3 psql curl; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
source "$(dirname "$0")/lib.sh"   # cd to the repository; sets $pst $work $id; wrk installed
classes=(topic_region common_word title_typos fragment_typo office_year odd_input)
threads=2
connections=8

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "load average at start: $(uptime | sed 's/.*load average: //')"
echo "binary: $pst"
start_all
if [ "$base" = "http://" ]; then
  echo "the gateway did not start within 30 s; pst all said:" >&2
  tail -20 "$work/all.err" >&2 || true
  exit 1
fi
db="pst_${id}_catalogue"
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$db" "$@"; }
for _ in $(seq 1 100); do
  psql_db -Atc "SELECT 1 FROM publications LIMIT 0" >/dev/null 2>&1 && break
  sleep 0.3
done
psql_db -Atc "SELECT 1 FROM publications LIMIT 0" >/dev/null || { echo "no publications table in $db" >&2; exit 1; }
echo "gateway $base, catalogue database $db"

t0=$(now)
python3 bench/catalogue_data.py --n "$n" --seed "$seed" --out "$work/data" \
  --chunk-bytes "${IMPORT_CHUNK_BYTES:-4000000}" | sed 's/^/  /'
echo "generated in $(since "$t0") s (seed $seed)"

before=$(psql_db -Atc "SELECT count(*) FROM publications")
t0=$(now)
# The columns of catalogue_data.py's COPY_COLUMNS.
psql_db -c "\\copy publications (id, office_code, title, subtitle, subject, subject_group, language, year_from, year_to, abstract, keywords, keywords_text, access_level, has_printed) FROM '$work/data/publications.copy'"
copied=$(since "$t0")
t1=$(now)
psql_db -c "VACUUM ANALYZE publications" -c "VACUUM ANALYZE vocabulary"
after=$(psql_db -Atc "SELECT count(*) FROM publications")
words=$(psql_db -Atc "SELECT count(*) FROM vocabulary")
echo "loaded $n publications in $(since "$t0") s (\\copy with indexes and the vocabulary trigger $copied s, VACUUM ANALYZE $(since "$t1") s); the catalogue holds $after (of which $before from before: the demo's), vocabulary $words words"

# A replica starts by building its search index from the table: restart, and time it.
kill "$pid"; wait "$pid" 2>/dev/null || true
unset 'pids[-1]'
t0=$(now)
START_WAIT=600 start_all
if [ "$base" = "http://" ]; then
  echo "pst all did not come back within 600 s; it said:" >&2
  tail -20 "$work/all.err" >&2 || true
  exit 1
fi
echo "restarted with $after publications: gateway ready in $(since "$t0") s (the catalogue's search index is built before it serves); RSS $(rss_kb "$pid") kB"

# SEPARATE_CATALOGUE=1: every request goes to a catalogue process of its own (`pst
# catalogue`, behind its own `pst gateway`), so its memory is measured alone.
cpid=""
if [ "${SEPARATE_CATALOGUE:-0}" = 1 ]; then
  cport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  t0=$(now)
  PST_SERVICES__CATALOGUE_ADDR="127.0.0.1:$cport" "$pst" catalogue > "$work/cat.out" 2> "$work/cat.err" & cpid=$!
  pids+=("$cpid")
  for _ in $(seq 1 6000); do grep -q "^siap catalogue" "$work/cat.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "^siap catalogue" "$work/cat.out" || { echo "pst catalogue did not start:" >&2; tail -5 "$work/cat.err" >&2; exit 1; }
  echo "catalogue process of its own ready in $(since "$t0") s; RSS $(rss_kb "$cpid") kB"
  url() { echo "http://$(awk -v n="$1" '$1 == "siap" && $2 == n {print $3}' "$work/all.out")"; }
  PST_SERVICES__CATALOGUE_URL="http://127.0.0.1:$cport" PST_SERVICES__IDENTITY_URL="$(url identity)" \
    PST_SERVICES__VISIT_URL="$(url visit)" PST_SERVICES__WATERMARK_URL="$(url watermark)" \
    PST_SERVICES__FEEDBACK_URL="$(url feedback)" "$pst" gateway > "$work/gw.out" 2> "$work/gw.err" & gpid=$!
  pids+=("$gpid")
  for _ in $(seq 1 300); do grep -q "^siap gateway" "$work/gw.out" 2>/dev/null && break; sleep 0.1; done
  base="http://$(awk '/^siap gateway/ {print $3}' "$work/gw.out")"
  [ "$base" != "http://" ] || { echo "the second gateway did not start:" >&2; tail -5 "$work/gw.err" >&2; exit 1; }
  echo "requests go to gateway $base -> catalogue 127.0.0.1:$cport"
fi

# The vocabulary that corrects typos is cached by the catalogue; a search now (re)loads it.
python3 bench/catalogue_eval.py --base "$base" --queries "$work/data/queries.json" --warmup | sed 's/^/  /'

chunks=("$work"/data/import_[0-9]*.csv)
# import_all TOKEN: posts every chunk in turn (partial=true), one line per chunk, then the total.
import_all() {
  local token="$1" t0 f out code took imported rowerr total=0
  t0=$(now)
  for f in "${chunks[@]}"; do
    out=$(curl -s --max-time 300 -o "$work/import.resp" -w '%{http_code} %{time_total}' -X POST \
      "$base/api/v1/publications/import?partial=true" -H "authorization: Bearer $token" \
      -H 'content-type: text/csv' --data-binary "@$f") || out="000 0"
    code=${out% *}
    took=${out#* }
    imported=$(grep -o '"imported":[0-9]*' "$work/import.resp" 2>/dev/null | head -1 | cut -d: -f2 || true)
    rowerr=$(grep -o '"field":"rows\[' "$work/import.resp" 2>/dev/null | wc -l || true)
    total=$((total + ${imported:-0}))
    echo "    $(basename "$f") ($(wc -c < "$f") bytes): HTTP $code in ${took} s, imported ${imported:-none}, row errors $rowerr"
    if [ "$code" != 200 ]; then echo "      answer: $(head -c 300 "$work/import.resp" 2>/dev/null)"; fi
  done
  echo "    import total: $total rows in $(since "$t0") s"
}

cp bench/catalogue.lua "$work/catalogue.lua"
: > "$work/wrk.tsv"
for cls in "${classes[@]}"; do
  echo
  echo "== $cls: wrk -t$threads -c$connections -d${secs}s over $(wc -l < "$work/data/paths_$cls.txt") paths, e.g. $(head -1 "$work/data/paths_$cls.txt" | cut -c1-160) =="
  token=$(login pustakawan@pst.test) || token=""
  if ! [[ "$token" =~ ^[A-Za-z0-9._~+/=-]+$ ]]; then
    echo "login of pustakawan@pst.test failed: ${token:0:300}" >&2
    exit 1
  fi
  import_all "$token" > "$work/import_$cls.log" 2>&1 &
  ipid=$!
  pids+=("$ipid")
  t_import=$(now)
  if ! wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 10s -s "$work/catalogue.lua" "$base" \
      -- "$work/data/paths_$cls.txt" "$threads" > "$work/wrk_$cls.out" 2>&1; then
    echo "wrk failed:" >&2
    cat "$work/wrk_$cls.out" >&2
    exit 1
  fi
  wrk_took=$(since "$t_import")
  if kill -0 "$ipid" 2>/dev/null; then
    running="still running when wrk stopped (wrk ran ${wrk_took} s)"
  else
    running="finished while wrk ran (wrk ran ${wrk_took} s)"
  fi
  wait "$ipid" || true
  unset 'pids[-1]'   # reaped: the exit trap must not signal a pid the system may reuse
  grep -E '^  (p50|non-2xx)' "$work/wrk_$cls.out" || { echo "no figures from wrk:" >&2; cat "$work/wrk_$cls.out" >&2; exit 1; }
  grep '^RESULT' "$work/wrk_$cls.out" | sed "s/^/$cls\t/" >> "$work/wrk.tsv"
  echo "  concurrent import of ${#chunks[@]} chunk(s) by the librarian of 1674, started with wrk; $running:"
  cat "$work/import_$cls.log"
done

echo
# NAIVE_PASSES=0 skips the naive SQL (at 1,000,000 publications its trigram class alone
# takes many minutes); 1 measures a single cold-ish pass.
naive_args=(--db "$db" --naive-passes "${NAIVE_PASSES:-2}")
[ "${NAIVE_PASSES:-2}" = 0 ] && naive_args=()
python3 bench/catalogue_eval.py --base "$base" --queries "$work/data/queries.json" "${naive_args[@]}" --wrk "$work/wrk.tsv"
echo
echo "catalogue now holds $(psql_db -Atc "SELECT count(*) FROM publications") publications"
echo "pst all (gateway and every service in one process) RSS after the run: $(rss_kb "$pid") kB"
if [ -n "$cpid" ]; then
  echo "the catalogue process alone after the run: RSS $(rss_kb "$cpid") kB, peak (VmHWM) $(awk '/VmHWM/ {print $2}' "/proc/$cpid/status") kB"
fi
echo "load average at end: $(uptime | sed 's/.*load average: //')"
