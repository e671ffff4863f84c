import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { check, expectClose, randomTensor, seedArbitrary, values } from "./helpers.js";

const f64 = (v: number[], requiresGrad = true) => T.tensor(Float64Array.from(v), { requiresGrad });

describe("backward", () => {
  it("accumulates gradients over two backward calls", () => {
    const x = f64([1, 2, 3]);
    T.sum(T.mul(x, x)).backward();
    expect(values(x.grad!)).toEqual([2, 4, 6]);
    T.sum(T.mul(x, x)).backward();
    expect(values(x.grad!)).toEqual([4, 8, 12]);
  });

  it("sums contributions of a tensor used twice and of shared subexpressions", () => {
    const x = f64([1, -2]);
    // y = x·x + x → dy/dx = 2x + 1
    T.sum(T.add(T.mul(x, x), x)).backward();
    expect(values(x.grad!)).toEqual([3, -3]);
    const z = f64([0.5, 2]);
    const s = T.exp(z); // shared: used by both branches
    T.sum(T.add(T.mul(s, s), s)).backward();
    expectClose(z.grad!, [0.5, 2].map((v) => 2 * Math.exp(2 * v) + Math.exp(v)), [2], 1e-12, 1e-12);
  });

  it("a diamond of depth 200 visits each node once (gradient 2^depth would blow up)", () => {
    const x = f64([1]);
    let y: Tensor = x;
    for (let i = 0; i < 200; i++) y = T.mul(T.add(y, y), 0.5); // y stays x; each level is shared twice
    T.sum(y).backward();
    expect(values(x.grad!)).toEqual([1]);
  });

  it("a long chain does not overflow the stack", () => {
    const x = f64([2]);
    let y: Tensor = x;
    for (let i = 0; i < 20000; i++) y = T.add(y, 1);
    T.sum(y).backward();
    expect(values(x.grad!)).toEqual([1]);
  });

  it("takes an explicit seed gradient for non-scalar outputs and a default of 1 for scalars", () => {
    const x = f64([1, 2, 3]);
    T.mul(x, 2).backward(f64([1, 10, 100], false));
    expect(values(x.grad!)).toEqual([2, 20, 200]);
    const y = f64([4]);
    T.reshape(T.mul(y, 3), [1, 1]).backward();
    expect(values(y.grad!)).toEqual([3]);
    expect(() => T.mul(x, 2).backward()).toThrow(/backward: a gradient is needed for non-scalar output \[3\]/);
  });

  it("leaves that receive the same gradient tensor accumulate and dispose independently", () => {
    const x = f64([1, 2]);
    const y = f64([3, 4]);
    T.sum(T.add(x, y)).backward();
    expect(x.grad).not.toBe(y.grad);
    T.sum(T.add(x, y)).backward();
    expect(values(x.grad!)).toEqual([2, 2]);
    expect(values(y.grad!)).toEqual([2, 2]);
    x.grad!.dispose();
    expect(values(y.grad!)).toEqual([2, 2]);
  });

  it("the caller's seed gradient is never aliased or disposed by accumulation", () => {
    const x = f64([1, 2]);
    const seed = f64([1, 10], false);
    T.add(x, 1).backward(seed);
    expect(x.grad).not.toBe(seed);
    T.add(x, 1).backward(seed);
    expect(seed.isDisposed).toBe(false);
    expect(values(seed)).toEqual([1, 10]);
    expect(values(x.grad!)).toEqual([2, 20]);
    seed.dispose();
    expect(values(x.grad!)).toEqual([2, 20]);
  });

  it("only leaves get .grad; interior tensors and non-requiring inputs do not", () => {
    const x = f64([1, 2]);
    const c = f64([3, 4], false);
    const h = T.mul(x, c);
    T.sum(h).backward();
    expect(values(x.grad!)).toEqual([3, 4]);
    expect(c.grad).toBeNull();
    expect(h.grad).toBeNull();
    expect(h.requiresGrad).toBe(true);
    expect(c.requiresGrad).toBe(false);
  });

  it("non-differentiable ops cut the graph", () => {
    const x = f64([1, -2]);
    for (const y of [T.sign(x), T.greater(x, 0), T.argmax(x), T.equal(x, x), T.cast(x, "int32")]) expect(y.requiresGrad).toBe(false);
    expect(T.cast(x, "float32").requiresGrad).toBe(true);
  });

  it("int and bool tensors cannot require grad", () => {
    expect(() => T.tensor([1], { dtype: "int32" }).requireGrad()).toThrow(T.DTypeError);
    expect(() => T.tensor([1], { dtype: "int32" }).requireGrad()).toThrow(/requireGrad: only float tensors can require gradients, got int32/);
    expect(T.tensor([1], { dtype: "int32" }).requireGrad(false).requiresGrad).toBe(false);
  });
});

describe("noGrad and detach", () => {
  it("noGrad records nothing and restores the mode, also after an exception", () => {
    const x = f64([1, 2]);
    const y = T.noGrad(() => {
      expect(T.isGradEnabled()).toBe(false);
      return T.mul(x, x);
    });
    expect(T.isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(() =>
      T.noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(T.isGradEnabled()).toBe(true);
    expect(T.mul(x, x).requiresGrad).toBe(true);
  });

  it("detach shares values, carries no gradient, and stops backpropagation", () => {
    const x = f64([3]);
    const d = T.mul(x, x).detach();
    expect(d.requiresGrad).toBe(false);
    expect(values(d)).toEqual([9]);
    // y = x · detach(x²): dy/dx = x² only.
    T.sum(T.mul(x, d)).backward();
    expect(values(x.grad!)).toEqual([9]);
  });
});

describe("grad and valueAndGrad", () => {
  it("return the value and the gradient for every input, zeros where unused, leaving inputs untouched", () => {
    const a = f64([1, 2], false);
    const b = f64([3, 4], false);
    const c = f64([5], false);
    const { value, grads } = T.valueAndGrad((x, y, _z) => T.sum(T.mul(x, y)))(a, b, c);
    expect(value.item()).toBe(11);
    expect(value.requiresGrad).toBe(false);
    expect(values(grads[0])).toEqual([3, 4]);
    expect(values(grads[1])).toEqual([1, 2]);
    expect(values(grads[2])).toEqual([0]);
    expect(a.grad).toBeNull();
    expect(a.requiresGrad).toBe(false);
    expect(values(T.grad((x) => T.sum(T.exp(x)))(f64([0], false))[0])).toEqual([1]);
  });

  it("agree with checkGrads-style central differences on a composite function", () => {
    check(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), seedArbitrary), ([m, n, seed]) => {
      const w = randomTensor([m, n], seed);
      const x = randomTensor([n], seed + 1);
      const f = (wt: Tensor, xt: Tensor) => T.logsumexp(T.tanh(T.matmul(wt, xt)));
      const [gw] = T.grad(f)(w, x);
      const wv = values(w);
      const eps = 1e-6;
      const numeric = wv.map((_, k) => {
        const at = (d: number) => {
          const shifted = wv.slice();
          shifted[k] += d;
          return f(T.tensor(Float64Array.from(shifted), { shape: [m, n] }), x).item();
        };
        return (at(eps) - at(-eps)) / (2 * eps);
      });
      expectClose(gw, numeric, [m, n], 1e-7, 1e-6);
    }, 15);
  });
});

/** Hessian-vector product through backward(…, {createGraph: true}). */
function hvp(f: (x: Tensor) => Tensor, x0: Tensor, v: Tensor): Tensor {
  const x = x0.detach().requireGrad();
  T.sum(f(x)).backward(undefined, { createGraph: true });
  const g = x.grad!;
  expect(g.requiresGrad).toBe(true);
  x.grad = null;
  T.sum(T.mul(g, v)).backward();
  return x.grad!;
}

/** (∇f(x + εv) − ∇f(x − εv)) / 2ε. */
function numericHvp(f: (x: Tensor) => Tensor, x0: Tensor, v: Tensor, eps = 1e-5): number[] {
  const gradAt = (s: number) => values(T.grad((x) => T.sum(f(x)))(T.add(x0, T.mul(v, s)))[0]);
  const plus = gradAt(eps);
  const minus = gradAt(-eps);
  return plus.map((p, i) => (p - minus[i]) / (2 * eps));
}

const SECOND_ORDER: [string, (x: Tensor) => Tensor, number, number][] = [
  ["exp", T.exp, -2, 2],
  ["log", T.log, 0.5, 3],
  ["sqrt", T.sqrt, 0.5, 3],
  ["sin", T.sin, -3, 3],
  ["cos", T.cos, -3, 3],
  ["tanh", T.tanh, -2, 2],
  ["sigmoid", T.sigmoid, -3, 3],
  ["erf", T.erf, -2, 2],
  ["div", (x) => T.div(1, x), 0.5, 3],
  ["pow", (x) => T.pow(x, T.add(x, 1)), 0.5, 2],
  ["mul", (x) => T.mul(T.mul(x, x), x), -2, 2],
  ["prod", (x) => T.prod(x, -1), 0.5, 2],
  ["softmax", (x) => T.mul(T.softmax(x, -1), x), -2, 2],
  ["logSoftmax", (x) => T.mul(T.logSoftmax(x, 0), T.sin(x)), -2, 2],
  ["logsumexp", (x) => T.logsumexp(x, 1), -2, 2],
  ["variance", (x) => T.variance(x, 0), -2, 2],
  ["matmul", (x) => T.matmul(x, T.transpose(T.tanh(x))), -1, 1],
  ["gelu", (x) => T.gelu(x), -2, 2],
  ["softplus", T.softplus, -2, 2],
  ["crossEntropy", (x) => T.crossEntropy(x, T.tensor(Int32Array.from([0, 2, 1]))), -2, 2],
  ["gather/pad/concat", (x) => T.square(T.concat([T.pad(x, [[0, 0], [1, 0]]), T.gather(x, T.tensor(Int32Array.from([2, 0])), 1)], 1)), -2, 2],
];

describe("second order via backward(g, {createGraph: true})", () => {
  for (const [name, f, low, high] of SECOND_ORDER) {
    it(`${name}: Hessian-vector products match differences of gradients`, () => {
      for (const seed of [1, 2, 3]) {
        const x = randomTensor([3, 3], seed, low, high);
        const v = randomTensor([3, 3], seed + 100);
        expectClose(hvp(f, x, v), numericHvp(f, x, v), [3, 3], 1e-6, 1e-5);
      }
    });
  }

  it("the second derivative of x³ is 6x", () => {
    const x = f64([1, -2]);
    T.sum(T.pow(x, 3)).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(values(g)).toEqual([3, 12]);
    x.grad = null;
    T.sum(g).backward();
    expect(values(x.grad!)).toEqual([6, -12]);
  });
});
