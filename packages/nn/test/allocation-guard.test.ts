import { AllocationError, DEFAULT_ALLOCATION_LIMIT, FcnError, setAllocationLimit } from "@fcn/tensor";
import { afterEach, describe, expect, it } from "vitest";
import { DeepMLP, DenseMLP, Linear } from "../src/index.js";

/** Runs `build`, expecting an AllocationError; returns it and the milliseconds the refusal took. */
function refused(build: () => unknown): { error: AllocationError; ms: number } {
  const start = performance.now();
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - start;
  expect(error, "expected an AllocationError").toBeInstanceOf(AllocationError);
  expect(error).toBeInstanceOf(FcnError);
  return { error: error as AllocationError, ms };
}

afterEach(() => setAllocationLimit(DEFAULT_ALLOCATION_LIMIT));

describe("model constructors fail fast through the allocation guard", () => {
  it("new DenseMLP({ width: 5e8 }) is refused in well under a second, before any layer is allocated", () => {
    const { error, ms } = refused(() => new DenseMLP({ width: 5e8 }));
    expect(error.message).toContain("DenseMLP: shape [500000000, 500000000]");
    expect(ms).toBeLessThan(500);
    expect(refused(() => new DeepMLP({ width: 1e6 })).error.message).toContain("DeepMLP: shape [1000000, 1000000]");
  });

  it("a Linear layer too large is refused by the tensor creation it goes through", () => {
    const { error, ms } = refused(() => new Linear({ inputs: 1e6, outputs: 1e6 }));
    expect(error.op).toBe("rand");
    expect(ms).toBeLessThan(500);
  });

  it("a lowered limit applies to models too", () => {
    setAllocationLimit(10_000);
    expect(() => new DenseMLP({ width: 64 })).not.toThrow();
    expect(refused(() => new DenseMLP({ width: 101 })).error.message).toContain("DenseMLP: shape [101, 101]");
  });
});
