#!/usr/bin/env bash
# Cold film pages (page cache off) under wrk, against Datasette's row page of the same SQLite file,
# in one run (issue 20). Optionally a second checkout's server on its own copy of the store (BASE_SRC,
# BASE_DB) for a before/after in the same run.
#
#   DB=/tmp/store.db bench/bench_cold_web.sh
#   DB=/tmp/store.db BASE_SRC=/work/main/src BASE_DB=/tmp/store-0019.db DURATION=10s bench/bench_cold_web.sh
#
# Needs: wrk (apt-get install wrk); PY, a Python with Marquee's dependencies (default: .venv/bin/python);
# DS_PY, a Python with datasette (bench-only: python3 -m venv /tmp/ds && /tmp/ds/bin/pip install datasette).
# Paths: 20,000 titles drawn at random (bench/out/cold-paths-*.txt), so nearly every request is a page
# never rendered before; "cached" is the most voted title with the page cache on.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DB=${DB:?DB=path/to/a/store.db}
PY=${PY:-$ROOT/.venv/bin/python}
DS_PY=${DS_PY:-/tmp/ds/bin/python}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-8821}
OUT=$ROOT/bench/out
mkdir -p "$OUT"

"$PY" - "$DB" "$OUT" <<'PYEOF'
import random, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db)
rows = conn.execute("SELECT title_key, title_id FROM titles").fetchall()
sample = random.Random(7).sample(rows, min(20000, len(rows)))
name = db.rsplit("/", 1)[1][:-3]
open(f"{out}/cold-paths-film.txt", "w").writelines(f"/title/{t}\n" for _, t in sample)
open(f"{out}/cold-paths-ds.txt", "w").writelines(f"/{name}/titles/{i}\n" for i, _ in sample)
popular = conn.execute(
    "SELECT t.title_id FROM titles t JOIN imdb_ratings r ON r.title_key = t.title_key ORDER BY r.votes DESC LIMIT 1"
).fetchone()
open(f"{out}/cold-popular.txt", "w").write(popular[0] + "\n")
PYEOF
POPULAR=$(cat "$OUT/cold-popular.txt")

cpu_ticks() {  # CPU clock ticks of a process and its children (uvicorn's workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

run_wrk() {  # label url [paths]
  local before after line cpu
  before=$(cpu_ticks "$SERVER_PID")
  line=$(PATHS=${3:-} wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/bench_web.lua" "$2" \
    | grep '^RESULT ' | sed 's/^RESULT //')
  after=$(cpu_ticks "$SERVER_PID")
  cpu=$(awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / hz}')
  requests=$(echo "$line" | sed 's/.*"requests": \([0-9]*\).*/\1/')
  per_page=$(awk -v c="$cpu" -v n="$requests" 'BEGIN {printf "%.3f", n ? c * 1000 / n : 0}')
  echo "$1 $line server_cpu_s=$cpu cpu_ms_per_page=$per_page load=$(cut -d' ' -f1 /proc/loadavg)"
}

wait_http() {
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}

serve() {  # src db workers cache_size
  PYTHONPATH=$1 MARQUEE_DATABASE_URL="sqlite:///$2" MARQUEE_WEB_PAGE_CACHE_SIZE=$4 \
    "$PY" -m uvicorn marquee.web.app:create_app --factory --host 127.0.0.1 --port "$PORT" --workers "$3" \
    --loop uvloop --http httptools --no-access-log --log-level warning &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/title/$POPULAR"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

B=http://127.0.0.1:$PORT
echo "== $(date -u +%FT%TZ) db=$DB duration=$DURATION connections=$CONNECTIONS load=$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASE_SRC:-}" ]; then
  for WORKERS in 1 2; do
    serve "$BASE_SRC" "${BASE_DB:-$DB}" "$WORKERS" 0
    run_wrk "base-w$WORKERS cold-film" "$B/" "$OUT/cold-paths-film.txt"
    stop "$SERVER_PID"
  done
fi
for WORKERS in 1 2; do
  serve "$ROOT/src" "$DB" "$WORKERS" 0
  run_wrk "marquee-w$WORKERS cold-film" "$B/" "$OUT/cold-paths-film.txt"
  stop "$SERVER_PID"
done
serve "$ROOT/src" "$DB" 1 2048
run_wrk "marquee-w1 cached-film" "$B/title/$POPULAR"
stop "$SERVER_PID"

NAME=$(basename "$DB" .db)
"$DS_PY" -m datasette serve -i "$DB" --host 127.0.0.1 --port "$PORT" >/dev/null 2>&1 &
SERVER_PID=$!
wait_http "$B/$NAME/titles/1"
run_wrk "datasette row-random" "$B/" "$OUT/cold-paths-ds.txt"
stop "$SERVER_PID"
