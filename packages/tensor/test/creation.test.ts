import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";

describe("creation", () => {
  it("tensor infers shape and dtype from nested arrays and TypedArrays", () => {
    const a = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("float32");
    expect(a.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(T.tensor(5).shape).toEqual([]);
    expect(T.tensor(5).item()).toBe(5);
    expect(T.tensor([true, false]).dtype).toBe("bool");
    expect(T.tensor([true, false]).arraySync()).toEqual([true, false]);
    expect(T.tensor(new Float64Array(6), { shape: [2, 3] }).dtype).toBe("float64");
    expect(T.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(T.tensor([[1, 2]], { dtype: "int32" }).dtype).toBe("int32");
    expect(T.tensor([]).shape).toEqual([0]);
    expect(T.tensor([[], []]).shape).toEqual([2, 0]);
    expect(T.tensor([1, 2, 3, 4], { shape: [2, 2] }).arraySync()).toEqual([[1, 2], [3, 4]]);
  });

  it("tensor copies its input: later writes to the array do not change it", () => {
    const data = new Float32Array([1, 2]);
    const t = T.tensor(data);
    data[0] = 99;
    expect(t.arraySync()).toEqual([1, 2]);
    const out = t.dataSync();
    out[1] = 77;
    expect(t.arraySync()).toEqual([1, 2]);
  });

  it("zeros, ones, full, eye, zerosLike, onesLike", () => {
    expect(T.zeros([2, 2]).arraySync()).toEqual([[0, 0], [0, 0]]);
    expect(T.ones([3], { dtype: "int32" }).arraySync()).toEqual([1, 1, 1]);
    expect(T.ones([3], { dtype: "int32" }).dtype).toBe("int32");
    expect(T.full([2], 7.5, { dtype: "float64" }).arraySync()).toEqual([7.5, 7.5]);
    expect(T.full([2], 1, { dtype: "bool" }).arraySync()).toEqual([true, true]);
    expect(T.eye(2, 3).arraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(T.eye(3).arraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const x = T.tensor([[1, 2]], { dtype: "float64" });
    expect(T.zerosLike(x).dtype).toBe("float64");
    expect(T.onesLike(x).arraySync()).toEqual([[1, 1]]);
    expect(T.zeros([0, 4]).size).toBe(0);
    expect(T.zeros([]).shape).toEqual([]);
  });

  it("arange counts like Python's range, int32 for integer arguments", () => {
    expect(T.arange(5).arraySync()).toEqual([0, 1, 2, 3, 4]);
    expect(T.arange(5).dtype).toBe("int32");
    expect(T.arange(2, 8, 3).arraySync()).toEqual([2, 5]);
    expect(T.arange(5, 0, -2).arraySync()).toEqual([5, 3, 1]);
    expect(T.arange(3, 1).arraySync()).toEqual([]);
    expect(T.arange(0, 1, 0.25).arraySync()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(T.arange(0, 1, 0.25).dtype).toBe("float32");
    expect(T.arange(3, { dtype: "float64" }).dtype).toBe("float64");
    expect(() => T.arange(0, 1, 0)).toThrow(/arange: step must not be 0/);
    expect(() => T.arange(Number.NaN)).toThrow(/arange: stop must be finite, got NaN/);
  });

  it("linspace includes both ends", () => {
    expect(T.linspace(0, 1, 5).arraySync()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(T.linspace(2, 2, 1).arraySync()).toEqual([2]);
    expect(T.linspace(0, 1, 0).shape).toEqual([0]);
    expect(() => T.linspace(0, 1, -1)).toThrow(T.ArgumentError);
    expect(() => T.linspace(0, 1, 2.5)).toThrow(/linspace: count must be a non-negative integer, got 2.5/);
  });

  it("requiresGrad option marks a leaf; integer tensors cannot require grad", () => {
    expect(T.zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(() => T.zeros([2], { dtype: "int32", requiresGrad: true })).toThrow(T.DTypeError);
  });

  it("toString shows values, shape and dtype", () => {
    expect(T.tensor([[1, 2]]).toString()).toBe("Tensor([[1,2]], shape=[1, 2], dtype=float32)");
  });
});
