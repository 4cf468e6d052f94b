#!/bin/sh
# Before/after IMDb imports, alternating, each with bench/import_imdb.py --probe (issue 20).
# Usage: bench/import_imdb_ab.sh DATA ROUNDS TAG AFTER_SRC BEFORE_SRC
#   AFTER_SRC, BEFORE_SRC: the src/ folders of the two versions (e.g. this worktree's src and
#   `git archive main src | tar -x -C /tmp/base` → /tmp/base/src). Round i runs after then before
#   when i is even, before then after when odd. Work folders: /tmp/import-ab/work-TAG-{after,before}.
DATA=$1; ROUNDS=$2; TAG=$3; AFTER=$4; BEFORE=$5
PY=${PYTHON:-/work/main/.venv/bin/python}
BENCH=$(dirname "$0")/import_imdb.py
one() {  # one import: $1 = after | before
  if [ "$1" = after ]; then SRC=$AFTER; else SRC=$BEFORE; fi
  echo "=== $TAG $1 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  PYTHONPATH=$SRC $PY "$BENCH" --data "$DATA" --rounds 1 --tools marquee --probe \
      --work "/tmp/import-ab/work-$TAG-$1" 2>&1 | grep -E "round|marquee \|"
}
i=0
while [ "$i" -lt "$ROUNDS" ]; do
  if [ $((i % 2)) -eq 0 ]; then one after; one before; else one before; one after; fi
  i=$((i + 1))
done
