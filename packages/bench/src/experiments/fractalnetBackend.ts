/**
 * What a FractalNet run measures on its device. The device itself is turned on by the framework
 * (framework/device.ts) from the run's `config.backend`; WebGPU has asynchronous reads only, so
 * the runner reads through `await t.data()` and these helpers measure live bytes and completion
 * on the active device.
 */
import { memory, syncWebGPU } from "@fcn/tensor";
import type { Backend } from "../framework/types.js";

/** The backend a FractalNet run trains on (the generic `--backend`). */
export type FractalBackend = Backend;

/** Bytes held by live tensors on the backend's device. */
export function liveBytes(backend: FractalBackend): number {
  return memory().bytes[backend] ?? 0;
}

/** Waits for queued device work (kernel calls return before a GPU runs them); no-op on the CPU. */
export async function finishDeviceWork(backend: FractalBackend): Promise<void> {
  if (backend === "webgpu") await syncWebGPU();
}
