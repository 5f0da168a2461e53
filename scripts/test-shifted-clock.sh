#!/usr/bin/env bash
# The whole test suite with the machine's clock moved, to prove that no test depends on today's
# date: every process of the run (pytest, Rasa, the action server, the app, the browser) sees the
# moved clock through Debian's libfaketime; monotonic clocks (timeouts) are left alone.
#
#   bash scripts/test-shifted-clock.sh +30d                     # a month ahead
#   bash scripts/test-shifted-clock.sh +365d                    # a year ahead
#   bash scripts/test-shifted-clock.sh "@2027-03-13 22:00:00"   # 5 PM in New York, the evening
#                                                               # before the US spring-forward
# `make test-clock` runs those three one after the other. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
shift_by=${1:?usage: test-shifted-clock.sh +30d|+365d|"@YYYY-MM-DD hh:mm:ss" [pytest args]}
shift
if ! command -v faketime >/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "test-shifted-clock: installing Debian's faketime"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends faketime >/dev/null
fi
echo "test-shifted-clock: the suite with the clock at $shift_by ($(faketime -f "$shift_by" date -u))"
export FAKETIME_DONT_FAKE_MONOTONIC=1
exec faketime -f "$shift_by" bash scripts/test.sh "$@"
