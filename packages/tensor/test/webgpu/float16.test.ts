/**
 * float16 on WebGPU against the CPU backend, both in float16: every kind of primitive
 * (elementwise, cast, reductions, softmax, movement, matmul, conv2d and its backward
 * primitives, gather/scatterAdd, spmm), the rounding itself (ties to even, overflow to ±∞,
 * subnormals, NaN), gradients and fused optimizer steps of a small float16 model, and
 * memory accounting. Both backends compute in float32 and round each float16 output once,
 * so results agree exactly where float32 arithmetic is exact (copies, +, −, ×, max/min,
 * casts) and within one half-precision ulp where the GPU's float32 differs from the CPU's
 * (transcendentals, division, accumulations in another order): tolerances are in half ulps
 * of the CPU value, per test. Adapters without shader-f16 run the f32-storage path; those
 * with it run these same tests on f16 buffers.
 */
import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { capabilities, hasGpu, on } from "./gpu.js";

type Device = "cpu" | "webgpu";
type Input = { shape: number[]; values: number[]; dtype?: T.DType };

const gpuBytes = () => T.memory().bytes.webgpu ?? 0;

/** Deterministic values in [lo, hi] (mulberry32), optionally on a 1/grid grid. */
function values(n: number, seed: number, lo = -2, hi = 2, grid = 0): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    const v = lo + (hi - lo) * u;
    return grid ? Math.round(v * grid) / grid : v;
  });
}
const input = (shape: number[], seed: number, lo = -2, hi = 2, grid = 0): Input => ({ shape, values: values(shape.reduce((a, b) => a * b, 1), seed, lo, hi, grid) });

/** The spacing of half values around |x| (2⁻²⁴ among subnormals). */
function halfUlp(x: number): number {
  const a = Math.abs(x);
  if (!(a >= 2 ** -14)) return 2 ** -24;
  return 2 ** (Math.floor(Math.log2(a)) - 10);
}

/** Elementwise |gpu − cpu| ≤ ulps half ulps of the CPU value (0: identical; NaN matches NaN, ±∞ must match). */
function expectHalfUlps(label: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>, ulps: number): void {
  expect(gpu.length, `${label}: length`).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    const a = gpu[i];
    const e = cpu[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!Number.isFinite(e) || !(Math.abs(a - e) <= ulps * halfUlp(e))) {
      throw new Error(`${label}: element ${i} is ${a} on webgpu, ${e} on the cpu (tolerance ${ulps} half ulp)`);
    }
  }
}

/** f(inputs) on one device, float inputs as float16 (others keep their dtype); grads of Σ c ⊙ f when asked. */
async function evaluate(device: Device, f: (...xs: T.Tensor[]) => T.Tensor, inputs: readonly Input[], withGrad: boolean) {
  const { value, grads } = on(device, () =>
    T.tidy(() => {
      const xs = inputs.map((x) => T.tensor(x.values, { shape: x.shape, dtype: x.dtype ?? "float16" }));
      const out = T.noGrad(() => f(...xs));
      if (!withGrad) return { value: out, grads: [] as T.Tensor[] };
      // Weights on a coarse grid: the product's gradient (c) is exact, so each input gradient is one backward primitive.
      const c = T.tensor(values(out.size, 99, -2, 2, 4), { shape: out.shape.slice(), dtype: out.dtype });
      const { grads } = T.valueAndGrad((...ys: T.Tensor[]) => T.sum(T.mul(f(...ys), c)))(...xs);
      return { value: out, grads };
    }),
  );
  const result = { dtype: value.dtype, value: Array.from(await value.data()), grads: await Promise.all(grads.map(async (g) => ({ dtype: g.dtype, data: Array.from(await g.data()) }))) };
  T.dispose([value, grads]);
  return result;
}

/** Runs f on the CPU and on WebGPU (float16 inputs) and compares values (and gradients) within `ulps` half ulps. */
async function parity(label: string, f: (...xs: T.Tensor[]) => T.Tensor, inputs: readonly Input[], ulps: number, withGrad = false): Promise<void> {
  const cpu = await evaluate("cpu", f, inputs, withGrad);
  const gpu = await evaluate("webgpu", f, inputs, withGrad);
  expect(gpu.dtype, `${label}: dtype`).toBe(cpu.dtype);
  expectHalfUlps(`${label} value`, gpu.value, cpu.value, ulps);
  cpu.grads.forEach((g, i) => {
    expect(gpu.grads[i].dtype, `${label} grad ${i}: dtype`).toBe(g.dtype);
    expectHalfUlps(`${label} grad ${i}`, gpu.grads[i].data, g.data, ulps);
  });
}

describe.skipIf(!hasGpu)("float16 on WebGPU", () => {
  it("stores float16 per the adapter: f16 buffers with shader-f16, f32 buffers of half values without", () => {
    expect(capabilities!.halfStorage).toBe(capabilities!.shaderF16 ? "f16" : "f32");
    const bytesPerElement = capabilities!.halfStorage === "f16" ? 2 : 4;
    const before = gpuBytes();
    const x = on("webgpu", () => T.zeros([7], { dtype: "float16" }));
    expect(gpuBytes() - before).toBe(Math.ceil((7 * bytesPerElement) / 4) * 4);
    x.dispose();
    expect(gpuBytes()).toBe(before);
  });

  it("rounds like the CPU, bit for bit: ties to even, ±∞ from 65520 up (60000·2 = ∞), subnormals, NaN, −0 (exact)", async () => {
    const specials = [
      60000,
      -60000,
      65504,
      65519.99,
      65520,
      -65520,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      2 ** -25,
      3 * 2 ** -26,
      2 ** -24 * 1.5,
      2 ** -14 - 2 ** -25,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1e-30,
      0.1,
      -1 / 3,
    ];
    const bits = new Uint32Array(values(2048, 7, 0, 2 ** 32).map((v) => Math.floor(v)));
    const random = Array.from(new Float32Array(bits.buffer)).filter((v) => Math.abs(v) > 2 ** -126 || v === 0);
    await parity("cast float32 → float16", (x) => x.cast("float16"), [{ shape: [specials.length], values: specials, dtype: "float32" }], 0);
    await parity("cast of random float32 bit patterns", (x) => x.cast("float16"), [{ shape: [random.length], values: random, dtype: "float32" }], 0);
    const doubled = await on("webgpu", () => T.tensor([60000, -60000, 30000], { dtype: "float16" }).mul(2)).data();
    expect(Array.from(doubled)).toEqual([Infinity, -Infinity, 60000]);
    const negZero = await on("webgpu", () => T.tensor([0], { dtype: "float16" }).neg()).data();
    expect(Object.is(negZero[0], -0)).toBe(true);
    // Uploads round too: float16 tensors made from unrounded host values hold half values.
    const uploaded = await on("webgpu", () => T.tensor([0.1, 65520, 1e-8], { dtype: "float16" })).data();
    expect(Array.from(uploaded)).toEqual([T.toHalf(0.1), Infinity, 0]);
  });

  it("unary ops: neg, abs, sign, relu exact; exp, log, sqrt, sin, cos, tanh, sigmoid, erf within 1 half ulp", async () => {
    const x = input([64], 1, -4, 4);
    const positive = input([64], 2, 0.01, 8);
    for (const op of ["neg", "abs", "sign", "relu"] as const) await parity(op, (t) => T[op](t), [x], 0);
    for (const op of ["exp", "sin", "cos", "tanh", "sigmoid", "erf"] as const) await parity(op, (t) => T[op](t), [x], 1);
    for (const op of ["log", "sqrt"] as const) await parity(op, (t) => T[op](t), [positive], 1);
  });

  it("binary ops on same-shape, broadcast and scalar operands: +, −, ×, max, min exact; ÷ and pow within 1 half ulp", async () => {
    const a = input([4, 16], 3);
    const b = input([16], 4, 0.25, 3);
    for (const op of ["add", "sub", "mul", "maximum", "minimum"] as const) {
      await parity(`${op} broadcast`, (x, y) => T[op](x, y), [a, b], 0);
      await parity(`${op} scalar`, (x) => T[op](x, 1.7), [a], 0);
    }
    await parity("div", (x, y) => T.div(x, y), [a, b], 1);
    await parity("pow", (x, y) => T.pow(x, y), [b, input([4, 16], 5, -2, 2, 4)], 1);
    await parity("add same shape", (x, y) => T.add(x, y), [a, input([4, 16], 6)], 0);
  });

  it("comparisons, where, and casts to and from float16 (exact)", async () => {
    const a = input([4, 16], 7, -2, 2, 4);
    const b = input([16], 8, -2, 2, 4);
    for (const op of ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"] as const) await parity(op, (x, y) => T[op](x, y), [a, b], 0);
    await parity("where", (x, y) => T.where(T.greater(x, 0), x, y), [a, b], 0);
    for (const to of ["float32", "int32", "bool"] as const) await parity(`cast float16 → ${to}`, (x) => x.cast(to), [input([64], 9, -100, 100)], 0);
    const ints = { shape: [64], values: values(64, 10, -70000, 70000, 1), dtype: "int32" as const };
    await parity("cast int32 → float16", (x) => x.cast("float16"), [ints], 0);
    await parity("cast bool → float16", (x) => x.cast("float16"), [{ shape: [4], values: [1, 0, 1, 1], dtype: "bool" }], 0);
  });

  it("reductions sum, prod, max, min over each axis and all, argmax/argmin (1 half ulp; max, min, arg exact)", async () => {
    const x = input([8, 40], 11);
    for (const axis of [0, 1, undefined]) {
      await parity(`sum ${axis}`, (t) => T.sum(t, axis), [x], 1);
      await parity(`max ${axis}`, (t) => T.max(t, axis), [x], 0);
      await parity(`min ${axis}`, (t) => T.min(t, axis, true), [x], 0);
    }
    await parity("prod", (t) => T.prod(t, 1), [input([8, 6], 12, 0.5, 1.5)], 1);
    await parity("argmax", (t) => T.argmax(t, 1), [x], 0);
    await parity("argmin", (t) => T.argmin(t, 0), [x], 0);
    // Past 16384 elements per output the sum runs in two passes; the partials stay float32.
    await parity("two-pass sum", (t) => T.sum(t, 1), [input([1, 20000], 13, -1, 1, 64)], 1);
  });

  it("softmax and logSoftmax along each axis (1 half ulp)", async () => {
    const x = input([6, 32], 14, -4, 4);
    for (const axis of [0, -1]) {
      await parity(`softmax ${axis}`, (t) => T.softmax(t, axis), [x], 1);
      await parity(`logSoftmax ${axis}`, (t) => T.logSoftmax(t, axis), [x], 1);
    }
  });

  it("movement: permute, slice, broadcastTo, pad, concat, gather, scatterAdd (exact)", async () => {
    const x = input([3, 4, 5], 15);
    await parity("permute", (t) => T.permute(t, [2, 0, 1]), [x], 0);
    await parity("slice", (t) => T.slice(t, [1, 1, 0], [3, 3, 4]), [x], 0);
    await parity("broadcastTo", (t) => T.broadcastTo(t.slice([0, 0, 0], [1, 4, 5]), [2, 4, 5]), [x], 0);
    await parity("pad", (t) => T.pad(t, [[0, 0], [1, 2], [0, 1]], 0.1), [x], 0);
    await parity("concat", (t, u) => T.concat([t, u], 1), [x, input([3, 2, 5], 16)], 0);
    const idx = () => T.tensor(Int32Array.from([2, 0, 2, 1]));
    await parity("gather", (t) => T.gather(t, idx(), 1), [x], 0);
    // Updates on a 1/8 grid: the sums are exact in float32 and rounded once.
    await parity("scatterAdd", (t, u) => T.scatterAdd(t, idx(), u, 1), [x, input([3, 4, 5], 17, -2, 2, 8)], 0);
  });

  it("matmul in all four transposed forms and with broadcast batches, with gradients (1 half ulp)", async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
      const a = input(ta ? [40, 9] : [9, 40], 18);
      const b = input(tb ? [13, 40] : [40, 13], 19);
      await parity(`matmul ta=${ta} tb=${tb}`, (x, y) => T.matmul(x, y, { transposeA: ta, transposeB: tb }), [a, b], 1, true);
    }
    await parity("batched matmul", (x, y) => T.matmul(x, y), [input([2, 5, 7], 20), input([7, 3], 21)], 1, true);
  });

  it("conv2d (stride 1 and 2, padding, groups) and its backward primitives through the gradients (1 half ulp)", async () => {
    const x = input([2, 4, 8, 8], 22);
    await parity("conv2d", (t, w) => T.conv2d(t, w, { padding: 1 }), [x, input([6, 4, 3, 3], 23, -0.5, 0.5)], 1, true);
    await parity("conv2d stride 2, groups 2", (t, w) => T.conv2d(t, w, { stride: 2, groups: 2 }), [x, input([4, 2, 3, 3], 24, -0.5, 0.5)], 1, true);
    await parity("maxPool2d", (t) => T.maxPool2d(t, 2), [x], 0, true);
  });

  it("spmm with gradients (1 half ulp)", async () => {
    const rows = [0, 0, 1, 3, 3, 3, 5];
    const cols = [1, 4, 0, 2, 3, 5, 5];
    const sparse = (v: T.Tensor) => T.SparseMatrix.fromCOO(rows, cols, v, [6, 6]);
    await parity("spmm", (v, dense) => T.spmm(sparse(v), dense), [input([rows.length], 25), input([6, 8], 26)], 1, true);
  });
});

describe.skipIf(!hasGpu)("a float16 model on WebGPU", () => {
  const init = () => ({ w1: input([8, 16], 30, -0.5, 0.5), b1: input([16], 31, -0.1, 0.1), w2: input([16, 3], 32, -0.5, 0.5), x: input([12, 8], 33) });
  const model = (w1: T.Tensor, b1: T.Tensor, w2: T.Tensor, x: T.Tensor) => T.mean(T.square(T.matmul(T.relu(T.matmul(x, w1).add(b1)), w2)));

  it("gradients agree with the CPU's within 4 half ulps of the largest gradient", async () => {
    const p = init();
    const run = (device: Device) =>
      on(device, () =>
        T.tidy(() => {
          const [w1, b1, w2, x] = [p.w1, p.b1, p.w2, p.x].map((v) => T.tensor(v.values, { shape: v.shape, dtype: "float16" }));
          return T.valueAndGrad(model)(w1, b1, w2, x);
        }),
      );
    const cpu = run("cpu");
    const gpu = run("webgpu");
    expect(gpu.value.dtype).toBe("float16");
    for (let k = 0; k < 3; k++) {
      const c = Array.from(await cpu.grads[k].data());
      const g = Array.from(await gpu.grads[k].data());
      expect(gpu.grads[k].dtype).toBe("float16");
      const scale = 4 * halfUlp(Math.max(...c.map(Math.abs)));
      c.forEach((e, i) => expect(Math.abs(g[i] - e), `grad ${k} element ${i}: ${g[i]} vs ${e}`).toBeLessThanOrEqual(scale));
    }
    T.dispose([cpu.value, cpu.grads, gpu.value, gpu.grads]);
  });

  it("fused Adam and SGD steps on float16 parameters and state match the CPU's within 1 half ulp; memory balances", async () => {
    const before = gpuBytes();
    const p = input([64], 34);
    const g = input([64], 35);
    const steps = async (device: Device) => {
      const make = (v: Input) => on(device, () => T.tensor(v.values, { dtype: "float16" }));
      const zeros = () => on(device, () => T.zeros([64], { dtype: "float16" }));
      const [param, grad, m, v, param2, buffer] = [make(p), make(g), zeros(), zeros(), make(p), zeros()];
      for (let step = 1; step <= 3; step++) {
        T.adamUpdate(param, grad, m, v, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-4, weightDecay: 0.01, decoupled: true, step });
        T.sgdUpdate(param2, grad, buffer, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.001, firstStep: step === 1 });
      }
      const out = await Promise.all([param, m, v, param2, buffer].map(async (t) => Array.from(await t.data())));
      T.dispose([param, grad, m, v, param2, buffer]);
      return out;
    };
    const cpu = await steps("cpu");
    const gpu = await steps("webgpu");
    ["param", "m", "v", "sgd param", "momentum"].forEach((name, k) => expectHalfUlps(`adam/sgd ${name}`, gpu[k], cpu[k], 1));
    expect(gpuBytes()).toBe(before);
  });
});
