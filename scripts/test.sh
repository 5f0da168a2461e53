#!/usr/bin/env bash
# The whole test suite: set-up if needed, services, lint, model, pytest (SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV=${ASSISTANT_VENV:-$(pwd)/.venv}
bash scripts/ensure-services.sh
bash scripts/install-browser.sh   # Debian chromium for the browser tests (skips if present)
bash scripts/install-prism.sh     # Prism mock of Twilio's REST API (skips if present)
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check . >/dev/null || { "$VENV/bin/ruff" format --check .; exit 1; }
"$VENV/bin/assistant" train
exec "$VENV/bin/pytest" "$@"
