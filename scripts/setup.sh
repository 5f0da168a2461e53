#!/usr/bin/env bash
# Idempotent set-up: a Python 3.10 virtualenv with the locked dependencies (Rasa 3.6.21,
# rasa-sdk 3.6.2, ...) and this project installed in editable mode. A second run that finds
# everything in place takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${ASSISTANT_VENV:-$ROOT/.venv}

pip_quietly() {
  "$VENV/bin/pip" "$@" >"$VENV/pip.log" 2>&1 || { grep -v "is ignored" "$VENV/pip.log" >&2; return 1; }
}
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
DEPS_STAMP="$VENV/.deps-$(hash_of requirements.lock)"
PROJECT_STAMP="$VENV/.project-$(echo "$ROOT" | cat - pyproject.toml | sha256sum | cut -c1-16)"

find_python310() {
  # pyenv's shim answers "command not found" when 3.10 is not the selected version: try each.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python3.10 \
      "$(command -v python3.10 2>/dev/null)" /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "import venv" 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  return 1
}

if [ ! -f "$DEPS_STAMP" ]; then
  PY=$(find_python310) || {
    echo "setup: Python 3.10 is required (Rasa 3.6 supports <3.11); install it, e.g. 'pyenv install 3.10'" >&2
    exit 1
  }
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sys; assert sys.version_info[:2] == (3, 10)" 2>/dev/null; then
    echo "setup: creating $VENV with $PY and the locked dependencies (first run: about 2 minutes)"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    pip_quietly install --upgrade "pip==24.0" "setuptools==70.3.0" "wheel==0.41.2"
  else
    echo "setup: requirements.lock changed; bringing $VENV up to date"
  fi
  pip_quietly install --no-deps -r requirements.lock
  "$VENV/bin/pip" check >/dev/null || { "$VENV/bin/pip" check; exit 1; }
  touch "$DEPS_STAMP"
fi

if [ ! -f "$PROJECT_STAMP" ]; then
  pip_quietly install --no-deps -e .
  "$VENV/bin/python" -c "import assistant, webhooks, dialogues"
  rm -f "$VENV"/.project-*
  touch "$PROJECT_STAMP"
fi
