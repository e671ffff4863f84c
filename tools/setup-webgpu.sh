#!/usr/bin/env bash
# Debian packages the WebGPU tests need on a machine without a GPU: Mesa's EGL and GL
# drivers, which the `webgpu` package (Dawn) uses through its OpenGL ES backend
# (llvmpipe, software). Without root the tests skip locally (and fail in CI).
exec bash "$(dirname "$0")/apt-ensure.sh" setup-webgpu optional libegl1 libegl-mesa0 libgl1-mesa-dri
