#!/usr/bin/env bash
# Idempotent: installs Prism (@stoplight/prism-cli, pinned in tools/prism/package-lock.json)
# into tools/prism/node_modules with npm. The tests mock Twilio's REST API with it. A second run
# that finds the same lock file installed takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/../tools/prism"
command -v npm >/dev/null || { echo "install-prism: npm (Node.js >= 18) is required" >&2; exit 1; }
if [ -f package-lock.json ]; then
  STAMP="node_modules/.installed-$(cat package.json package-lock.json | sha256sum | cut -c1-16)"
  if [ -f "$STAMP" ] && [ -x node_modules/.bin/prism ]; then
    exit 0
  fi
  echo "install-prism: installing Prism into tools/prism (first run: about a minute)"
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
  STAMP="node_modules/.installed-$(cat package.json package-lock.json | sha256sum | cut -c1-16)"
fi
rm -f node_modules/.installed-*
touch "$STAMP"
