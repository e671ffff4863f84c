import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError, type Tensor, kron as tensorKron, matmul, tensor, tidy, transpose } from "@fcn/tensor";
import { checkGrads } from "@fcn/tensor/testing";
import { type Matrix, fromData, matvec } from "../../src/linalg/matrix.js";
import { kron } from "../../src/kron/product.js";
import { kronApply } from "../../src/operator/kronApply.js";
import { PROPERTY_PARAMETERS } from "../../src/testing.js";
import { expectArrayClose } from "../helpers.js";

/** Random factor lists: 2–3 factors, each of shape [2–3, 2–3], float64 entries in [-2, 2]. */
const shapeArb = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 }));
const caseArb = fc.record({
  shapes: fc.array(shapeArb, { minLength: 2, maxLength: 3 }),
  columns: fc.constantFrom(0, 1, 2),
  transpose: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});
type Case = { shapes: [number, number][]; columns: number; transpose: boolean; seed: number };

function values(seed: number, length: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}

function build(c: Case) {
  const factors = c.shapes.map(([m, n], i) => tensor(values(c.seed + 17 * i, m * n), { shape: [m, n], dtype: "float64" }));
  const inSize = c.shapes.reduce((s, [m, n]) => s * (c.transpose ? m : n), 1);
  const xShape = c.columns === 0 ? [inSize] : [inSize, c.columns];
  const x = tensor(values(c.seed + 99, inSize * Math.max(1, c.columns)), { shape: xShape, dtype: "float64" });
  return { factors, x };
}

/** The dense product through @fcn/tensor's own kron and matmul. */
function denseApply(factors: readonly Tensor[], x: Tensor, transposed: boolean): Tensor {
  let product = factors[0];
  for (let i = 1; i < factors.length; i++) product = tensorKron(product, factors[i]);
  return matmul(transposed ? transpose(product) : product, x);
}

const toMatrix = (t: Tensor): Matrix => fromData(t.shape[0], t.shape[1], t.dataSync() as Float64Array);

describe("kronApply (differentiable Kronecker matvec)", () => {
  it("equals the dense Kronecker product (tensor kron and the package's own kron)", () => {
    fc.assert(fc.property(caseArb, (c) => tidy(() => {
      const { factors, x } = build(c);
      const y = kronApply(factors, x, { transpose: c.transpose });
      const expected = denseApply(factors, x, c.transpose);
      expect(y.shape).toEqual(expected.shape);
      expectArrayClose(y.dataSync(), expected.dataSync(), 1e-12);
      if (c.columns === 0 && !c.transpose) {
        expectArrayClose(y.dataSync(), matvec(kron(...factors.map(toMatrix)), x.dataSync() as Float64Array), 1e-12);
      }
    })), PROPERTY_PARAMETERS);
  });

  it("has correct gradients for every factor and the input (checkGrads, float64)", () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { factors, x } = build(c);
      const result = checkGrads(
        (...inputs: Tensor[]) => kronApply(inputs.slice(0, -1), inputs[inputs.length - 1], { transpose: c.transpose }),
        [...factors, x],
        { eps: 1e-6, atol: 1e-7, rtol: 1e-6 },
      );
      if (!result.ok) throw new Error(`gradient mismatch: ${JSON.stringify(result.worst)}`);
    }), { ...PROPERTY_PARAMETERS, numRuns: 100 });
  });

  it("gradient check detects a wrong gradient (a factor cut from the tape)", () => {
    const { factors, x } = build({ shapes: [[2, 3], [3, 2]], columns: 0, transpose: false, seed: 5 });
    const result = checkGrads((a: Tensor, b: Tensor, v: Tensor) => kronApply([a.detach(), b], v), [...factors, x]);
    expect(result.ok).toBe(false);
  });

  it("backward through a loss matches the dense product's gradients", () => {
    const { factors, x } = build({ shapes: [[3, 2], [2, 3], [2, 2]], columns: 2, transpose: false, seed: 11 });
    const grads = (apply: (fs: Tensor[], v: Tensor) => Tensor) => {
      const fs = factors.map((f) => tensor(f.dataSync(), { shape: f.shape.slice(), dtype: "float64" }).requireGrad());
      const v = tensor(x.dataSync(), { shape: x.shape.slice(), dtype: "float64" }).requireGrad();
      apply(fs, v).square().sum().backward();
      return [...fs, v].map((t) => t.grad!.dataSync());
    };
    const lazy = grads((fs, v) => kronApply(fs, v));
    const dense = grads((fs, v) => denseApply(fs, v, false));
    lazy.forEach((g, i) => expectArrayClose(g, dense[i], 1e-11));
  });

  it("float32 factors and input stay float32", () => {
    const { factors, x } = build({ shapes: [[2, 3], [3, 2]], columns: 0, transpose: false, seed: 3 });
    const y = kronApply(factors.map((f) => f.cast("float32")), x.cast("float32"));
    expect(y.dtype).toBe("float32");
    expectArrayClose(y.dataSync(), kronApply(factors, x).dataSync(), 1e-5);
  });
  it("raises typed errors naming the shapes", () => {
    const a = tensor([[1, 2], [3, 4]], { dtype: "float64" });
    expect(() => kronApply([], tensor([1]))).toThrow(ArgumentError);
    expect(() => kronApply([a, a], tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => kronApply([a, a], tensor([1, 2, 3]))).toThrow(/\[3\] does not fit \[2, 2\] ⊗ \[2, 2\] \(needs 4 rows\)/);
    expect(() => kronApply([tensor([1, 2])], tensor([1, 2]))).toThrow(/factor 0 must be a matrix/);
  });
});
