/**
 * Shared set-up of the WebGPU suite: one device per test file. Without an adapter the
 * suite is skipped with the reason printed, except under CI (`CI=true`), where it fails.
 */
import { afterEach, expect } from "vitest";
import { type Tensor, type WebGPUCapabilities, initWebGPU, setDefaultDevice } from "../../src/index.js";

export let capabilities: WebGPUCapabilities | null = null;
export let unavailable = "";
try {
  capabilities = await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  if (process.env.CI) throw new Error(`WebGPU tests need an adapter under CI: ${unavailable}`);
  console.warn(`[webgpu] skipping the WebGPU suite: ${unavailable}`);
}
export const hasGpu = capabilities !== null;

afterEach(() => setDefaultDevice("cpu"));

/** Runs `fn` with 'webgpu' (or 'cpu') as the default device for new tensors. */
export function on<T>(device: "cpu" | "webgpu", fn: () => T): T {
  setDefaultDevice(device);
  try {
    return fn();
  } finally {
    setDefaultDevice("cpu");
  }
}

/** Host values of a tensor on any device. */
export const read = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

/**
 * |actual − expected| ≤ atol + rtol·|expected| elementwise (NaN matches NaN, ±∞ must match);
 * the message names the op, the element and both values.
 */
export function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${label}: element ${i} is ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
