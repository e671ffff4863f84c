import { afterEach, describe, expect, it } from "vitest";
import * as T from "../src/index.js";

/** Runs `fn`, expecting an AllocationError; returns it and how long the refusal took. */
function refused(fn: () => unknown): { error: T.AllocationError; ms: number } {
  const start = performance.now();
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - start;
  expect(error, "expected an AllocationError").toBeInstanceOf(T.AllocationError);
  expect(error).toBeInstanceOf(T.FcnError);
  return { error: error as T.AllocationError, ms };
}

afterEach(() => T.setAllocationLimit(T.DEFAULT_ALLOCATION_LIMIT));

describe("allocation guard", () => {
  it("defaults to 2^31 − 1 elements, the most an int32 index can address", () => {
    expect(T.getAllocationLimit()).toBe(2 ** 31 - 1);
  });

  it("refuses shapes past the limit in every creation path, naming the op and the shape", () => {
    const gen = new T.Generator(0);
    const cases: [string, () => unknown, string][] = [
      ["zeros", () => T.zeros([1e6, 1e6]), "[1000000, 1000000]"],
      ["ones", () => T.ones([1e5, 1e5]), "[100000, 100000]"],
      ["full", () => T.full([3e9], 2), "[3000000000]"],
      ["eye", () => T.eye(1e6), "[1000000, 1000000]"],
      ["randn", () => T.randn([1e5, 1e5], gen), "[100000, 100000]"],
      ["rand", () => T.rand([5e9], gen), "[5000000000]"],
      ["bernoulli", () => T.bernoulli(0.5, [5e9], gen), "[5000000000]"],
      ["randint", () => T.randint(0, 9, [5e9], gen), "[5000000000]"],
      ["arange", () => T.arange(0, 1e10), "[10000000000]"],
      ["linspace", () => T.linspace(0, 1, 3e9), "[3000000000]"],
      ["permutation", () => T.permutation(3e9, gen), "[3000000000]"],
    ];
    for (const [op, fn, shape] of cases) {
      const { error, ms } = refused(fn);
      expect(error.message).toContain(`${op}: shape ${shape}`);
      expect(error.op).toBe(op);
      expect(error.functionName).toBe(op);
      expect(error.argument).toBe("shape");
      expect(ms).toBeLessThan(200);
    }
  });

  it("refuses op outputs past the limit before any kernel runs: matmul, tile, broadcasting", () => {
    const column = T.zeros([1e5, 1]);
    const row = T.zeros([1, 1e5]);
    const product = refused(() => T.matmul(column, row)).error;
    expect(product.message).toContain("matmul: shape [100000, 100000]");
    expect(product.elements).toBe(1e10);
    expect(refused(() => T.tile(T.zeros([1000, 1000]), [1000, 1000])).error.message).toContain("tile: shape [1000000, 1000000]");
    expect(refused(() => T.add(column, row)).error.message).toContain("add: shape [100000, 100000]");
    expect(refused(() => T.broadcastTo(column, [1e5, 1e5])).error.message).toContain("broadcastTo: shape [100000, 100000]");
    expect(refused(() => T.kron(column, row.reshape([1e5, 1]))).error.op).toBeDefined();
  });

  it("is configurable: a lowered limit refuses what the default allows, and returns the previous limit", () => {
    expect(T.setAllocationLimit(1000)).toBe(2 ** 31 - 1);
    expect(T.getAllocationLimit()).toBe(1000);
    expect(T.zeros([10, 100]).size).toBe(1000);
    const { error } = refused(() => T.randn([1001], new T.Generator(0)));
    expect(error.message).toMatch(/randn: shape \[1001\] has 1\.001e\+3 elements, more than the allocation limit of 1000/);
    expect(error.limit).toBe(1000);
    refused(() => T.zeros([10, 10]).matmul(T.zeros([10, 101])));
    refused(() => T.tensor(new Float32Array(1001)));
    expect(T.setAllocationLimit(T.DEFAULT_ALLOCATION_LIMIT)).toBe(1000);
  });

  it("rejects a limit that is not a non-negative integer", () => {
    for (const bad of [-1, 1.5, Number.NaN, "10", null]) {
      expect(() => T.setAllocationLimit(bad as never)).toThrow(T.ArgumentError);
      expect(() => T.setAllocationLimit(bad as never)).toThrow(/setAllocationLimit: elements must be a non-negative integer/);
    }
  });
});
