#!/usr/bin/env bash
# Set-up on a fresh machine: the pinned pnpm, then the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
want="10.34.9"
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  npm i -g "pnpm@$want"
fi
bash tools/setup-webgpu.sh
pnpm install --frozen-lockfile
