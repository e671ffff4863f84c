/**
 * The one place a run's tensor device is turned on and off. A run's backend is `config.backend`
 * ("webgpu"; absent means the CPU, so CPU configs keep their historical hashes); `executeConfig`
 * makes it the default device for the run and hands it (and the WebGPU adapter's name) to the
 * experiment in its `RunContext`; a sweep checks once, before any run, that the device starts.
 */
import { ArgumentError, initWebGPU, setDefaultDevice, webgpuCapabilities } from "@fcn/tensor";
import type { Backend, Config } from "./types.js";

/** Backends `--backend` accepts. */
export const BACKENDS: readonly Backend[] = ["cpu", "webgpu"];

/** The backend named by `value`; anything else is an ArgumentError listing the valid ones. */
export function parseBackend(value: string): Backend {
  if ((BACKENDS as readonly string[]).includes(value)) return value as Backend;
  throw new ArgumentError(`backend must be one of ${BACKENDS.join(", ")}, got "${value}"`);
}

/** The backend a configuration runs on. */
export function backendOf(config: Config): Backend {
  return config.backend === "webgpu" ? "webgpu" : "cpu";
}

/**
 * Makes `backend` the default device of new tensors. WebGPU is initialised once per thread
 * (`initWebGPU` returns the same device on later calls; each worker thread loads its own copy of
 * the tensor package, so each gets its own device). Returns the adapter's description for
 * WebGPU, undefined for the CPU.
 */
export async function activateDevice(backend: Backend): Promise<string | undefined> {
  if (backend === "cpu") {
    setDefaultDevice("cpu");
    return undefined;
  }
  await initWebGPU({ setDefault: true });
  const { vendor, architecture, device, description } = webgpuCapabilities().adapter;
  return [vendor, architecture, device, description].filter(Boolean).join(" / ");
}

/** Back to the CPU as the default device (after a run, also a failed one). */
export function deactivateDevice(): void {
  setDefaultDevice("cpu");
}

/**
 * Starts the device once and goes back to the CPU: no adapter stops a sweep before any run
 * (failed records would otherwise count as done and a later --resume would skip them).
 */
export async function checkDevice(backend: Backend): Promise<void> {
  if (backend === "cpu") return;
  try {
    await activateDevice(backend);
  } finally {
    deactivateDevice();
  }
}
