#!/usr/bin/env bash
# Debian packages the WebGPU tests need on a machine without a GPU: Mesa's EGL and GL
# drivers, which the `webgpu` package (Dawn) uses through its OpenGL ES backend
# (llvmpipe, software). Idempotent and quiet; does nothing when they are installed or
# when this is not a Debian/Ubuntu machine.
set -euo pipefail
packages=(libegl1 libegl-mesa0 libgl1-mesa-dri)
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "setup-webgpu: missing ${missing[*]} and not root; install them to run the WebGPU tests" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
