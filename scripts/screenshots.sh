#!/usr/bin/env bash
# Writes the README's screenshots of a film page (390 px phone, 1280 px desktop) to docs/screenshots/,
# taken by headless Chromium (/usr/bin/chromium) on a small test catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
MARQUEE_SCREENSHOTS=docs .venv/bin/pytest -q tests/test_browser_library.py -k screenshots
ls -l docs/screenshots/
