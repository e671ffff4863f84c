import { arena, arenaScratch, residentOffset } from "./arena.js";
import { HEAP_BASE, type KernelExports, kernelHeap } from "./kernel-heap.js";

type FloatArray = Float32Array | Float64Array;

/**
 * Where a reduction-style kernel finds its input and its buffers: the kernel heap, with x copied
 * into its x buffer chunk by chunk, or — for x resident in the CPU arena — the arena's instance
 * reading x in place, with the buffers in a scratch block laid out as in the heap. The caller walks
 * the same chunks in the same order either way, so the results are the same.
 */
export interface KernelPlace {
  readonly k: KernelExports;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  /** Add to a buffer's offset in the heap layout to get its byte offset in this memory. */
  readonly delta: number;
  /** Byte offset of x[from, to) in this memory (copied into the x buffer unless resident). */
  at(from: number, to: number): number;
}

/**
 * The place for x given the heap layout's x buffer offset and its size above HEAP_BASE; `scratch`
 * names the arena block that holds the buffers (one per caller).
 */
export function kernelPlace(x: FloatArray, xBuffer: number, bytes: number, scratch: string): KernelPlace {
  const shift = x instanceof Float64Array ? 3 : 2;
  const px = residentOffset(x);
  const a = px >= 0 ? arena() : null;
  const base = a === null ? -1 : arenaScratch(a, scratch, bytes);
  if (a !== null && base >= 0) {
    return { k: a.exports, f32: a.f32, f64: a.f64, i32: a.i32, delta: base - HEAP_BASE, at: (from) => px + (from << shift) };
  }
  const heap = kernelHeap(bytes);
  const view: FloatArray = shift === 3 ? heap.f64 : heap.f32;
  return {
    k: heap.exports, f32: heap.f32, f64: heap.f64, i32: heap.i32, delta: 0,
    at: (from, to) => {
      view.set(from === 0 && to === x.length ? x : x.subarray(from, to), xBuffer >> shift);
      return xBuffer;
    },
  };
}
