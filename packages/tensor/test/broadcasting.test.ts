import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { broadcastPairArbitrary } from "../src/testing.js";
import { check, expectClose, randomTensor, seedArbitrary, sizeOfShape, unravel, values } from "./helpers.js";

/** The index-loop reference: out[idx] = f(a[idx aligned right, 0 on size-1 axes], b[…]). */
function broadcastReference(f: (...v: number[]) => number, inputs: { data: number[]; shape: number[] }[]): { data: number[]; shape: number[] } {
  const rank = Math.max(0, ...inputs.map((x) => x.shape.length));
  const shape = Array.from({ length: rank }, (_, o) => Math.max(...inputs.map((x) => x.shape[o - (rank - x.shape.length)] ?? 1)));
  // A 0 anywhere makes the output axis 0.
  for (let o = 0; o < rank; o++) if (inputs.some((x) => x.shape[o - (rank - x.shape.length)] === 0)) shape[o] = 0;
  const data: number[] = [];
  for (let i = 0; i < sizeOfShape(shape); i++) {
    const idx = unravel(i, shape);
    const args = inputs.map(({ data: d, shape: s }) => {
      let p = 0;
      for (let j = 0; j < s.length; j++) p = p * s[j] + (s[j] === 1 ? 0 : idx[rank - s.length + j]);
      return d[p];
    });
    data.push(f(...args));
  }
  return { data, shape };
}

const BINARY: [string, (a: T.Tensor, b: T.Tensor) => T.Tensor, (a: number, b: number) => number][] = [
  ["add", T.add, (a, b) => a + b],
  ["sub", T.sub, (a, b) => a - b],
  ["mul", T.mul, (a, b) => a * b],
  ["div", T.div, (a, b) => a / b],
  ["pow", (a, b) => T.pow(T.abs(a), b), (a, b) => Math.abs(a) ** b],
  ["maximum", T.maximum, Math.max],
  ["minimum", T.minimum, Math.min],
  ["equal", T.equal, (a, b) => Number(a === b)],
  ["notEqual", T.notEqual, (a, b) => Number(a !== b)],
  ["less", T.less, (a, b) => Number(a < b)],
  ["lessEqual", T.lessEqual, (a, b) => Number(a <= b)],
  ["greater", T.greater, (a, b) => Number(a > b)],
  ["greaterEqual", T.greaterEqual, (a, b) => Number(a >= b)],
];

/** Small integers so comparisons see ties. */
const ints = (shape: number[], seed: number) => T.tensor(Float64Array.from(values(randomTensor(shape, seed, -3, 3)).map(Math.round)), { shape });

describe("broadcasting agrees with an index-loop reference", () => {
  for (const [name, op, ref] of BINARY) {
    it(name, () => {
      check(fc.tuple(broadcastPairArbitrary({ maxRank: 4, maxDim: 3 }), seedArbitrary), ([[sa, sb], seed]) => {
        const a = ints(sa, seed);
        const b = ints(sb, seed + 1);
        const expected = broadcastReference(ref, [
          { data: values(a), shape: sa },
          { data: values(b), shape: sb },
        ]);
        expectClose(op(a, b), expected.data, expected.shape, 1e-12, 1e-12);
      }, 30);
    });
  }

  it("where broadcasts the condition and both branches", () => {
    const triple = broadcastPairArbitrary({ maxRank: 3, maxDim: 3 }).chain(([a, b]) =>
      fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }).map((ones) => [a.map((d, i) => (ones[i] ? 1 : d)), a, b] as const),
    );
    check(fc.tuple(triple, seedArbitrary), ([[sc, sa, sb], seed]) => {
      const c = T.greater(randomTensor(sc, seed), 0);
      const a = randomTensor(sa, seed + 1);
      const b = randomTensor(sb, seed + 2);
      const expected = broadcastReference((x, y, z) => (x ? y : z), [
        { data: values(c), shape: sc },
        { data: values(a), shape: sa },
        { data: values(b), shape: sb },
      ]);
      expectClose(T.where(c, a, b), expected.data, expected.shape, 0, 0);
    }, 30);
  });

  it("broadcastTo repeats size-1 axes and prepends axes", () => {
    check(fc.tuple(broadcastPairArbitrary({ maxRank: 4, maxDim: 3 }), seedArbitrary), ([[sa, sb], seed]) => {
      const target = T.broadcastShapes("test", sa, sb);
      const a = randomTensor(sa, seed);
      const expected = broadcastReference((x) => x, [
        { data: values(a), shape: sa },
        { data: new Array<number>(sizeOfShape(target)).fill(0), shape: target },
      ]);
      expectClose(T.broadcastTo(a, target), expected.data, target, 0, 0);
    }, 30);
  });

  it("broadcastShapes follows NumPy: align right, 1 stretches, 0 wins over 1", () => {
    expect(T.broadcastShapes("t", [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(T.broadcastShapes("t", [], [3])).toEqual([3]);
    expect(T.broadcastShapes("t", [0, 1], [1, 5])).toEqual([0, 5]);
    expect(() => T.broadcastShapes("t", [2, 3], [3, 2])).toThrow(T.ShapeError);
  });

  it("number operands broadcast as scalars of the tensor's dtype", () => {
    const x = T.tensor([[1, 2], [3, 4]], { dtype: "int32" });
    const y = x.add(1);
    expect(y.dtype).toBe("int32");
    expect(y.arraySync()).toEqual([[2, 3], [4, 5]]);
    expect(x.mul(0.5).dtype).toBe("float32");
    expect(T.sub(10, x).arraySync()).toEqual([[9, 8], [7, 6]]);
  });
});
