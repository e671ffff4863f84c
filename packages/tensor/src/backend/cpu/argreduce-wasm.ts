import type { TypedArray } from "../../dtype.js";
import type { Shape } from "../../shape.js";
import { HEAP_BASE } from "./kernel-heap.js";
import { type KernelPlace, kernelPlace } from "./kernel-place.js";
import { REDUCE_CHUNK, REDUCE_WASM_MIN } from "./reduce-wasm.js";

/**
 * argmax/argmin of float32/float64 tensors in WebAssembly SIMD, with exactly `argReduce`'s indices
 * (`reduce.ts`): the first maximum (minimum), or the first NaN. Along the last axis (nothing after
 * the reduced axis) each row's extreme value comes from the max/min kernel and a second pass finds
 * its first occurrence; over an axis with elements after it, SIMD lanes run across the outputs, each
 * applying the JS loop's rule. Chunk size and threshold are the reductions' (`reduce-wasm.ts`).
 */

type FloatArray = Float32Array | Float64Array;

/** x (8 bytes per element of the chunk), then the per-row or per-column state (16 bytes each). */
function layout(c: number) {
  const x = HEAP_BASE;
  const st = x + 8 * c;
  const idx = st + 8 * c;
  return { x, st, idx, bytes: idx + 8 * c - HEAP_BASE };
}

/** The kernels' place for x (kernel-place.ts) with this layout's state and index buffers. */
interface Place extends KernelPlace {
  readonly st: number;
  readonly idx: number;
}

function place(x: FloatArray): Place {
  const L = layout(REDUCE_CHUNK);
  const p = kernelPlace(x, L.x, L.bytes, "argreduce");
  return { ...p, st: L.st + p.delta, idx: L.idx + p.delta };
}

/** Index of the first max (isMax) or min along `axis`, in wasm; null for the JS loop. */
export function argReduceWasm(isMax: boolean, x: TypedArray, shape: Shape, axis: number): Int32Array | null {
  const f64 = x instanceof Float64Array ? 1 : x instanceof Float32Array ? 0 : -1;
  if (f64 < 0 || x.length < REDUCE_WASM_MIN || x.length === 0) return null;
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const n = shape[axis];
  if (inner === 1 && n < 16) return null; // short rows: two kernel passes cost more than the JS loop ([64, 10]: 1.9 vs 1.6 µs)
  return inner === 1 ? argRows(isMax, x as FloatArray, outer, n, f64) : argColumns(isMax, x as FloatArray, outer, n, inner, f64);
}

/** Along rows: the extreme value of each row, then its first occurrence. */
function argRows(isMax: boolean, x: FloatArray, rows: number, n: number, f64: number): Int32Array {
  const c = REDUCE_CHUNK;
  const p = place(x);
  const k = p.k;
  const M = isMax ? 0 : 1;
  const out = new Int32Array(rows);
  if (n <= c) {
    const per = Math.floor(c / n);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const count = Math.min(per, rows - r0);
      const at = p.at(r0 * n, (r0 + count) * n);
      k.extremeRows(f64, M, at, count, n, p.st, 1);
      k.firstIndexRows(f64, at, count, n, p.st, p.idx);
      out.set(p.i32.subarray(p.idx >> 2, (p.idx >> 2) + count), r0);
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < n; c0 += c) {
      const len = Math.min(c, n - c0);
      k.extremeRows(f64, M, p.at(r * n + c0, r * n + c0 + len), 1, len, p.st, c0 === 0 ? 1 : 0);
    }
    // The value is in the row, so some chunk holds its first occurrence.
    for (let c0 = 0; c0 < n; c0 += c) {
      const len = Math.min(c, n - c0);
      k.firstIndexRows(f64, p.at(r * n + c0, r * n + c0 + len), 1, len, p.st, p.idx);
      const at = p.i32[p.idx >> 2];
      if (at >= 0) {
        out[r] = c0 + at;
        break;
      }
    }
  }
  return out;
}

/** Over an axis with `inner` elements after it: lanes across the outputs, rows in order. */
function argColumns(isMax: boolean, x: FloatArray, outer: number, n: number, inner: number, f64: number): Int32Array {
  const c = REDUCE_CHUNK;
  const p = place(x);
  const k = p.k;
  const view: FloatArray = f64 ? p.f64 : p.f32;
  const shift = f64 ? 3 : 2;
  const M = isMax ? 0 : 1;
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let c0 = 0; c0 < inner; c0 += c) {
      const w = Math.min(c, inner - c0);
      // Row 0 starts every column: best = x[0], index 0.
      view.set(x.subarray(base + c0, base + c0 + w), p.st >> shift);
      if (f64) p.f64.fill(0, p.idx >> 3, (p.idx >> 3) + w);
      else p.i32.fill(0, p.idx >> 2, (p.idx >> 2) + w);
      const per = w === inner ? Math.max(1, Math.floor(c / inner)) : 1;
      for (let r0 = 1; r0 < n; r0 += per) {
        const count = Math.min(per, n - r0);
        const at = w === inner ? p.at(base + r0 * inner, base + (r0 + count) * inner) : p.at(base + r0 * inner + c0, base + r0 * inner + c0 + w);
        k.argColumns(f64, M, at, count, w, p.st, p.idx, r0);
      }
      if (f64) out.set(p.f64.subarray(p.idx >> 3, (p.idx >> 3) + w), o * inner + c0);
      else out.set(p.i32.subarray(p.idx >> 2, (p.idx >> 2) + w), o * inner + c0);
    }
  }
  return out;
}
