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
"$VENV/bin/mypy"   # type check of assistant/ (configuration: [tool.mypy] in pyproject.toml)
"$VENV/bin/assistant" train
# A new user's first `make run` from a clean clone (a minute with the cached venv and model).
# The clone's set-up points the shared virtualenv's editable install at the clone: point it back.
if [ "${SKIP_FRESH_CLONE_CHECK:-}" != 1 ]; then
  "$VENV/bin/python" scripts/fresh_clone_check.py
  bash scripts/setup.sh
fi
exec "$VENV/bin/pytest" "$@"
