#!/usr/bin/env bash
# Sets up .venv, builds the demo store on first run and serves the site (http://127.0.0.1:8000/).
# Extra arguments go to `marquee serve`, e.g. `scripts/serve.sh --port 9000`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/marquee serve "$@"
