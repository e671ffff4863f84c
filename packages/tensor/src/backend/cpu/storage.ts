import { type DType, type TypedArray, allocArray } from "../../dtype.js";
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
let pooledBytes = 0;
/** Disposed arrays kept for reuse, per dtype and length: training loops allocate the same shapes every step. */
const pools: Record<DType, Map<number, TypedArray[]>> = { float32: new Map(), float64: new Map(), int32: new Map(), bool: new Map(), float16: new Map() };
// float16 elements live in Float32Arrays: both dtypes share one pool.
pools.float16 = pools.float32;
const POOL_LIMIT_BYTES = 64 * 1024 * 1024;

export function cpuBytesInUse(): number {
  return bytes;
}

/** An array whose contents are arbitrary: for kernels that write every element. */
export function allocUninitialized<D extends DType>(dtype: D, size: number): TypedArray {
  const list = pools[dtype].get(size);
  if (list && list.length > 0) {
    const data = list.pop()!;
    pooledBytes -= data.byteLength;
    return data;
  }
  return allocArray(dtype, size);
}

/** A zero-filled array. */
export function allocZeroed(dtype: DType, size: number): TypedArray {
  const list = pools[dtype].get(size);
  if (list && list.length > 0) return allocUninitialized(dtype, size).fill(0);
  return allocArray(dtype, size);
}

/** Wraps an array as storage owned by `backend`. */
export function wrap(backend: Backend, data: TypedArray, dtype: DType): CpuStorage {
  bytes += data.byteLength;
  return { backend, dtype, size: data.length, refCount: 1, data };
}

export function release(storage: Storage): void {
  const data = (storage as CpuStorage).data;
  bytes -= data.byteLength;
  if (pooledBytes + data.byteLength > POOL_LIMIT_BYTES) return;
  const pool = pools[storage.dtype];
  let list = pool.get(data.length);
  if (!list) pool.set(data.length, (list = []));
  list.push(data);
  pooledBytes += data.byteLength;
}
