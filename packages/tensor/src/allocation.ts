/**
 * The allocation guard: a limit on the elements of any one allocation, checked before the
 * memory is taken, so an impossible shape fails at once with an error naming the op and the
 * shape instead of a RangeError from a typed array, a minute of filling, or an exhausted heap.
 */
import { AllocationError } from "./errors.js";
import { ArgumentError } from "./errorHierarchy.js";

/**
 * Default limit: 2^31 − 1 elements, the largest count an int32 (the index dtype of argmax,
 * gather and permutation) can address, and below the 2^32-element ceiling of a typed array.
 */
export const DEFAULT_ALLOCATION_LIMIT = 2 ** 31 - 1;

let limit = DEFAULT_ALLOCATION_LIMIT;

/**
 * Sets the most elements one tensor allocation may hold (default 2^31 − 1); returns the
 * previous limit. Lower it to make a server or a notebook refuse shapes it cannot afford.
 * @example const previous = setAllocationLimit(1e8); try { … } finally { setAllocationLimit(previous); }
 */
export function setAllocationLimit(elements: number): number {
  if (typeof elements !== "number" || !Number.isInteger(elements) || elements < 0) {
    throw new ArgumentError(`setAllocationLimit: elements must be a non-negative integer, got ${String(elements)}`, "elements");
  }
  const previous = limit;
  limit = elements;
  return previous;
}

/** The most elements one tensor allocation may hold. */
export function getAllocationLimit(): number {
  return limit;
}

/** Throws an AllocationError naming `op` when a tensor of `shape` would pass the limit. */
export function checkAllocation(op: string, shape: readonly number[]): void {
  let elements = 1;
  for (const d of shape) elements *= d;
  if (elements > limit) throw new AllocationError(op, shape, elements, limit);
}
