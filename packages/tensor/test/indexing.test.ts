import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { check, expectClose, randomTensor, ravel, seedArbitrary, sizeOfShape, unravel, values } from "./helpers.js";

const nonScalar = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 });
/** x shape, axis, index shape and index values below x.shape[axis]. */
const gatherArbitrary = nonScalar.chain((s) =>
  fc.nat({ max: s.length - 1 }).chain((axis) => {
    const dim = s[axis];
    const ishape = dim === 0 ? fc.constant([0]) : fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 });
    return ishape.chain((is) =>
      fc.record({
        shape: fc.constant(s),
        axis: fc.constant(axis),
        indexShape: fc.constant(is),
        indices: fc.array(fc.nat({ max: Math.max(dim - 1, 0) }), { minLength: sizeOfShape(is), maxLength: sizeOfShape(is) }),
        seed: seedArbitrary,
      }),
    );
  }),
);

describe("gather and scatterAdd", () => {
  it("gather matches index arithmetic: out[a, j, b] = x[a, idx[j], b]", () => {
    check(gatherArbitrary, ({ shape, axis, indexShape, indices, seed }) => {
      const x = randomTensor(shape, seed);
      const data = values(x);
      const outShape = [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
      const expected = Array.from({ length: sizeOfShape(outShape) }, (_, i) => {
        const idx = unravel(i, outShape);
        const j = ravel(idx.slice(axis, axis + indexShape.length), indexShape);
        const src = [...idx.slice(0, axis), indices[j], ...idx.slice(axis + indexShape.length)];
        return data[ravel(src, shape)];
      });
      expectClose(T.gather(x, T.tensor(Int32Array.from(indices), { shape: indexShape }), axis), expected, outShape, 0, 0);
    }, 40);
  });

  it("scatterAdd is the adjoint of gather: ⟨gather(x), y⟩ = ⟨x, scatterAdd(0, y)⟩", () => {
    check(gatherArbitrary, ({ shape, axis, indexShape, indices, seed }) => {
      const x = randomTensor(shape, seed);
      const idx = T.tensor(Int32Array.from(indices), { shape: indexShape });
      const y = randomTensor([...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)], seed + 1);
      const left = T.sum(T.mul(T.gather(x, idx, axis), y)).item();
      const right = T.sum(T.mul(x, T.scatterAdd(T.zerosLike(x), idx, y, axis))).item();
      expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(left)));
    }, 40);
  });

  it("scatterAdd accumulates repeated indices onto the target", () => {
    const target = T.tensor([[1, 1], [1, 1], [1, 1]]);
    const out = T.scatterAdd(target, T.tensor(Int32Array.from([2, 0, 2])), T.tensor([[1, 2], [3, 4], [5, 6]]), 0);
    expect(out.arraySync()).toEqual([[4, 5], [1, 1], [7, 9]]);
    expect(target.arraySync()).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it("oneHot marks the class of each index", () => {
    const labels = T.tensor(Int32Array.from([2, 0, 1]));
    const h = T.oneHot(labels, 3);
    expect(h.dtype).toBe("float32");
    expect(h.arraySync()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(T.oneHot(T.tensor(Int32Array.from([0, 1, 0, 1]), { shape: [2, 2] }), 2).shape).toEqual([2, 2, 2]);
  });

  it("rejects out-of-range indices, non-int32 indices and mismatched updates with informative errors", () => {
    const x = T.zeros([3, 2]);
    expect(() => T.gather(x, T.tensor(Int32Array.from([0, 3])), 0)).toThrow(/gather: index 3 is out of range for axis 0 of size 3/);
    expect(() => T.gather(x, T.tensor(Int32Array.from([-1])), 1)).toThrow(T.ShapeError);
    expect(() => T.gather(x, T.tensor([0, 1]), 0)).toThrow(/gather: indices must be int32, got float32/);
    expect(() => T.gather(x, T.tensor([0, 1]), 0)).toThrow(T.DTypeError);
    expect(() => T.scatterAdd(x, T.tensor(Int32Array.from([5])), T.zeros([1, 2]), 0)).toThrow(/scatterAdd: index 5 is out of range/);
    expect(() => T.scatterAdd(x, T.tensor(Int32Array.from([0])), T.zeros([2, 2]), 0)).toThrow(
      /scatterAdd: updates \[2, 2\] must have shape \[1, 2\] \(target \[3, 2\], indices \[1\], axis 0\)/,
    );
    expect(() => T.oneHot(T.tensor(Int32Array.from([0])), 0)).toThrow(T.ArgumentError);
  });
});
