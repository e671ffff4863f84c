/**
 * The tensor backend a FractalNet run trains on. WebGPU has asynchronous reads only, so the
 * runner reads through `await t.data()`; this module starts the device, reports which adapter
 * ran, and measures live bytes and completion on the active device.
 */
import { ArgumentError, initWebGPU, memory, setDefaultDevice, syncWebGPU, webgpuCapabilities } from "@fcn/tensor";

/** Backends `fractalnet run --backend` accepts. */
export const FRACTAL_BACKENDS = ["cpu", "webgpu"] as const;
export type FractalBackend = (typeof FRACTAL_BACKENDS)[number];

/** The backend named by `value`; anything else is an ArgumentError listing the valid ones. */
export function parseFractalBackend(value: string): FractalBackend {
  if ((FRACTAL_BACKENDS as readonly string[]).includes(value)) return value as FractalBackend;
  throw new ArgumentError(`backend must be one of ${FRACTAL_BACKENDS.join(", ")}, got "${value}"`);
}

/**
 * Makes `backend` the default device of new tensors (model, data, batches). WebGPU is
 * initialised once per thread: `initWebGPU` returns the same device on later calls, and each
 * worker thread loads its own copy of the tensor package, so each gets its own device.
 * Returns the adapter's description for WebGPU, null for the CPU.
 */
export async function activateBackend(backend: FractalBackend): Promise<string | null> {
  if (backend === "cpu") {
    setDefaultDevice("cpu");
    return null;
  }
  await initWebGPU({ setDefault: true });
  const { vendor, architecture, device, description } = webgpuCapabilities().adapter;
  return [vendor, architecture, device, description].filter(Boolean).join(" / ");
}

/** Back to the CPU as the default device (after a run, also a failed one). */
export function deactivateBackend(): void {
  setDefaultDevice("cpu");
}

/** Bytes held by live tensors on the backend's device. */
export function liveBytes(backend: FractalBackend): number {
  return memory().bytes[backend] ?? 0;
}

/** Waits for queued device work (kernel calls return before a GPU runs them); no-op on the CPU. */
export async function finishDeviceWork(backend: FractalBackend): Promise<void> {
  if (backend === "webgpu") await syncWebGPU();
}
