#!/usr/bin/env bash
# Authenticated manifest revalidation (304) through gunicorn, against a bare Flask endpoint in
# the same gunicorn configuration, under wrk on loopback. Bounded: two runs of DURATION seconds.
#   bash bench/manifest_http.sh            # 15 s each, 32 connections
#   DURATION=5 bash bench/manifest_http.sh # shorter
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 2; }
PY=${PYTHON:-python}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
WORKERS=${WORKERS:-4}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A demo deployment; the first board's token and current ETag drive the load.
"$PY" - "$work/data" >"$work/board.env" <<'PYEOF'
import sys
from signage import demo
from signage.bootstrap import open_runtime
from signage.jobs import tasks
runtime = open_runtime(sys.argv[1])
with runtime.db.transaction() as session:
    seeded = demo.seed(session, runtime.store)
tasks.refresh_manifests(runtime)
print(f"TOKEN={seeded[0][1]}")
PYEOF
source "$work/board.env"

app_port=$(free_port); bare_port=$(free_port)
conf=$("$PY" -c 'import signage.gunicorn_conf as c; print(c.__file__)')
SIGNAGE_DATA_DIR="$work/data" "$PY" -m gunicorn -c "$conf" --workers "$WORKERS" \
  --bind "127.0.0.1:$app_port" signage.wsgi:app 2>"$work/app.log" & pids+=($!)
"$PY" -m gunicorn -c "$conf" --workers "$WORKERS" --chdir bench --bind "127.0.0.1:$bare_port" \
  bare_app:app 2>"$work/bare.log" & pids+=($!)
for port in "$app_port" "$bare_port"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

etag=$(curl -s -D - -o /dev/null -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$app_port/api/v1/player/manifest" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H "If-None-Match: $etag" "http://127.0.0.1:$app_port/api/v1/player/manifest")
[ "$status" = 304 ] || { echo "expected 304 from the manifest, got $status" >&2; exit 1; }

cat >"$work/manifest.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["If-None-Match"] = '$etag'
LUA

run() { # name url [script]
  local out="$work/$1.txt"
  wrk --latency -t2 -c"$CONNECTIONS" -d"${DURATION}s" ${3:+-s "$3"} "$2" >"$out"
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' "$out")
  p99=$(awk '$1=="99%"{print $2}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx/{print $5}' "$out")
  printf '%-34s %10s req/s   p99 %8s   errors %s\n' "$1" "$rps" "$p99" "${non2xx:-0}"
  echo "$rps" >"$work/$1.rps"
}
echo "gunicorn: $WORKERS workers (gthread), wrk: 2 threads, $CONNECTIONS connections, ${DURATION}s each, loopback"
run "bare Flask 304" "http://127.0.0.1:$bare_port/bare"
run "manifest 304 (board token + ETag)" "http://127.0.0.1:$app_port/api/v1/player/manifest" "$work/manifest.lua"
"$PY" -c "import sys; a, b = (float(open(p).read()) for p in sys.argv[1:]); print(f'ratio manifest/bare: {a / b:.2f} (target >= 0.80)')" \
  "$work/manifest 304 (board token + ETag).rps" "$work/bare Flask 304.rps"
