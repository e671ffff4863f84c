import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { check, expectClose, randomTensor, seedArbitrary, values } from "./helpers.js";

/** PyTorch's Adam/AdamW on plain numbers. */
function adamReference(p: number[], grads: number[][], h: Omit<T.AdamHyper, "step">): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const x = p.slice();
  grads.forEach((g0, t) => {
    const step = t + 1;
    for (let i = 0; i < x.length; i++) {
      const g = h.decoupled ? g0[i] : g0[i] + h.weightDecay * x[i];
      if (h.decoupled) x[i] *= 1 - h.lr * h.weightDecay;
      m[i] = h.beta1 * m[i] + (1 - h.beta1) * g;
      v[i] = h.beta2 * v[i] + (1 - h.beta2) * g * g;
      const mHat = m[i] / (1 - h.beta1 ** step);
      const vHat = v[i] / (1 - h.beta2 ** step);
      x[i] -= (h.lr * mHat) / (Math.sqrt(vHat) + h.eps);
    }
  });
  return x;
}

/** PyTorch's SGD on plain numbers. */
function sgdReference(p: number[], grads: number[][], h: Omit<T.SgdHyper, "firstStep">): number[] {
  const x = p.slice();
  const b = p.map(() => 0);
  grads.forEach((g0, t) => {
    for (let i = 0; i < x.length; i++) {
      let d = g0[i] + h.weightDecay * x[i];
      if (h.momentum !== 0) {
        b[i] = t === 0 ? d : h.momentum * b[i] + (1 - h.dampening) * d;
        d = h.nesterov ? d + h.momentum * b[i] : b[i];
      }
      x[i] -= h.lr * d;
    }
  });
  return x;
}

describe("fused optimizer updates match PyTorch's formulas", () => {
  it("adamUpdate (Adam and AdamW, float64 and float32) over several steps", () => {
    const hyper = fc.record({
      lr: fc.constantFrom(1e-3, 0.1),
      beta1: fc.constantFrom(0.9, 0),
      beta2: fc.constantFrom(0.999, 0.5),
      eps: fc.constantFrom(1e-8, 1e-3),
      weightDecay: fc.constantFrom(0, 0.01),
      decoupled: fc.boolean(),
    });
    check(fc.tuple(hyper, fc.integer({ min: 0, max: 7 }), seedArbitrary, fc.constantFrom<"float32" | "float64">("float32", "float64")), ([h, n, seed, dtype]) => {
      const p = randomTensor([n], seed).cast(dtype);
      const m = T.zeros([n], { dtype });
      const v = T.zeros([n], { dtype });
      const grads = [1, 2, 3].map((k) => randomTensor([n], seed + k).cast(dtype));
      const expected = adamReference(values(p), grads.map(values), h);
      grads.forEach((g, t) => T.adamUpdate(p, g, m, v, { ...h, step: t + 1 }));
      const tol = dtype === "float32" ? 1e-5 : 1e-12;
      expectClose(p, expected, [n], tol, tol);
    }, 30);
  });

  it("sgdUpdate (momentum, dampening, Nesterov, weight decay) over several steps", () => {
    const hyper = fc.record({
      lr: fc.constantFrom(0.01, 0.5),
      momentum: fc.constantFrom(0, 0.9),
      dampening: fc.constantFrom(0, 0.1),
      nesterov: fc.boolean(),
      weightDecay: fc.constantFrom(0, 0.05),
    });
    check(fc.tuple(hyper, fc.integer({ min: 0, max: 7 }), seedArbitrary, fc.constantFrom<"float32" | "float64">("float32", "float64")), ([h, n, seed, dtype]) => {
      const p = randomTensor([n], seed).cast(dtype);
      const buffer = T.zeros([n], { dtype });
      const grads = [1, 2, 3].map((k) => randomTensor([n], seed + k).cast(dtype));
      const expected = sgdReference(values(p), grads.map(values), h);
      grads.forEach((g, t) => T.sgdUpdate(p, g, buffer, { ...h, firstStep: t === 0 }));
      const tol = dtype === "float32" ? 1e-5 : 1e-12;
      expectClose(p, expected, [n], tol, tol);
    }, 30);
  });

  it("updates in place without recording a gradient or allocating live tensors", () => {
    const p = T.ones([4], { dtype: "float64", requiresGrad: true });
    const g = T.full([4], 0.5, { dtype: "float64" });
    const m = T.zeros([4], { dtype: "float64" });
    const v = T.zeros([4], { dtype: "float64" });
    const before = T.memory();
    T.adamUpdate(p, g, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
    expect(T.memory().tensors).toBe(before.tensors);
    expect(p.node).toBeNull();
    expectClose(p, [0.9, 0.9, 0.9, 0.9], [4], 1e-7, 0);
  });

  it("never changes a tensor that shares storage with the parameter or the state", () => {
    const init = T.tensor(new Float64Array([1, 2]));
    const p = T.zeros([2], { dtype: "float64" });
    p.assign(init);
    const alias = p.detach();
    const buffer = T.zeros([2], { dtype: "float64" });
    const bufferView = buffer.reshape([1, 2]);
    const g = T.ones([2], { dtype: "float64" });
    T.sgdUpdate(p, g, buffer, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true });
    expect(values(p)).toEqual([0.9, 1.9]);
    expect(values(init)).toEqual([1, 2]);
    expect(values(alias)).toEqual([1, 2]);
    expect(values(bufferView)).toEqual([0, 0]);
    const q = T.zeros([2], { dtype: "float64" });
    q.assign(init);
    const m = T.zeros([2], { dtype: "float64" });
    const v = T.zeros([2], { dtype: "float64" });
    const mAlias = m.detach();
    T.adamUpdate(q, g, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
    expect(values(init)).toEqual([1, 2]);
    expect(values(mAlias)).toEqual([0, 0]);
    expectClose(q, [0.9, 1.9], [2], 1e-7, 0);
    // Exclusive storage is updated in place: no new tensors, no copies on later steps.
    const before = T.memory();
    T.adamUpdate(q, g, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 2 });
    expect(T.memory()).toEqual(before);
  });

  it("rejects mismatched state and bad hyper-parameters", () => {
    const p = T.zeros([2], { dtype: "float64" });
    const h = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
    expect(() => T.adamUpdate(p, T.zeros([3], { dtype: "float64" }), T.zeros([2], { dtype: "float64" }), T.zeros([2], { dtype: "float64" }), h)).toThrow(
      /adamUpdate: grad \[3\] does not match parameter \[2\]/,
    );
    expect(() => T.adamUpdate(p, T.zeros([2]), T.zeros([2], { dtype: "float64" }), T.zeros([2], { dtype: "float64" }), h)).toThrow(T.DTypeError);
    const z = () => T.zeros([2], { dtype: "float64" });
    expect(() => T.adamUpdate(p, z(), z(), z(), { ...h, step: 0 })).toThrow(/step must be an integer ≥ 1, got 0/);
    expect(() => T.adamUpdate(p, z(), z(), z(), { ...h, lr: Number.NaN })).toThrow(/lr must be finite, got NaN/);
    expect(() => T.sgdUpdate(T.zeros([2], { dtype: "int32" }), z(), z(), { lr: 1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true })).toThrow(
      /sgdUpdate: parameter must be float, got int32/,
    );
  });
});
