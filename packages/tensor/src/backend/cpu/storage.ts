import { type DType, type TypedArray, allocArray } from "../../dtype.js";
import type { Backend, Storage, StorageStats, TensorInfo } from "../backend.js";
import { ARRAY_OVERHEAD_BYTES, ArrayPool } from "./pool.js";
import { arenaArray, arenaStats, freeArenaArray } from "./arena.js";

/**
 * CPU storage: a TypedArray of the tensor's dtype, either a view of a block of the wasm arena
 * (`arena.ts`: the wasm kernels run on it in place) or, for small arrays and when the arena is full,
 * an ordinary typed array (pooled by `pool.ts`).
 */
export interface CpuStorage extends Storage {
  readonly data: TypedArray;
}

/** The TypedArray behind a CPU tensor. */
export function dataOf(info: TensorInfo): TypedArray {
  return (info.storage as CpuStorage).data;
}

/** Element bytes of live storages (what `memory().bytes.cpu` reports). */
let liveElementBytes = 0;
let liveArrays = 0;
export const pool = new ArrayPool();

export function cpuBytesInUse(): number {
  return liveElementBytes;
}

/** Live and pooled arrays, counted by what they really cost. */
export function cpuStorageStats(): StorageStats {
  return {
    liveArrays,
    liveBytes: liveElementBytes + liveArrays * ARRAY_OVERHEAD_BYTES,
    pooledArrays: pool.count,
    pooledBytes: pool.bytes,
    poolLimitBytes: pool.limitBytes,
    arena: arenaStats(),
  };
}

/** An array whose contents are arbitrary: for kernels that write every element. */
export function allocUninitialized<D extends DType>(dtype: D, size: number): TypedArray {
  return arenaArray(dtype, size) ?? pool.take(dtype, size) ?? allocArray(dtype, size);
}

/** A zero-filled array. */
export function allocZeroed(dtype: DType, size: number): TypedArray {
  return (arenaArray(dtype, size) ?? pool.take(dtype, size))?.fill(0) ?? allocArray(dtype, size);
}

/** Wraps an array as storage owned by `backend`. */
export function wrap(backend: Backend, data: TypedArray, dtype: DType): CpuStorage {
  liveElementBytes += data.byteLength;
  liveArrays++;
  return { backend, dtype, size: data.length, refCount: 1, data };
}

export function release(storage: Storage): void {
  const data = (storage as CpuStorage).data;
  liveElementBytes -= data.byteLength;
  liveArrays--;
  if (!freeArenaArray(data)) pool.put(storage.dtype, data);
}

/**
 * Bounds the bytes (elements + `ARRAY_OVERHEAD_BYTES` per array) that the CPU keeps of
 * disposed arrays for reuse; 0 turns pooling off. Default `DEFAULT_STORAGE_POOL_LIMIT` (64 MiB).
 */
export function setStoragePoolLimit(bytes: number): void {
  pool.setLimit(bytes);
}
