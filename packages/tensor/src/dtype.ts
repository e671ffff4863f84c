import { checkAllocation } from "./allocation.js";
import { DTypeError } from "./errors.js";

/**
 * Element types a tensor can hold. `bool` is stored as one byte per element. `float16`
 * values live in a Float32Array on the host (rounded to half precision after every
 * kernel, see half.ts) and in f16 buffers on WebGPU adapters with `shader-f16`.
 */
export type DType = "float16" | "float32" | "float64" | "int32" | "bool";

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The TypedArray type that stores each dtype. */
export interface ArrayFor {
  float16: Float32Array;
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

const constructors = {
  float16: Float32Array,
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

const rank: Record<DType, number> = { bool: 0, int32: 1, float16: 2, float32: 3, float64: 4 };

export const DTYPES: readonly DType[] = ["float16", "float32", "float64", "int32", "bool"];

/** Allocates a zero-filled array of `size` elements for `dtype` (`op` names the caller in a refusal). */
export function allocArray<D extends DType>(dtype: D, size: number, op = "allocate"): ArrayFor[D] {
  checkAllocation(op, [size]);
  return new constructors[dtype](size) as ArrayFor[D];
}

/** Bytes per element of the dtype's format (float16: 2, though the CPU keeps it in 4). */
export function bytesPerElement(dtype: DType): number {
  return dtype === "float16" ? 2 : constructors[dtype].BYTES_PER_ELEMENT;
}

export function isFloat(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64" || dtype === "float16";
}

/** The dtype a binary op on `a` and `b` computes in: bool < int32 < float16 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The dtype of an arithmetic result: like promotion, but bool arithmetic gives int32. */
export function arithmeticType(a: DType, b: DType): DType {
  const t = promoteTypes(a, b);
  return t === "bool" ? "int32" : t;
}

/** Float ops (exp, log, division…) on integer input compute in float32, as PyTorch does. */
export function floatType(dtype: DType): DType {
  return isFloat(dtype) ? dtype : "float32";
}

export function assertDType(value: unknown, name: string): DType {
  if (typeof value !== "string" || !(value in constructors)) {
    throw new DTypeError(`${name}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(", ")}`);
  }
  return value as DType;
}

/** The dtype a TypedArray stores, or undefined for array types no dtype uses. */
export function dtypeOfArray(array: ArrayLike<number>): DType | undefined {
  if (array instanceof Float32Array) return "float32";
  if (array instanceof Float64Array) return "float64";
  if (array instanceof Int32Array) return "int32";
  if (array instanceof Uint8Array) return "bool";
  return undefined;
}
