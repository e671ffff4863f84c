#!/usr/bin/env bash
# Debian packages the browser test of @fcn/tensor needs (`pnpm test:browser`): Chromium,
# which ships SwiftShader (a software Vulkan driver) and its own Vulkan loader, so WebGPU
# gets a software adapter on a machine without a GPU. Idempotent and quiet; does nothing
# when it is installed or when this is not a Debian/Ubuntu machine. Not part of
# tools/setup.sh: Chromium is large.
set -euo pipefail
packages=(chromium)
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup-browser: missing ${missing[*]} and not root; install them to run the browser test" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
