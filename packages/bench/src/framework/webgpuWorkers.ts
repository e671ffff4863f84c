/**
 * WebGPU in worker threads. Each worker loads its own copy of @fcn/tensor, so `initWebGPU`
 * there creates that worker's own device. On machines without a GPU the device comes from
 * Dawn's OpenGL ES backend, which needs EGL_PLATFORM=surfaceless in the C environment:
 * `initWebGPU` sets it through `process.env`, but a worker's `process.env` is a private copy
 * that never reaches the C environment, so a worker finds no adapter. The main thread's
 * `process.env` is the real one: set it there before workers start.
 */

/** Lets WebGPU workers use the OpenGL ES (software) fallback; a value already set is kept. */
export function prepareWebGPUWorkers(): void {
  process.env.EGL_PLATFORM ??= "surfaceless";
}
