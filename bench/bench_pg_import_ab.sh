#!/bin/bash
# bench_pg_import.py A/B, one round per run, alternating: this checkout's src ("mine", with the
# probe) and another ("base", --no-probe: code that commits the import once; reads during its
# merge deadlock it). Usage, from the repository root:
#   git -C /work/main archive HEAD src | tar -x -C /tmp/pgfirst-base
#   bench/bench_pg_import_ab.sh /tmp/imdb100k /tmp/pgfirst-base/src base mine mine base base mine
set -u
data=$1; base_src=$2; shift 2
for side in "$@"; do
  case $side in
    mine) path=$PWD/src; extra="";;
    base) path=$base_src; extra="--no-probe";;
    *) echo "unknown side $side" >&2; exit 2;;
  esac
  echo "=== $side $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  PYTHONPATH=$path ${PYTHON:-.venv/bin/python} bench/bench_pg_import.py "$data" --rounds 1 $extra 2>&1 \
    | grep -E "^round|load average|Error"
done
