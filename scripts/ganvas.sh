#!/usr/bin/env bash
# The two commands of the README's quick start; each first installs whatever is missing (scripts/setup.sh).
#   ./scripts/ganvas.sh serve   serve the app at http://127.0.0.1:5173 with the MNIST preset ready
#   ./scripts/ganvas.sh test    every test: typecheck, unit tests, e2e in real Chromium
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "${1:-}" in
  serve)
    bash scripts/setup.sh
    exec npm start
    ;;
  test)
    bash scripts/setup.sh --browser
    exec npm test
    ;;
  *)
    echo "usage: ./scripts/ganvas.sh serve|test" >&2
    exit 2
    ;;
esac
