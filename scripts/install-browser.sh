#!/usr/bin/env bash
# Idempotent: makes sure Debian's Chromium is at /usr/bin/chromium for the console's browser
# tests (Playwright drives it with executable_path; `playwright install` is never used). A second
# run that finds it installed returns at once.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-browser: /usr/bin/chromium is missing and apt-get is not available" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-browser: needs root or sudo" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-browser: installing Debian's chromium (first run: a minute or two)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
