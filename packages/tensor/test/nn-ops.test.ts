import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { shapeArbitrary } from "../src/testing.js";
import { check, expectClose, randomTensor, seedArbitrary, values } from "./helpers.js";

const nonScalar = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 });
const withAxis = nonScalar.chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: -s.length, max: s.length - 1 }), seedArbitrary));

describe("softmax and logSoftmax", () => {
  it("softmax slices are positive and sum to 1, even for huge logits", () => {
    check(fc.tuple(withAxis, fc.constantFrom(1, 100, 1e4)), ([[s, axis, seed], scale]) => {
      const x = T.mul(randomTensor(s, seed), scale);
      const y = T.softmax(x, axis);
      expect(values(y).every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
      const sums = T.sum(y, axis);
      expectClose(sums, new Array(sums.size).fill(1), sums.shape.slice(), 1e-12, 0);
    }, 40);
  });

  it("logSoftmax = log(softmax) and softmax is shift invariant", () => {
    check(withAxis, ([s, axis, seed]) => {
      const x = randomTensor(s, seed);
      expectClose(T.logSoftmax(x, axis), values(T.log(T.softmax(x, axis))), s, 1e-12, 1e-12);
      expectClose(T.softmax(T.add(x, 123.5), axis), values(T.softmax(x, axis)), s, 1e-12, 1e-9);
    }, 40);
  });

  it("softmax equals exp(x)/Σexp(x) for moderate inputs", () => {
    const x = T.tensor(new Float64Array([1, 2, 3]));
    const e = [1, 2, 3].map(Math.exp);
    const total = e.reduce((a, b) => a + b);
    expectClose(T.softmax(x), e.map((v) => v / total), [3], 1e-15, 1e-14);
  });

  it("softmax over an empty axis is empty", () => {
    expect(T.softmax(T.zeros([2, 0])).shape).toEqual([2, 0]);
  });
});

describe("losses", () => {
  it("crossEntropy with int labels equals crossEntropy with their one-hot probabilities", () => {
    const cases = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), seedArbitrary).chain(([b, c, seed]) =>
      fc.tuple(fc.constant(b), fc.constant(c), fc.constant(seed), fc.array(fc.nat({ max: c - 1 }), { minLength: b, maxLength: b })),
    );
    check(cases, ([b, c, seed, labels]) => {
      const logits = randomTensor([b, c], seed, -5, 5);
      const ints = T.tensor(Int32Array.from(labels));
      const probs = T.cast(T.oneHot(ints, c), "float64");
      for (const reduction of ["mean", "sum", "none"] as const) {
        const a = T.crossEntropy(logits, ints, reduction);
        expectClose(a, values(T.crossEntropy(logits, probs, reduction)), reduction === "none" ? [b] : [], 1e-12, 1e-12);
      }
      // Reference: −log softmax at the label, averaged.
      const lv = values(logits);
      const expected = labels.map((l, i) => {
        const row = lv.slice(i * c, (i + 1) * c);
        const m = Math.max(...row);
        return -(row[l] - m - Math.log(row.reduce((acc, v) => acc + Math.exp(v - m), 0)));
      });
      expectClose(T.crossEntropy(logits, ints), [expected.reduce((x, y) => x + y, 0) / b], [], 1e-12, 1e-12);
    }, 30);
  });

  it("binaryCrossEntropyWithLogits is finite and exact at ±1e3 and matches the naive formula elsewhere", () => {
    const z = T.tensor(new Float64Array([1e3, -1e3, 1e3, -1e3, 0]));
    const y = T.tensor(new Float64Array([1, 0, 0, 1, 0.5]));
    const loss = T.binaryCrossEntropyWithLogits(z, y, "none");
    expectClose(loss, [0, 0, 1e3, 1e3, Math.log(2)], [5], 1e-12, 1e-12);
    const g = T.grad((logits) => T.binaryCrossEntropyWithLogits(logits, y, "sum"))(z)[0];
    // d/dz = σ(z) − y
    expectClose(g, [0, 0, 1, -1, 0], [5], 1e-12, 0);
    check(fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 2 }), seedArbitrary), ([s, seed]) => {
      const logits = randomTensor(s, seed, -8, 8);
      const targets = randomTensor(s, seed + 1, 0, 1);
      const naive = values(logits).map((v, i) => {
        const p = 1 / (1 + Math.exp(-v));
        const t = values(targets)[i];
        return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
      });
      expectClose(T.binaryCrossEntropyWithLogits(logits, targets, "none"), naive, s, 1e-9, 1e-9);
    }, 20);
  });

  it("mse is the mean squared difference", () => {
    const p = T.tensor([1, 2, 3]);
    const t = T.tensor([1, 0, 0]);
    expect(T.mse(p, t).item()).toBeCloseTo(13 / 3, 6);
    expect(T.mse(p, t, "sum").item()).toBe(13);
    expect(T.mse(p, t, "none").arraySync()).toEqual([0, 4, 9]);
  });

  it("losses reject bad labels and shapes", () => {
    const logits = T.zeros([2, 3]);
    expect(() => T.crossEntropy(logits, T.tensor(Int32Array.from([0, 3])))).toThrow(/crossEntropy: label 3 is outside \[0, 3\)/);
    expect(() => T.crossEntropy(logits, T.tensor(Int32Array.from([0])))).toThrow(/labels \[1\] must be \[2\] for logits \[2, 3\]/);
    expect(() => T.crossEntropy(T.zeros([3]), T.tensor(Int32Array.from([0])))).toThrow(T.ShapeError);
    expect(() => T.crossEntropy(logits, T.tensor([[true, false, true], [true, true, true]]))).toThrow(T.DTypeError);
    expect(() => T.mse(T.zeros([2]), T.zeros([3]))).toThrow(/mse: prediction \[2\] and target \[3\] differ/);
    expect(() => T.mse(T.zeros([2]), T.zeros([2]), "avg" as never)).toThrow(T.ArgumentError);
  });
});

describe("activations", () => {
  it("match their scalar formulas", () => {
    check(fc.tuple(shapeArbitrary({ maxRank: 2, maxDim: 5 }), seedArbitrary), ([s, seed]) => {
      const x = randomTensor(s, seed, -6, 6);
      const v = values(x);
      const sig = (a: number) => 1 / (1 + Math.exp(-a));
      expectClose(T.sigmoid(x), v.map(sig), s, 1e-15, 1e-12);
      expectClose(T.relu(x), v.map((a) => Math.max(a, 0)), s, 0, 0);
      expectClose(T.leakyRelu(x, 0.2), v.map((a) => (a > 0 ? a : 0.2 * a)), s, 0, 1e-15);
      expectClose(T.leakyRelu(x, 3), v.map((a) => (a > 0 ? a : 3 * a)), s, 0, 1e-15);
      expectClose(T.softplus(x), v.map((a) => Math.log1p(Math.exp(a))), s, 1e-12, 1e-12);
      expectClose(T.silu(x), v.map((a) => a * sig(a)), s, 1e-12, 1e-12);
      expectClose(T.gelu(x, "tanh"), v.map((a) => 0.5 * a * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (a + 0.044715 * a ** 3)))), s, 1e-12, 1e-12);
      expectClose(T.clamp(x, -1, 2), v.map((a) => Math.min(Math.max(a, -1), 2)), s, 0, 0);
    }, 20);
  });

  it("gelu and erf match reference values", () => {
    // erf(0.5), erf(1), erf(2) to 15 digits; gelu(x) = x·Φ(x).
    expectClose(T.erf(T.tensor(new Float64Array([0, 0.5, 1, 2, -1]))), [0, 0.520499877813047, 0.842700792949715, 0.995322265018953, -0.842700792949715], [5], 1e-7, 0);
    expectClose(T.gelu(T.tensor(new Float64Array([1, -1]))), [0.841344746068543, -0.158655253931457], [2], 1e-7, 0);
  });

  it("sigmoid and softplus stay finite at ±1e3", () => {
    const x = T.tensor(new Float64Array([1e3, -1e3]));
    expect(values(T.sigmoid(x))).toEqual([1, 0]);
    expect(values(T.softplus(x))).toEqual([1e3, 0]);
  });
});

describe("dropout", () => {
  it("zeroes about p of the elements and scales the rest by 1/(1 − p)", () => {
    const x = T.ones([100, 100], { dtype: "float64" });
    const y = T.dropout(x, 0.3, new T.Generator(5));
    const v = values(y);
    const kept = v.filter((a) => a !== 0);
    expect(kept.every((a) => Math.abs(a - 1 / 0.7) < 1e-12)).toBe(true);
    expect(Math.abs(kept.length / v.length - 0.7)).toBeLessThan(0.03);
    // Unbiased: the mean stays near 1.
    expect(Math.abs(T.mean(y).item() - 1)).toBeLessThan(0.05);
  });

  it("is deterministic for a seed, differs across seeds, and is the identity in eval mode or p = 0", () => {
    const x = randomTensor([20, 20], 1);
    const a = values(T.dropout(x, 0.5, new T.Generator(9)));
    expect(values(T.dropout(x, 0.5, new T.Generator(9)))).toEqual(a);
    expect(values(T.dropout(x, 0.5, new T.Generator(10)))).not.toEqual(a);
    expect(T.dropout(x, 0.5, new T.Generator(9), false)).toBe(x);
    expect(T.dropout(x, 0, new T.Generator(9))).toBe(x);
    expect(() => T.dropout(x, 1, new T.Generator(9))).toThrow(/dropout: p must be in \[0, 1\), got 1/);
    expect(() => T.dropout(x, -0.1, new T.Generator(9))).toThrow(T.ArgumentError);
  });

  it("passes gradients only through kept elements, scaled", () => {
    const x = T.ones([50], { dtype: "float64", requiresGrad: true });
    const y = T.dropout(x, 0.4, new T.Generator(3));
    T.sum(y).backward();
    expect(values(x.grad!)).toEqual(values(y));
  });
});
