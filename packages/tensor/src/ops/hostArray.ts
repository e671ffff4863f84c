import { checkAllocation } from "../allocation.js";
import type { Backend } from "../backend/backend.js";
import { type DType, type TypedArray, allocArray } from "../dtype.js";

/**
 * A zero-filled array for `backend.upload`, drawn from the backend's pool where it keeps one:
 * creation ops (scalar operands above all) then reuse disposed arrays as kernels do, instead
 * of leaving one more array in the pool per call.
 */
export function hostArray(backend: Backend, dtype: DType, size: number, op: string): TypedArray {
  checkAllocation(op, [size]);
  return backend.hostArray?.(dtype, size) ?? allocArray(dtype, size, op);
}
