#!/usr/bin/env bash
# Set-up on a fresh machine: the pinned pnpm, Mesa's GL drivers and Chromium (Debian packages; the
# WebGPU tests and the playground's browser test), then the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
want="10.34.9"
if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  npm i -g "pnpm@$want"
fi
bash tools/setup-webgpu.sh
bash tools/setup-browser.sh
pnpm install --frozen-lockfile
