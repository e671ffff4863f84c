import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { shapeArbitrary } from "../src/testing.js";
import { check, expectClose, randomTensor, seedArbitrary, sizeOfShape, unravel, values } from "./helpers.js";

/** Groups the elements of x by their position on the kept axes, in output order. */
function groups(data: number[], shape: number[], axes: number[]): { groups: number[][]; outShape: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out: number[][] = Array.from({ length: sizeOfShape(kept) }, () => []);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    let p = 0;
    for (let d = 0; d < shape.length; d++) p = p * kept[d] + (axes.includes(d) ? 0 : idx[d]);
    out[p].push(data[i]);
  }
  return { groups: out, outShape: kept };
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[], correction: number) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - correction);

const REFERENCES: [string, (x: T.Tensor, axis: number[] | number | undefined, keepDims: boolean) => T.Tensor, (v: number[]) => number, { minCount: number }][] = [
  ["sum", T.sum, (v) => v.reduce((a, b) => a + b, 0), { minCount: 0 }],
  ["mean", T.mean, mean, { minCount: 1 }],
  ["max", T.max, (v) => Math.max(...v), { minCount: 1 }],
  ["min", T.min, (v) => Math.min(...v), { minCount: 1 }],
  ["prod", T.prod, (v) => v.reduce((a, b) => a * b, 1), { minCount: 0 }],
  ["variance", (x, a, k) => T.variance(x, a, k), (v) => variance(v, 0), { minCount: 1 }],
  ["variance(correction 1)", (x, a, k) => T.variance(x, a, k, 1), (v) => variance(v, 1), { minCount: 2 }],
  ["std", (x, a, k) => T.std(x, a, k), (v) => Math.sqrt(variance(v, 0)), { minCount: 1 }],
  ["logsumexp", T.logsumexp, (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)), { minCount: 0 }],
];

/** A shape, a set of axes (given as undefined, one axis or a list; maybe negative), keepDims. */
const reduceArbitrary = shapeArbitrary({ maxRank: 4, maxDim: 4 }).chain((s) =>
  fc.record({
    shape: fc.constant(s),
    axes: fc.oneof(fc.constant(undefined), fc.subarray(Array.from({ length: s.length }, (_, i) => i))),
    negative: fc.boolean(),
    keepDims: fc.boolean(),
    seed: seedArbitrary,
  }),
);

describe("reductions agree with naive loops", () => {
  for (const [name, op, ref, { minCount }] of REFERENCES) {
    it(name, () => {
      check(reduceArbitrary, ({ shape, axes, negative, keepDims, seed }) => {
        const all = axes ?? shape.map((_, i) => i);
        if (all.some((a) => shape[a] === 0) ? minCount > 0 : all.reduce((n, a) => n * shape[a], 1) < minCount) return;
        const x = randomTensor(shape, seed);
        const axisArg = axes === undefined ? undefined : axes.length === 1 && negative ? axes[0] - shape.length : axes.map((a) => (negative ? a - shape.length : a));
        const { groups: g, outShape } = groups(values(x), shape, all);
        const expectedShape = keepDims ? outShape : shape.filter((_, i) => !all.includes(i));
        expectClose(op(x, axisArg, keepDims), g.map(ref), expectedShape, 1e-12, 1e-10);
      }, 40);
    });
  }

  for (const [name, op, isMax] of [["argmax", T.argmax, true], ["argmin", T.argmin, false]] as const) {
    it(`${name} returns the first extreme index`, () => {
      check(fc.tuple(shapeArbitrary({ maxRank: 3, minDim: 1, maxDim: 4 }), seedArbitrary, fc.boolean(), fc.boolean()), ([shape, seed, keepDims, flat]) => {
        // Rounded values make ties common; the first index must win.
        const x = T.tensor(Float64Array.from(values(randomTensor(shape, seed, -2, 2)).map(Math.round)), { shape });
        const data = values(x);
        const pick = (v: number[]) => v.reduce((best, value, i) => ((isMax ? value > v[best] : value < v[best]) ? i : best), 0);
        if (flat || shape.length === 0) {
          const out = op(x);
          expect(out.dtype).toBe("int32");
          expectClose(out, [pick(data)], [], 0, 0);
          return;
        }
        const axis = seed % shape.length;
        const { groups: g, outShape } = groups(data, shape, [axis]);
        expectClose(op(x, axis, keepDims), g.map(pick), keepDims ? outShape : shape.filter((_, i) => i !== axis), 0, 0);
      }, 40);
    });
  }

  it("sum of an empty axis is 0, prod is 1, logsumexp is −∞; max/min/argmax of one raise", () => {
    const e = T.zeros([2, 0]);
    expect(T.sum(e, 1).arraySync()).toEqual([0, 0]);
    expect(T.prod(e, 1).arraySync()).toEqual([1, 1]);
    expect(T.logsumexp(e, 1).arraySync()).toEqual([-Infinity, -Infinity]);
    expect(T.sum(e, 0).shape).toEqual([0]);
    expect(() => T.max(e, 1)).toThrow(/max: cannot reduce over an empty axis of shape \[2, 0\]/);
    expect(() => T.min(e)).toThrow(T.ShapeError);
    expect(() => T.argmax(e)).toThrow(/argmax: empty tensor of shape \[2, 0\]/);
  });

  it("logsumexp is stable for large inputs", () => {
    const x = T.tensor(new Float64Array([1000, 1000, -1000]));
    expect(T.logsumexp(x).item()).toBeCloseTo(1000 + Math.log(2), 10);
    const y = T.tensor(new Float64Array([-1000, -1000]));
    expect(T.logsumexp(y).item()).toBeCloseTo(-1000 + Math.log(2), 10);
  });

  it("logsumexp of all −∞ is −∞ and with +∞ is +∞ (not NaN), and its gradient is still softmax", () => {
    const x = T.tensor(new Float64Array([-Infinity, -Infinity, 0, 1, Infinity, 2]), { shape: [3, 2] });
    expect(values(T.logsumexp(x, 1))).toEqual([-Infinity, Math.log(Math.E + 1), Infinity]);
    expect(values(T.softmax(T.tensor(new Float64Array([-Infinity, 0]))))).toEqual([0, 1]);
    const y = T.tensor(new Float64Array([0, Math.log(3)]), { requiresGrad: true });
    T.logsumexp(y).backward();
    expectClose(y.grad!, [0.25, 0.75], [2], 1e-15, 1e-14);
  });

  it("NaN propagates through max/min, and argmax points at it", () => {
    const x = T.tensor(new Float64Array([1, Number.NaN, 3]));
    expect(T.max(x).item()).toBeNaN();
    expect(T.min(x).item()).toBeNaN();
    expect(T.argmax(x).item()).toBe(1);
  });

  it("ties of max split the gradient evenly", () => {
    const x = T.tensor(new Float64Array([2, 1, 2]), { requiresGrad: true });
    T.max(x).backward();
    expect(values(x.grad!)).toEqual([0.5, 0, 0.5]);
  });

  it("sums of float32 and int32 keep their dtype; bool sums to int32; mean of int32 is float32", () => {
    expect(T.sum(T.ones([3], { dtype: "int32" })).dtype).toBe("int32");
    const b = T.tensor([true, false, true]);
    expect(T.sum(b).dtype).toBe("int32");
    expect(T.sum(b).item()).toBe(2);
    const m = T.mean(T.tensor([1, 2], { dtype: "int32" }));
    expect(m.dtype).toBe("float32");
    expect(m.item()).toBe(1.5);
    // float32 sums accumulate in float64: 1 + 2^-24 · 2^24 stays exact-ish.
    const n = 1 << 20;
    const small = T.full([n], 1e-3, { dtype: "float32" });
    expect(Math.abs(T.sum(small).item() - n * Math.fround(1e-3))).toBeLessThan(1e-2);
  });

  it("rejects repeated and out-of-range axes", () => {
    const x = T.zeros([2, 3]);
    expect(() => T.sum(x, [0, -2])).toThrow(/sum: repeated axis in \[0, -2\]/);
    expect(() => T.sum(x, 2)).toThrow(/sum: axis 2 is out of range for a tensor of rank 2/);
    expect(() => T.mean(x, -3)).toThrow(T.ShapeError);
    expect(() => T.variance(T.zeros([1]), 0, false, 1)).toThrow(/variance: 1 elements with correction 1/);
  });
});
