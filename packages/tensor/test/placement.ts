import { expect } from "vitest";
import { ARENA_MIN_BYTES, arenaArray, freeArenaArray, residentOffset, setArenaMinBytes } from "../src/backend/cpu/arena";
import type { TypedArray } from "../src/dtype";

/**
 * Where a wasm driver's operands live: every test of a driver runs each case in all three, since each
 * takes another path through it.
 * - "typed arrays": inputs and output ordinary typed arrays (the arena off or full): copied through;
 * - "typed arrays in, arena out": inputs adopted from the user, output in the arena: copied through;
 * - "arena": everything resident, tiny arrays included: the kernels run in place.
 */
export type Placement = "typed arrays" | "typed arrays in, arena out" | "arena";
export const PLACEMENTS: readonly Placement[] = ["typed arrays", "typed arrays in, arena out", "arena"];

const dtypeOf = (x: TypedArray) => (x instanceof Float64Array ? "float64" : x instanceof Int32Array ? "int32" : x instanceof Uint8Array ? "bool" : "float32");

/** A copy of x resident in the arena. */
export function inArena<T extends TypedArray>(x: T): T {
  if (x.length === 0) return x; // nothing to place: an empty array has no block
  const copy = arenaArray(dtypeOf(x), x.length) as T | null;
  expect(copy, `arena block for ${x.length} elements`).not.toBeNull();
  copy!.set(x);
  return copy!;
}

/**
 * Runs `fn` on the inputs placed as `placement` says (arena copies are made, and freed after, here);
 * `fn` returns the arrays it got from the driver, which are checked to live where the placement says
 * and freed.
 */
export function placed<A extends TypedArray[]>(placement: Placement, inputs: A, fn: (...xs: A) => (TypedArray | null)[]): void {
  setArenaMinBytes(placement === "typed arrays" ? Number.POSITIVE_INFINITY : 0);
  const xs = (placement === "arena" ? inputs.map(inArena) : inputs) as A;
  try {
    const outs = fn(...xs);
    for (const out of outs) {
      if (out === null || out.length === 0) continue;
      const resident = residentOffset(out) >= 0;
      expect(resident, `output of ${out.length} elements ${placement === "typed arrays" ? "outside" : "in"} the arena`).toBe(placement !== "typed arrays");
      freeArenaArray(out);
    }
  } finally {
    if (placement === "arena") for (const x of xs) freeArenaArray(x);
    setArenaMinBytes(ARENA_MIN_BYTES);
  }
}
