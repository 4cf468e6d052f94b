#!/usr/bin/env bash
# Speed of the site under wrk (64 connections, loopback, a second process), against Datasette
# serving a row page of the same SQLite file in the same run.
#
#   bench/bench_web.sh                # 100,000 synthetic titles (IMDb-format files -> import)
#   TITLES=20000 DURATION=10s bench/bench_web.sh
#   DB=bench/out/web-direct-100000.db bench/bench_web.sh   # an existing store
#
# Needs: wrk (apt-get install wrk), and BENCH_VENV (default /tmp/bench-venv), a venv with
# Marquee's dependencies plus uvloop, httptools and datasette; those three are bench-only, not
# project dependencies. Create it with:
#   python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install fastapi uvicorn jinja2 \
#     sqlalchemy alembic pydantic orjson 'psycopg[binary]' typer rich python-multipart nh3 \
#     argon2-cffi markdown-it-py uvloop httptools datasette
# Results: one RESULT line per run, and bench/out/web-results.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TITLES=${TITLES:-100000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
OUT=$ROOT/bench/out
DB=${DB:-$OUT/web-$TITLES.db}  # or DB=path/to/an/existing/store.db
VENV=${BENCH_VENV:-/tmp/bench-venv}
PY=$VENV/bin/python
PORT=${PORT:-8811}
DS_PORT=${DS_PORT:-8812}
RESULTS=$OUT/web-results.jsonl
mkdir -p "$OUT"
export PYTHONPATH=$ROOT/src

if [ ! -f "$DB" ]; then
  echo "== building a store of $TITLES synthetic titles"
  [ -d "$OUT/imdb-$TITLES" ] || python3 "$ROOT/../shared/bench/gen_imdb_tsv.py" --titles "$TITLES" --out "$OUT/imdb-$TITLES"
  "$PY" - "$DB" "$OUT/imdb-$TITLES" <<'EOF'
import sys, time
from pathlib import Path
from marquee.storage import open_store
from marquee.services.imdb_import import import_imdb_datasets
store = open_store(f"sqlite:///{sys.argv[1]}")
started = time.perf_counter()
print(import_imdb_datasets(store, Path(sys.argv[2])), f"{time.perf_counter() - started:.1f} s")
store.close()
EOF
fi

# Paths: random films (and their JSON twins, Datasette rows), a popular film, searches.
"$PY" - "$DB" "$OUT" <<'EOF'
import random, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(db)
rows = conn.execute("SELECT title_key, title_id FROM titles").fetchall()
rng = random.Random(7)
sample = rng.sample(rows, min(20000, len(rows)))
words = [w for (t,) in conn.execute("SELECT primary_title FROM titles LIMIT 5000") for w in t.split() if len(w) > 3]
with open(f"{out}/paths-film.txt", "w") as f:
    f.writelines(f"/title/{t}\n" for _, t in sample)
with open(f"{out}/paths-json.txt", "w") as f:
    f.writelines(f"/title/{t}.json\n" for _, t in sample)
with open(f"{out}/paths-ds-row.txt", "w") as f:
    f.writelines(f"/{db.rsplit('/', 1)[1][:-3]}/titles/{i}\n" for i, _ in sample)
with open(f"{out}/paths-search.txt", "w") as f:
    f.writelines(f"/search?q={w}\n" for w in rng.sample(words, min(2000, len(words))))
popular = conn.execute(
    "SELECT t.title_key, t.title_id FROM titles t JOIN imdb_ratings r ON r.title_key = t.title_key ORDER BY r.votes DESC LIMIT 1"
).fetchone()
open(f"{out}/popular.txt", "w").write(f"{popular[0]} {popular[1]}\n")
EOF
read -r POP_ROW POP_ID < "$OUT/popular.txt"
DB_NAME=$(basename "$DB" .db)

cpu_ticks() {  # pid: CPU time (clock ticks) of the process and its children (uvicorn workers)
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

run_wrk() {  # label url [paths-file]; needs $SERVER_PID
  local label=$1 url=$2 paths=${3:-}
  local line before after cpu requests
  before=$(cpu_ticks "$SERVER_PID")
  line=$(PATHS=$paths wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/bench_web.lua" "$url" \
    | grep '^RESULT ' | sed 's/^RESULT //')
  after=$(cpu_ticks "$SERVER_PID")
  cpu=$(awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", (b - a) / hz}')
  requests=$(echo "$line" | sed 's/.*"requests": \([0-9]*\).*/\1/')
  # Requests per CPU-second of the server: its own cost, whatever else the machine is doing.
  per_cpu=$(awk -v r="$requests" -v c="$cpu" 'BEGIN {printf "%.0f", (c > 0 ? r / c : 0)}')
  echo "$label $line server_cpu_s=$cpu requests_per_cpu_s=$per_cpu load=$(cut -d' ' -f1 /proc/loadavg)"
  echo "{\"label\": \"$label\", \"titles\": $TITLES, \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"server_cpu_s\": $cpu, \"requests_per_cpu_s\": $per_cpu, \"wrk\": $line}" >> "$RESULTS"
}

wait_http() {  # url
  for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "server at $1 did not answer" >&2; return 1
}

serve_marquee() {  # workers
  MARQUEE_DATABASE_URL="sqlite:///$DB" "$PY" -m uvicorn marquee.web.app:create_app --factory \
    --host 127.0.0.1 --port "$PORT" --workers "$1" --loop uvloop --http httptools --no-access-log \
    --log-level warning &
  SERVER_PID=$!
  wait_http "http://127.0.0.1:$PORT/title/$POP_ID"
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo "== $(date -u +%FT%TZ) titles=$TITLES duration=$DURATION connections=$CONNECTIONS load=$(cut -d' ' -f1-3 /proc/loadavg)"
for WORKERS in 1 2; do
  serve_marquee "$WORKERS"
  B="http://127.0.0.1:$PORT"
  run_wrk "marquee-w$WORKERS film-popular" "$B/title/$POP_ID"
  run_wrk "marquee-w$WORKERS film-random" "$B/" "$OUT/paths-film.txt"
  run_wrk "marquee-w$WORKERS json-popular" "$B/title/$POP_ID.json"
  run_wrk "marquee-w$WORKERS json-random" "$B/" "$OUT/paths-json.txt"
  run_wrk "marquee-w$WORKERS search" "$B/" "$OUT/paths-search.txt"
  stop "$SERVER_PID"
done

"$PY" -m datasette serve -i "$DB" --host 127.0.0.1 --port "$DS_PORT" >/dev/null 2>&1 &
SERVER_PID=$!
wait_http "http://127.0.0.1:$DS_PORT/$DB_NAME/titles/$POP_ROW"
run_wrk "datasette row-popular" "http://127.0.0.1:$DS_PORT/$DB_NAME/titles/$POP_ROW"
run_wrk "datasette row-random" "http://127.0.0.1:$DS_PORT/" "$OUT/paths-ds-row.txt"
stop "$SERVER_PID"
