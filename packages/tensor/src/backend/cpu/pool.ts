import type { DType, TypedArray } from "../../dtype.js";
import { ArgumentError } from "../../errors.js";

/**
 * What one typed array costs beyond its elements, in bytes. Measured on Node 20 (V8 11.3)
 * with forced GC over 10⁵ arrays: a JSTypedArray with its JSArrayBuffer takes 190–220 bytes
 * of heap (elements up to 64 bytes live inside it, larger ones in a malloc'd backing store
 * whose bookkeeping comes on top). The memory benchmark prints the figure it measures.
 */
export const ARRAY_OVERHEAD_BYTES = 256;

/** Default bound on the bytes (elements + overhead) that disposed arrays may keep. */
export const DEFAULT_STORAGE_POOL_LIMIT = 64 * 1024 * 1024;

/**
 * A size class keeps at most this many arrays. A training step's working set of one shape is
 * far smaller; more arrive at once only when a collection finalizes a batch of forgotten
 * tensors, and keeping those would hold memory (and a long list) that the loop never reuses.
 */
export const MAX_POOLED_PER_SIZE = 1024;

/** What holding `array` costs: its bytes plus the fixed per-array overhead. */
export function arrayCost(array: TypedArray): number {
  return array.byteLength + ARRAY_OVERHEAD_BYTES;
}

/** Disposed arrays of one dtype and length, with the tick of their last use (for LRU eviction). */
interface SizeClass {
  readonly arrays: TypedArray[];
  lastUse: number;
}

/**
 * Disposed arrays kept for reuse, keyed by dtype and length (training loops allocate the same
 * shapes every step), bounded by what they really cost and by a count per size class. When a
 * release would pass the byte bound, arrays of the least recently used size class go first.
 */
export class ArrayPool {
  private readonly classes: Record<DType, Map<number, SizeClass>>;
  private clock = 0;
  private limit = DEFAULT_STORAGE_POOL_LIMIT;
  /** Bytes (elements + overhead) of the arrays held. */
  bytes = 0;
  /** Number of arrays held. */
  count = 0;

  constructor() {
    const float32 = new Map<number, SizeClass>();
    // float16 elements live in Float32Arrays: both dtypes share one map.
    this.classes = { float32, float16: float32, float64: new Map(), int32: new Map(), bool: new Map() };
  }

  get limitBytes(): number {
    return this.limit;
  }

  /** Changes the bound, evicting at once what no longer fits. */
  setLimit(bytes: number): void {
    if (typeof bytes !== "number" || !(bytes >= 0) || !Number.isFinite(bytes)) {
      throw new ArgumentError(`setStoragePoolLimit: bytes must be a finite number ≥ 0, got ${String(bytes)}`, "bytes");
    }
    this.limit = bytes;
    while (this.bytes > this.limit && this.evictLeastRecentlyUsed());
  }

  /** A pooled array of this dtype and length, or undefined. Its contents are arbitrary. */
  take(dtype: DType, length: number): TypedArray | undefined {
    const sizeClass = this.classes[dtype].get(length);
    const array = sizeClass?.arrays.pop();
    if (array === undefined) return undefined;
    sizeClass!.lastUse = ++this.clock;
    this.bytes -= arrayCost(array);
    this.count--;
    return array;
  }

  /** Keeps a released array for reuse, within the bound. */
  put(dtype: DType, array: TypedArray): void {
    const cost = arrayCost(array);
    if (cost > this.limit) return;
    const map = this.classes[dtype];
    let sizeClass = map.get(array.length);
    if (!sizeClass) map.set(array.length, (sizeClass = { arrays: [], lastUse: 0 }));
    sizeClass.lastUse = ++this.clock;
    if (sizeClass.arrays.length >= MAX_POOLED_PER_SIZE) return;
    sizeClass.arrays.push(array);
    this.bytes += cost;
    this.count++;
    // The class just used is the newest, so eviction takes other sizes first.
    while (this.bytes > this.limit && this.evictLeastRecentlyUsed());
  }

  /** Drops one array of the size class used longest ago (empty classes are forgotten). */
  private evictLeastRecentlyUsed(): boolean {
    let oldest: SizeClass | undefined;
    for (const dtype of ["float32", "float64", "int32", "bool"] as const) {
      for (const [length, sizeClass] of this.classes[dtype]) {
        if (sizeClass.arrays.length === 0) this.classes[dtype].delete(length);
        else if (!oldest || sizeClass.lastUse < oldest.lastUse) oldest = sizeClass;
      }
    }
    const array = oldest?.arrays.pop();
    if (array === undefined) return false;
    this.bytes -= arrayCost(array);
    this.count--;
    return true;
  }
}
