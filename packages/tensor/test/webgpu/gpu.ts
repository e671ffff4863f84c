/**
 * Shared set-up of the WebGPU suite: one device per test file. Without an adapter the
 * suite is skipped with the reason printed, except under CI (`CI=true`), where it fails.
 */
import { afterEach, expect } from "vitest";
import * as T from "../../src/index.js";
import { type Tensor, type WebGPUCapabilities, initWebGPU, setDefaultDevice } from "../../src/index.js";

export let capabilities: WebGPUCapabilities | null = null;
export let unavailable = "";
try {
  capabilities = await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  if (process.env.CI) throw new Error(`WebGPU tests need an adapter under CI: ${unavailable}`, { cause: error });
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

export type Device = "cpu" | "webgpu";

/**
 * f(inputs) and the gradients of Σ w ⊙ f(inputs), on `device`: float inputs are float64
 * on the CPU (the oracle) and float32 on WebGPU; others keep their dtype.
 */
export async function evaluate(
  device: Device,
  f: (...xs: T.Tensor[]) => T.Tensor,
  inputs: readonly { shape: number[]; values: number[]; dtype?: T.DType }[],
  withGrad: boolean,
): Promise<{ value: number[]; grads: number[][] }> {
  const float = device === "cpu" ? "float64" : "float32";
  const { value, grads } = on(device, () =>
    T.tidy(() => {
      const xs = inputs.map((x) => T.tensor(x.values, { shape: x.shape, dtype: x.dtype ?? float }));
      const out = T.noGrad(() => f(...xs));
      if (!withGrad) return { value: out, grads: [] as T.Tensor[] };
      const w = T.tensor(Array.from({ length: out.size }, (_, i) => Math.sin(i + 1)), { shape: out.shape.slice(), dtype: float });
      const { grads } = T.valueAndGrad((...ys: T.Tensor[]) => T.sum(T.mul(f(...ys), w)))(...xs);
      return { value: out, grads };
    }),
  );
  const result = { value: Array.from(await value.data()), grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))) };
  T.dispose([value, grads]);
  return result;
}

/** Runs f on both devices and compares values (and gradients) within atol + rtol·|expected|. */
export async function expectParity(
  label: string,
  f: (...xs: T.Tensor[]) => T.Tensor,
  inputs: readonly { shape: number[]; values: number[]; dtype?: T.DType }[],
  tol: { atol: number; rtol: number },
  withGrad = true,
): Promise<void> {
  const cpu = await evaluate("cpu", f, inputs, withGrad);
  const gpu = await evaluate("webgpu", f, inputs, withGrad);
  expectClose(`${label} value`, gpu.value, cpu.value, tol.atol, tol.rtol);
  cpu.grads.forEach((g, i) => expectClose(`${label} grad ${i}`, gpu.grads[i], g, tol.atol, tol.rtol));
}
