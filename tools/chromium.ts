// Launch settings for the browser tests (the playground's end-to-end test, @fcn/tensor's WebGPU
// browser test): Debian's Chromium from tools/setup-browser.sh, or FCN_CHROMIUM.

export const CHROMIUM = process.env.FCN_CHROMIUM ?? "/usr/bin/chromium";

/** Headless, loopback only, fresh profile; WebGPU on SwiftShader where no GPU is present. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
  "--use-webgpu-adapter=swiftshader",
];
