#!/usr/bin/env bash
# Installs what the browser tests (tests/browser) need on a fresh machine:
# Debian's Chromium, zbar-tools (an independent QR decoder for the poster
# test) and, from package-lock.json, axe-core in ./node_modules.
# Safe to run again: it installs only what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v zbarimg >/dev/null 2>&1 || missing="$missing zbar-tools"
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test-deps: missing Debian packages:$missing; install them as root" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "test-deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq $missing >/dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "test-deps: npm is missing; install Node.js (Debian: apt-get install npm)" >&2
  exit 1
fi
# npm ci wipes and reinstalls node_modules; skip it when the installed
# axe-core already is the version the lock file pins.
want=$(node -p 'require("./package-lock.json").packages["node_modules/axe-core"].version')
have=$(node -p 'require("./node_modules/axe-core/package.json").version' 2>/dev/null || true)
if [ "$want" != "$have" ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "test-deps: npm ci (axe-core $want)" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
