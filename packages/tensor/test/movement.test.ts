import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { shapeArbitrary } from "../src/testing.js";
import { check, expectClose, randomTensor, ravel, seedArbitrary, sizeOfShape, unravel, values } from "./helpers.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const shape = shapeArbitrary({ maxRank: 4, maxDim: 4 });
const permutation = (s: number[]) => fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length });

/** out[idx] = x[map(idx)] over every output position. */
function byIndex(outShape: number[], read: (idx: number[]) => number): number[] {
  return range(sizeOfShape(outShape)).map((i) => read(unravel(i, outShape)));
}

describe("reshape and permute", () => {
  it("reshape round-trips and keeps row-major order", () => {
    check(fc.tuple(shape, seedArbitrary), ([s, seed]) => {
      const x = randomTensor(s, seed);
      const flat = x.reshape([sizeOfShape(s) === 0 ? 0 : -1]);
      expect(values(flat)).toEqual(values(x));
      const back = flat.reshape(s);
      expectClose(back, values(x), s, 0, 0);
      expect(x.view([1, ...s, 1]).shape).toEqual([1, ...s, 1]);
    }, 30);
  });

  it("permute matches index arithmetic, and the inverse permutation round-trips", () => {
    check(fc.tuple(shape.chain((s) => fc.tuple(fc.constant(s), permutation(s))), seedArbitrary), ([[s, perm], seed]) => {
      const x = randomTensor(s, seed);
      const data = values(x);
      const outShape = perm.map((p) => s[p]);
      const expected = byIndex(outShape, (idx) => {
        const src = new Array<number>(s.length);
        perm.forEach((p, i) => (src[p] = idx[i]));
        return data[ravel(src, s)];
      });
      const y = T.permute(x, perm);
      expectClose(y, expected, outShape, 0, 0);
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      expectClose(T.permute(y, inverse), data, s, 0, 0);
    }, 40);
  });

  it("transpose swaps two axes; .T is the matrix transpose; transposing twice is the identity", () => {
    const x = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.T.arraySync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x.T.T.arraySync()).toEqual(x.arraySync());
    const y = randomTensor([2, 3, 4], 1);
    expect(T.transpose(y, 0, 2).shape).toEqual([4, 3, 2]);
    expectClose(T.transpose(y, 0, 2), values(T.permute(y, [2, 1, 0])), [4, 3, 2], 0, 0);
  });

  it("expandDims and squeeze are inverses", () => {
    check(fc.tuple(shape, seedArbitrary).chain(([s, seed]) => fc.tuple(fc.constant(s), fc.constant(seed), fc.integer({ min: 0, max: s.length }))), ([s, seed, axis]) => {
      const x = randomTensor(s, seed);
      const e = T.expandDims(x, axis);
      expect(e.shape).toEqual([...s.slice(0, axis), 1, ...s.slice(axis)]);
      expectClose(T.squeeze(e, axis), values(x), s, 0, 0);
    }, 30);
    expect(T.squeeze(T.zeros([1, 2, 1, 3])).shape).toEqual([2, 3]);
  });
});

describe("slice, pad, concat, stack, flip, tile vs references", () => {
  it("slice matches index arithmetic (negative and clamped bounds)", () => {
    const cases = shape.chain((s) =>
      fc.tuple(fc.constant(s), fc.tuple(...s.map((d) => fc.tuple(fc.integer({ min: -d - 2, max: d + 1 }), fc.integer({ min: -d - 2, max: d + 2 })))), seedArbitrary),
    );
    check(cases, ([s, bounds, seed]) => {
      const x = randomTensor(s, seed);
      const data = values(x);
      const lo = bounds.map(([b], i) => Math.min(Math.max(b < 0 ? b + s[i] : b, 0), s[i]));
      const hi = bounds.map(([, e], i) => Math.max(lo[i], Math.min(Math.max(e < 0 ? e + s[i] : e, 0), s[i])));
      const outShape = lo.map((l, i) => hi[i] - l);
      const expected = byIndex(outShape, (idx) => data[ravel(idx.map((v, i) => v + lo[i]), s)]);
      expectClose(T.slice(x, bounds.map((b) => b[0]), bounds.map((b) => b[1])), expected, outShape, 0, 0);
    }, 40);
  });

  it("pad fills a border with the value and is undone by slice", () => {
    const cases = shape.chain((s) =>
      fc.tuple(fc.constant(s), fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })), { minLength: s.length, maxLength: s.length }), fc.constantFrom(0, -2.5), seedArbitrary),
    );
    check(cases, ([s, padding, value, seed]) => {
      const x = randomTensor(s, seed);
      const data = values(x);
      const outShape = s.map((d, i) => d + padding[i][0] + padding[i][1]);
      const expected = byIndex(outShape, (idx) => {
        const src = idx.map((v, i) => v - padding[i][0]);
        return src.every((v, i) => v >= 0 && v < s[i]) ? data[ravel(src, s)] : value;
      });
      const y = T.pad(x, padding, value);
      expectClose(y, expected, outShape, 0, 0);
      expectClose(T.slice(y, padding.map((p) => p[0]), padding.map((p, i) => p[0] + s[i])), data, s, 0, 0);
    }, 40);
  });

  it("concat matches index arithmetic; slicing the parts back recovers them", () => {
    const cases = fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
      .chain((s) => fc.tuple(fc.constant(s), fc.nat({ max: s.length - 1 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), seedArbitrary));
    check(cases, ([s, axis, sizes, seed]) => {
      const parts = sizes.map((d, k) => randomTensor(s.map((v, i) => (i === axis ? d : v)), seed + k));
      const outShape = s.map((v, i) => (i === axis ? sizes.reduce((a, b) => a + b, 0) : v));
      const offsets = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
      const expected = byIndex(outShape, (idx) => {
        let k = sizes.length - 1;
        while (offsets[k] > idx[axis]) k--;
        const src = idx.slice();
        src[axis] -= offsets[k];
        return values(parts[k])[ravel(src, parts[k].shape)];
      });
      const y = T.concat(parts, axis);
      expectClose(y, expected, outShape, 0, 0);
      parts.forEach((p, k) => {
        const begin = s.map((_, i) => (i === axis ? offsets[k] : 0));
        const end = outShape.map((d, i) => (i === axis ? offsets[k] + sizes[k] : d));
        expectClose(T.slice(y, begin, end), values(p), p.shape.slice(), 0, 0);
      });
    }, 40);
  });

  it("stack inserts a new axis: stack(xs, a)[…, k, …] = xs[k]", () => {
    check(fc.tuple(shape, fc.integer({ min: 1, max: 3 }), seedArbitrary).chain(([s, n, seed]) => fc.tuple(
      fc.constant(s),
      fc.constant(n),
      fc.constant(seed),
      fc.integer({ min: 0, max: s.length }),
    )), ([s, n, seed, axis]) => {
      const xs = range(n).map((k) => randomTensor(s, seed + k));
      const y = T.stack(xs, axis);
      expect(y.shape).toEqual([...s.slice(0, axis), n, ...s.slice(axis)]);
      xs.forEach((x, k) => expectClose(T.index(y, k, axis), values(x), s, 0, 0));
    }, 30);
  });

  it("flip reverses the chosen axes and is an involution", () => {
    check(fc.tuple(shape.chain((s) => fc.tuple(fc.constant(s), fc.subarray(range(s.length)))), seedArbitrary), ([[s, axes], seed]) => {
      const x = randomTensor(s, seed);
      const data = values(x);
      const expected = byIndex(s, (idx) => data[ravel(idx.map((v, i) => (axes.includes(i) ? s[i] - 1 - v : v)), s)]);
      const y = T.flip(x, axes);
      expectClose(y, expected, s, 0, 0);
      expectClose(T.flip(y, axes), data, s, 0, 0);
    }, 30);
    expect(T.flip(T.tensor([[1, 2], [3, 4]])).arraySync()).toEqual([[4, 3], [2, 1]]);
  });

  it("tile repeats the whole tensor like numpy.tile", () => {
    check(fc.tuple(shapeArbitrary({ maxRank: 3, maxDim: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), seedArbitrary), ([s, reps, seed]) => {
      const x = randomTensor(s, seed);
      const data = values(x);
      const rank = Math.max(s.length, reps.length);
      const sp = [...new Array<number>(rank - s.length).fill(1), ...s];
      const rp = [...new Array<number>(rank - reps.length).fill(1), ...reps];
      const outShape = sp.map((d, i) => d * rp[i]);
      const expected = byIndex(outShape, (idx) => data[ravel(idx.map((v, i) => v % sp[i]), sp)]);
      expectClose(T.tile(x, reps), expected, outShape, 0, 0);
    }, 40);
  });

  it("index picks one element along an axis, negative from the end", () => {
    const x = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(T.index(x, 1).arraySync()).toEqual([4, 5, 6]);
    expect(T.index(x, -1, 1).arraySync()).toEqual([3, 6]);
    expect(x.index(0, 1).arraySync()).toEqual([1, 4]);
    expect(() => T.index(x, 2)).toThrow(/index: index 2 is out of range for axis 0 of size 2/);
  });
});
