#!/usr/bin/env bash
# Sets up .venv and runs the whole test suite: lint (ruff), types (mypy), tests (pytest).
# Extra arguments go to pytest, e.g. `scripts/test.sh -k search`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
echo "== ruff"; .venv/bin/ruff check src tests bench scripts
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/pytest -n 2 --dist loadfile "$@"
