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
echo "== ruff"; .venv/bin/ruff check src tests bench scripts
echo "== mypy"; .venv/bin/mypy
step() {
  local status=0
  .venv/bin/pytest -n 2 --dist worksteal "$@" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 5 ] || exit "$status"
}
echo "== pytest: SQLite"; step -m "not postgres and not browser" "$@"
echo "== pytest: PostgreSQL and Chromium"; step -m "postgres or browser" "$@"
