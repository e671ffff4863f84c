import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import type { DType } from "../src/index.js";

const DTYPES: DType[] = ["bool", "int32", "float16", "float32", "float64"];
const order = (d: DType) => DTYPES.indexOf(d);
const make = (dtype: DType) => T.tensor([1, 0, 1], { dtype });

describe("dtype promotion", () => {
  it("promoteTypes follows bool < int32 < float32 < float64 for every pair", () => {
    for (const a of DTYPES) {
      for (const b of DTYPES) {
        const expected = order(a) >= order(b) ? a : b;
        expect(T.promoteTypes(a, b), `${a} ∨ ${b}`).toBe(expected);
      }
    }
  });

  it("arithmetic results: promoted, bool arithmetic gives int32, div/pow give floats, comparisons give bool", () => {
    for (const a of DTYPES) {
      for (const b of DTYPES) {
        const promoted = T.promoteTypes(a, b);
        const arithmetic = promoted === "bool" ? "int32" : promoted;
        const floating = arithmetic === "int32" ? "float32" : arithmetic;
        const x = make(a);
        const y = make(b);
        for (const op of [T.add, T.sub, T.mul, T.maximum, T.minimum]) expect(op(x, y).dtype, `${op.name} ${a} ${b}`).toBe(arithmetic);
        expect(T.div(x, y).dtype, `div ${a} ${b}`).toBe(floating);
        expect(T.pow(x, y).dtype, `pow ${a} ${b}`).toBe(floating);
        expect(T.less(x, y).dtype).toBe("bool");
        expect(T.where(T.tensor([true, false, true]), x, y).dtype, `where ${a} ${b}`).toBe(arithmetic);
        expect(T.concat([x, y]).dtype, `concat ${a} ${b}`).toBe(promoted);
      }
    }
  });

  it("unary float functions promote integers to float32; neg/abs/relu keep the dtype", () => {
    const i = T.tensor([-2, 3], { dtype: "int32" });
    for (const op of [T.exp, T.log, T.sqrt, T.sin, T.cos, T.tanh, T.sigmoid, T.erf]) expect(op(i).dtype, op.name).toBe("float32");
    for (const op of [T.neg, T.abs, T.relu, T.sign]) expect(op(i).dtype, op.name).toBe("int32");
    expect(T.neg(i).arraySync()).toEqual([2, -3]);
    expect(T.exp(T.tensor([0], { dtype: "float64" })).dtype).toBe("float64");
    expect(T.neg(T.tensor([true])).dtype).toBe("int32");
  });

  it("integer arithmetic is exact; int32 division is true division", () => {
    const a = T.tensor([7, -7], { dtype: "int32" });
    const b = T.tensor([2, 2], { dtype: "int32" });
    expect(T.add(a, b).arraySync()).toEqual([9, -5]);
    expect(T.div(a, b).arraySync()).toEqual([3.5, -3.5]);
    expect(T.mul(a, 3).dtype).toBe("int32");
    expect(T.mul(a, 0.5).dtype).toBe("float32");
    expect(T.add(T.tensor([true, false]), T.tensor([true, true])).arraySync()).toEqual([2, 1]);
  });

  it("cast truncates toward zero into int32, maps nonzero to true into bool, and is exact to float64", () => {
    const x = T.tensor(new Float64Array([1.9, -1.9, 0, 0.5, -0.25]));
    expect(x.cast("int32").arraySync()).toEqual([1, -1, 0, 0, 0]);
    expect(x.cast("bool").arraySync()).toEqual([true, true, false, true, true]);
    expect(T.tensor([true, false]).cast("float32").arraySync()).toEqual([1, 0]);
    expect(T.tensor([0.1], { dtype: "float32" }).cast("float64").item()).toBe(Math.fround(0.1));
    expect(x.cast("float64")).toBe(x);
  });

  it("float32 results are rounded to float32", () => {
    const a = T.tensor([0.1], { dtype: "float32" });
    expect(T.add(a, a).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.1)));
  });

  it("rejects unknown dtypes naming the op and the valid list", () => {
    expect(() => T.zeros([2], { dtype: "bfloat16" as DType })).toThrow(/zeros: unknown dtype "bfloat16"; expected one of float16, float32, float64, int32, bool/);
    expect(() => T.tensor([1], { dtype: "int64" as DType })).toThrow(T.DTypeError);
    expect(() => T.cast(T.zeros([1]), "uint8" as DType)).toThrow(/cast: unknown dtype "uint8"/);
    expect(() => T.matmul(T.tensor([[true]]), T.tensor([[true]]))).toThrow(/matmul: bool operands are not supported/);
  });
});
