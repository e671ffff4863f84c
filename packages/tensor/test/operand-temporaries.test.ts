import { describe, expect, it } from "vitest";
import { AllocationError, ArgumentError, add, arange, greater, memory, mul, oneHot, tensor, where } from "../src/index.js";

describe("temporaries made for number operands and casts", () => {
  it("are freed at once when nothing is recorded", () => {
    const x = tensor([1, 2, 3]);
    const i = tensor([1, 2, 3], { dtype: "int32" });
    const before = memory().tensors;
    add(x, 2).dispose();
    mul(i, 0.5).dispose(); // int32 · float scalar: a cast temporary too
    greater(x, 1).dispose();
    where(greater(x, 1), x, 0).dispose();
    expect(memory().tensors).toBe(before + 1); // the inner greater(x, 1) is the caller's
  });

  it("stay alive while the tape needs them", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = mul(x, 3).sum();
    y.backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([3, 3, 3]);
  });
});

describe("range checks", () => {
  it("oneHot rejects labels outside [0, depth)", () => {
    expect(() => oneHot(tensor([0, 3], { dtype: "int32" }), 3)).toThrow(ArgumentError);
    expect(() => oneHot(tensor([0, 3], { dtype: "int32" }), 3)).toThrow(/index 3 is outside \[0, 3\)/);
  });

  it("arange rejects lengths no tensor can hold", () => {
    expect(() => arange(0, 1e12)).toThrow(AllocationError);
  });
});
