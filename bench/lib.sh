# Shared by the bench scripts: build the release binary, start `pst all --demo` on free
# ports with its own databases and Redis prefix, and stop it on exit. Sets $pst, $work,
# $id, $base (gateway URL) and $pid.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pst-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# PST_BIN=path/to/pst measures a binary already built (e.g. a debug build); say so with the figures.
if [ -n "${PST_BIN:-}" ]; then
  pst="$PST_BIN"
else
  cargo build --release --locked --bin pst -q
  pst="$CARGO_TARGET_DIR/release/pst"
fi
work=$(mktemp -d)
id="bench$(date +%s)"
pids=()
# On exit: stop what was started, and drop the databases this run made (a 1,000,000-row
# catalogue left behind is gigabytes).
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  # KEEP_DATA=1 keeps the databases and the work folder (data, queries) for a closer look.
  if [ "${KEEP_DATA:-0}" = 1 ]; then
    echo "kept: databases pst_${id}_*, folder $work" >&2
    return
  fi
  for db in identity visit catalogue watermark feedback; do
    dropdb -h 127.0.0.1 -U postgres --if-exists "pst_${id}_$db" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
export PST_DATABASE__PREFIX="pst_${id}_" PST_REDIS__PREFIX="${id}:" PST_AUTH__DEV_SECRETS_DIR="$work/secrets" PST_MAIL__OUTBOX_DIR="$work/outbox"
export PST_GATEWAY__ADDR=127.0.0.1:0 PST_SERVICES__IDENTITY_ADDR=127.0.0.1:0 PST_SERVICES__VISIT_ADDR=127.0.0.1:0
export PST_SERVICES__CATALOGUE_ADDR=127.0.0.1:0 PST_SERVICES__WATERMARK_ADDR=127.0.0.1:0 PST_SERVICES__FEEDBACK_ADDR=127.0.0.1:0
export PST_GATEWAY__RATE_LIMIT_PER_MINUTE=1000000000 RUST_LOG=warn

# start_all: runs `pst all --demo` and waits for the gateway (up to START_WAIT seconds,
# default 30: the catalogue builds its search index before it serves, about a minute
# per million publications); sets $pid and $base.
start_all() {
  # A restart's old "siap gateway" line must not be read before the new process truncates
  # the file (it names the old, closed port).
  rm -f "$work/all.out"
  "$pst" all --demo > "$work/all.out" 2>"$work/all.err" & pid=$!
  pids+=("$pid")
  for _ in $(seq 1 $(( ${START_WAIT:-30} * 10 ))); do grep -q "^siap gateway" "$work/all.out" 2>/dev/null && break; sleep 0.1; done
  base="http://$(awk '/^siap gateway/ {print $3}' "$work/all.out")"
}

# login EMAIL: prints an access token for a demo account.
login() {
  curl -s "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"Demo-Pustaka-1674\"}" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
