#!/usr/bin/env bash
# Debian packages the browser tests need (the playground's end-to-end test in `pnpm test`,
# @fcn/tensor's `pnpm test:browser`): Chromium, which ships SwiftShader (a software Vulkan
# driver) and its own Vulkan loader, so WebGPU gets a software adapter on a machine without a
# GPU. tools/setup.sh runs it; a no-op once Chromium is installed.
exec bash "$(dirname "$0")/apt-ensure.sh" setup-browser required chromium
