import type { DType, TypedArray } from "../../dtype.js";
import { fastMath } from "../../math-mode.js";
import { mathHeap } from "./math-heap.js";
import { allocUninitialized } from "./storage.js";
import { arena, residentOffset } from "./arena.js";

/**
 * Softmax and log-softmax along the last axis in WebAssembly SIMD, bit-identical to the JavaScript
 * loop in `softmax.ts`: the same float64 maximum, exponentials equal to Math.exp bit for bit, the
 * sum taken sequentially in element order, and the same final products or differences.
 */

/** Elements per chunk of whole rows copied through wasm memory (two buffers). */
export let SOFTMAX_CHUNK = 16384;
/** Inputs smaller than this stay in JavaScript. */
export let SOFTMAX_WASM_MIN = 64;
/** Rows longer than this stay in JavaScript (a row must fit in wasm memory twice). */
const MAX_ROW = 1 << 22;

/** For tests and measurements: overrides the chunk and the size threshold. */
export function setSoftmaxWasmTuning(chunk: number, min: number): void {
  SOFTMAX_CHUNK = chunk;
  SOFTMAX_WASM_MIN = min;
}

type FloatArray = Float32Array | Float64Array;

/** Softmax (or log-softmax) of `rows` rows of n elements; null where the JS loop must run. */
export function softmaxWasm(x: TypedArray, rows: number, n: number, dtype: DType, log: boolean): TypedArray | null {
  const size = rows * n;
  if (size < SOFTMAX_WASM_MIN || n > MAX_ROW || size !== x.length) return null;
  if (dtype === "float64" ? !(x instanceof Float64Array) : dtype === "bool" || dtype === "int32" || !(x instanceof Float32Array)) return null;
  const out = allocUninitialized(dtype, size) as FloatArray;
  const f64 = x instanceof Float64Array;
  const fast = dtype === "float32" && fastMath(); // fast math mode (math-mode.ts)
  const px = residentOffset(x);
  const po = residentOffset(out);
  if (px >= 0 && po >= 0) {
    // In place in the arena, one call: rows are independent, each computed as through the copies.
    const k = arena()!.exports;
    if (fast) k.fastSoftmax32(log ? 1 : 0, px, po, rows, n);
    else k.softmax(f64 ? 1 : 0, log ? 1 : 0, px, po, rows, n);
    return out;
  }
  const shift = f64 ? 3 : 2;
  const per = Math.max(1, Math.floor(SOFTMAX_CHUNK / n));
  const span = (per * n) << 3;
  const heap = mathHeap(2 * span);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const bx = heap.base;
  const bo = bx + span;
  const exports = heap.exports;
  for (let r0 = 0; r0 < rows; r0 += per) {
    const r1 = Math.min(rows, r0 + per);
    const at = r0 * n;
    const len = (r1 - r0) * n;
    view.set((x as FloatArray).subarray(at, at + len), bx >> shift);
    if (fast) exports.fastSoftmax32(log ? 1 : 0, bx, bo, r1 - r0, n);
    else exports.softmax(f64 ? 1 : 0, log ? 1 : 0, bx, bo, r1 - r0, n);
    out.set(view.subarray(bo >> shift, (bo >> shift) + len), at);
  }
  return out;
}
