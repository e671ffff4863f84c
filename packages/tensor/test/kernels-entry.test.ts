import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../src/errors.js";
import { expInto, gemmF64 } from "../src/kernels.js";

describe("@fcn/tensor/kernels", () => {
  it("expInto equals Math.exp bit for bit in float64, and Math.exp rounded once in float32", () => {
    fc.assert(fc.property(fc.array(fc.double(), { minLength: 0, maxLength: 300 }), (values) => {
      const x = Float64Array.from(values);
      const out = new Float64Array(x.length);
      expInto(x, out);
      const x32 = Float32Array.from(values);
      const out32 = new Float32Array(x32.length);
      expInto(x32, out32);
      for (let i = 0; i < x.length; i++) {
        expect(Object.is(out[i], Math.exp(x[i]))).toBe(true);
        expect(Object.is(out32[i], Math.fround(Math.exp(x32[i])))).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it("expInto names a wrong output type or length", () => {
    expect(() => expInto(new Float64Array(4), new Float32Array(4))).toThrow(ArgumentError);
    expect(() => expInto(new Float32Array(4), new Float32Array(3))).toThrow(/3 elements, x has 4/);
  });

  it("re-exports the plain-array gemm", () => {
    const c = new Float64Array(1);
    gemmF64(Float64Array.of(1, 2), Float64Array.of(3, 4), c, 1, 1, 2, false, false);
    expect(c[0]).toBe(11);
  });
});
