import { describe, expect, it } from "vitest";
import { gemmF32, gemmF64 } from "@fcn/tensor/gemm";
import * as T from "../src/index.js";

describe("@fcn/tensor/gemm", () => {
  it.each([
    [3, 5, 7, false, false],
    [64, 33, 70, true, false],
    [70, 64, 33, false, true],
    [17, 9, 5, true, true],
  ] as const)("C = op(A)·op(B) matches matmul for m=%i n=%i k=%i (ᵀA %s, ᵀB %s), in place", (m, n, k, ta, tb) => {
    const g = new T.Generator(m * n + k);
    const a = T.randn(ta ? [k, m] : [m, k], g, { dtype: "float64" });
    const b = T.randn(tb ? [n, k] : [k, n], g, { dtype: "float64" });
    const want = T.matmul(a, b, { transposeA: ta, transposeB: tb }).dataSync();
    const c = new Float64Array(m * n).fill(Number.NaN);
    gemmF64(a.dataSync() as Float64Array, b.dataSync() as Float64Array, c, m, n, k, ta, tb);
    for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - want[i])).toBeLessThan(1e-12 * k);
    const c32 = new Float32Array(m * n);
    gemmF32(Float32Array.from(a.dataSync()), Float32Array.from(b.dataSync()), c32, m, n, k, ta, tb);
    for (let i = 0; i < c.length; i++) expect(Math.abs(c32[i] - want[i])).toBeLessThan(1e-5 * k);
  });

  it("rejects arrays too short for their shapes, naming the operand", () => {
    expect(() => gemmF64(new Float64Array(5), new Float64Array(6), new Float64Array(4), 2, 2, 3, false, false)).toThrow(T.ShapeError);
  });
});
