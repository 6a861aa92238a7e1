#!/usr/bin/env bash
# Runs the pnpm pinned in package.json's "packageManager": the one on PATH when it is that version
# (corepack's shim or a global install), otherwise it installs that exact version with npm first.
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  echo "rushgate: installing pnpm@$want with npm" >&2
  npm install --global --force --silent "pnpm@$want" >/dev/null 2>&1
  hash -r
fi
exec pnpm "$@"
