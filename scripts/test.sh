#!/usr/bin/env bash
# Sets up .venv and runs the whole test suite: lint (ruff), types (mypy), then pytest in two steps:
# the SQLite suite (the quick local loop), then PostgreSQL and Chromium (markers `postgres`, `browser`).
# Extra arguments go to both pytest steps, e.g. `scripts/test.sh -k search`; a step that selects
# nothing (pytest's exit 5) is not a failure. The SQLite step alone:
#   .venv/bin/pytest -n 2 -m "not postgres and not browser"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# Bytecode caches on, even where the environment turns them off: pytest rewrites the asserts of every
# test module and of each plugin's whole package (Schemathesis: ~300 modules) in every process, and
# without a cache each of the three (two workers, one controller) redoes it: ~5 s of CPU each.
unset PYTHONDONTWRITEBYTECODE
# The tests' files on a RAM disk where there is room (unless TMPDIR is set): most tests make a new
# SQLite store, whose first write syncs its WAL and folder (4 fsyncs a store), and each PostgreSQL test
# copies a database. Measured side by side (BENCHMARKS.md, "Test files on a RAM disk"): SQLite step
# 109 -> 95 s, PostgreSQL and Chromium step 206 -> 153 s. A run needs ~1.2 GB there; it is removed after.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  shm_free_kb=$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')
  mem_free_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
  if [ "${shm_free_kb:-0}" -ge $((4 * 1024 * 1024)) ] && [ "${mem_free_kb:-0}" -ge $((6 * 1024 * 1024)) ]; then
    TMPDIR=$(mktemp -d /dev/shm/marquee-tests.XXXXXX)
    export TMPDIR
    trap 'rm -rf "$TMPDIR"' EXIT
    echo "== test files in $TMPDIR (RAM)"
  fi
fi
echo "== ruff"; .venv/bin/ruff check src tests bench scripts
echo "== mypy"; .venv/bin/mypy
step() {
  local status=0
  .venv/bin/pytest -n 2 --dist worksteal "$@" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 5 ] || exit "$status"
}
echo "== pytest: SQLite"; step -m "not postgres and not browser" "$@"
echo "== pytest: PostgreSQL and Chromium"; step -m "postgres or browser" "$@"
