import type { DType, TypedArray } from "../../dtype.js";
import type { Backend, Storage, TensorInfo } from "../backend.js";

/** CPU storage: a TypedArray of the tensor's dtype. */
export interface CpuStorage extends Storage {
  readonly data: TypedArray;
}

/** The TypedArray behind a CPU tensor. */
export function dataOf(info: TensorInfo): TypedArray {
  return (info.storage as CpuStorage).data;
}

let bytes = 0;

export function cpuBytesInUse(): number {
  return bytes;
}

/** Wraps an array as storage owned by `backend`. */
export function wrap(backend: Backend, data: TypedArray, dtype: DType): CpuStorage {
  bytes += data.byteLength;
  return { backend, dtype, size: data.length, refCount: 1, data };
}

export function release(storage: Storage): void {
  bytes -= (storage as CpuStorage).data.byteLength;
}
