import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { broadcastShapes, broadcastStrides, sizeOf } from "../src/shape.js";
import { broadcastPairArbitrary } from "../src/testing.js";
import { unravel } from "./helpers.js";

/** Flat index into `shape` of the element that output index `idx` reads under broadcasting. */
function sourceIndex(shape: readonly number[], idx: readonly number[]): number {
  const lead = idx.length - shape.length;
  let p = 0;
  for (let j = 0; j < shape.length; j++) p = p * shape[j] + (shape[j] === 1 ? 0 : idx[lead + j]);
  return p;
}

// The one broadcastStrides (shape.ts) that the CPU and WebGPU backends both walk inputs with.
describe("broadcastStrides", () => {
  it("addresses, for every output index, the element broadcasting reads", () => {
    fc.assert(
      fc.property(broadcastPairArbitrary({ maxRank: 4, minDim: 1, maxDim: 4 }), ([a, b]) => {
        const out = broadcastShapes("test", a, b);
        for (const shape of [a, b]) {
          const strides = broadcastStrides(shape, out);
          expect(strides.length).toBe(out.length);
          for (let i = 0; i < sizeOf(out); i++) {
            const idx = unravel(i, out);
            expect(idx.reduce((s, k, axis) => s + k * strides[axis], 0)).toBe(sourceIndex(shape, idx));
          }
        }
      }),
    );
  });

  it("is row-major strides for an unbroadcast shape and 0 on stretched or missing axes", () => {
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [5, 2])).toEqual([0, 0]);
  });
});
