/**
 * Host values into a dtype's array, refusing what the dtype cannot hold, as PyTorch does:
 * torch.tensor([nan], dtype=torch.int32) raises, and so does an integer out of int32 range.
 * A typed array's own conversion would store NaN as 0 and 3e9 as −1294967296 without a word.
 */
import { checkAllocation } from "../allocation.js";
import { type DType, type TypedArray, allocArray } from "../dtype.js";
import type { Backend } from "../backend/backend.js";
import { hostArray } from "./hostArray.js";
import { ArgumentError } from "../errors.js";

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Position of flat index i in `shape`, as `[1][0]` (or `[i]` for flat data). */
function elementPath(i: number, shape: readonly number[]): string {
  if (shape.length <= 1) return `[${i}]`;
  const parts: number[] = [];
  for (let a = shape.length - 1; a >= 0; a--) {
    parts.unshift(i % shape[a]);
    i = Math.floor(i / shape[a]);
  }
  return parts.map((p) => `[${p}]`).join("");
}

/**
 * Copies `values` into a new array of `dtype` after checking the allocation limit. int32
 * truncates toward zero (as PyTorch) and rejects NaN, ±∞ and values outside int32; bool
 * stores every non-zero value (NaN included) as true.
 */
export function storeValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType, op: string, argument: string, backend?: Backend): TypedArray {
  checkAllocation(op, shape);
  const array = backend ? hostArray(backend, dtype, values.length, op) : allocArray(dtype, values.length, op);
  if (dtype === "int32") {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      const t = Math.trunc(v);
      if (!(t >= INT32_MIN && t <= INT32_MAX)) {
        const why = Number.isNaN(v) ? "NaN has no integer value" : `it is outside int32's range [${INT32_MIN}, ${INT32_MAX}]`;
        throw new ArgumentError(`${op}: ${argument}${elementPath(i, shape)} = ${v} cannot be stored as int32: ${why}`, { functionName: op, argument });
      }
      array[i] = t;
    }
  } else if (dtype === "bool") {
    for (let i = 0; i < values.length; i++) array[i] = values[i] !== 0 ? 1 : 0;
  } else array.set(values);
  return array;
}

/** Checks one fill value against `dtype` (see storeValues). */
export function checkFillValue(value: number, dtype: DType, op: string): void {
  if (dtype === "int32") storeValues([value], [1], dtype, op, "value");
}
