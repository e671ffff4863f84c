#!/usr/bin/env bash
# Debian packages the browser test of @fcn/tensor needs (`pnpm test:browser`): Chromium,
# which ships SwiftShader (a software Vulkan driver) and its own Vulkan loader, so WebGPU
# gets a software adapter on a machine without a GPU. Not part of tools/setup.sh:
# Chromium is large.
exec bash "$(dirname "$0")/apt-ensure.sh" setup-browser required chromium
