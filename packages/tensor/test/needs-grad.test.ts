import { afterEach, describe, expect, it } from "vitest";
import { Generator, getBackend, matmul, randn } from "../src/index.js";

// Counts matmul kernel launches on the CPU backend.
const kernels = getBackend("cpu").kernels as unknown as Record<string, (...args: unknown[]) => unknown>;
const original = kernels.matmul;
let calls = 0;
kernels.matmul = (...args: unknown[]) => {
  calls++;
  return original(...args);
};
afterEach(() => {
  calls = 0;
});

describe("gradients only for inputs that require them", () => {
  it("x·w with data x and weights w runs one backward matmul, not two", () => {
    const gen = new Generator(5);
    const x = randn([8, 3], gen);
    const w = randn([3, 4], gen).requireGrad();
    const y = matmul(x, w).sum();
    expect(calls).toBe(1);
    y.backward();
    expect(calls).toBe(2);
    expect(w.grad!.shape).toEqual([3, 4]);
    expect(x.grad).toBeNull();
  });

  it("both operands requiring grad still get both gradients", () => {
    const gen = new Generator(6);
    const a = randn([2, 3], gen).requireGrad();
    const b = randn([3, 2], gen).requireGrad();
    matmul(a, b).sum().backward();
    expect(calls).toBe(3);
    expect(a.grad).not.toBeNull();
    expect(b.grad).not.toBeNull();
  });
});
