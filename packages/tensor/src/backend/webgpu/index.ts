/// <reference types="@webgpu/types" />
import { DeviceError } from "../../errors.js";
import { getBackend, registerBackend, setDefaultDevice } from "../registry.js";
import { type WebGPUBackend, createWebGPUBackend } from "./backend.js";
import { type WebGPUCapabilities, type WebGPUOptions, createContext } from "./context.js";

export type { WebGPUCapabilities, WebGPUEntryPoint, WebGPUOptions, WebGPUPowerPreference } from "./context.js";
export type { WebGPUBackend } from "./backend.js";

let current: Promise<WebGPUBackend> | null = null;

/**
 * Creates the WebGPU device and registers the 'webgpu' backend; later calls return the
 * same backend. In a browser it uses `navigator.gpu`; in Node the optional `webgpu`
 * package (Dawn), trying its default backend and then OpenGL ES (software on machines
 * without a GPU). Throws a DeviceError saying how to get an adapter when none is found.
 *
 * @example
 * const caps = await initWebGPU();
 * const y = tensor([1, 2, 3]).to("webgpu").mul(2);
 * await y.data(); // Float32Array [2, 4, 6]
 */
export async function initWebGPU(options: WebGPUOptions = {}): Promise<WebGPUCapabilities> {
  if (!current) {
    current = createContext(options).then(createWebGPUBackend);
    current.catch(() => (current = null));
  }
  const backend = await current;
  registerBackend(backend);
  if (options.setDefault) setDefaultDevice("webgpu");
  return backend.context.capabilities;
}

function webgpuBackend(): WebGPUBackend {
  const backend = getBackend("webgpu") as WebGPUBackend;
  if (!backend.runtime) throw new DeviceError("the registered 'webgpu' backend is not this package's WebGPU backend");
  return backend;
}

/** The capabilities of the initialized WebGPU device (shader-f16, limits, adapter). */
export function webgpuCapabilities(): WebGPUCapabilities {
  return webgpuBackend().context.capabilities;
}

/**
 * Waits for all queued GPU work and throws the first error a kernel raised since the last
 * check, as a DeviceError naming the kernel (`await tensor.data()` checks too).
 */
export async function syncWebGPU(): Promise<void> {
  await webgpuBackend().runtime.sync();
}

/** Pipelines compiled, dispatches issued and pooled bytes: for tests and tuning. */
export function webgpuStats(): { pipelines: number; dispatches: number; pooledBytes: number; bytesInUse: number } {
  const b = webgpuBackend();
  return { pipelines: b.runtime.compiled, dispatches: b.runtime.dispatches, pooledBytes: b.pool.bytesPooled, bytesInUse: b.pool.bytesInUse };
}
