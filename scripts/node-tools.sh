#!/usr/bin/env bash
# Install the browser tests' JavaScript tools (axe-core, pinned by
# package-lock.json) into node_modules with `npm ci`. Skipped when
# node_modules already matches the lock file (stamp: its sha256).
#
#   bash scripts/node-tools.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STAMP=$ROOT/node_modules/.bonos-lock-stamp

say() { printf '[node-tools] %s\n' "$*"; }
die() { printf '[node-tools] ERROR: %s\n' "$*" >&2; exit 1; }

cd "$ROOT"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f node_modules/axe-core/axe.min.js ]; then
  say "up to date (node_modules)"
  exit 0
fi
command -v npm >/dev/null || die "npm not found: install Node.js and npm (Debian: apt-get install nodejs npm)."
say "npm ci (axe-core for the browser tests)"
npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
echo "$want" > "$STAMP"
