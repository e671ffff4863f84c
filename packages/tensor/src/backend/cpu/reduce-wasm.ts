import { ArgumentError } from "../../errors.js";
import type { DType, TypedArray } from "../../dtype.js";
import type { ReducePrimitive } from "../../ops/primitives.js";
import type { Shape } from "../../shape.js";
import { fastMath } from "../../math-mode.js";
import { HEAP_BASE } from "./kernel-heap.js";
import { allocUninitialized } from "./storage.js";
import { type KernelPlace, kernelPlace } from "./kernel-place.js";

/**
 * WebAssembly SIMD reductions with exactly the results of the JavaScript loops in `reduce.ts`
 * (float64 accumulators, elements in memory order, rounded to the output type at the end):
 *
 * - over leading axes ([R, K] → [K], [K₁, R, K₂] → [K₁, K₂]) the kernel vectorizes across the
 *   outputs, so every output sums (multiplies, compares) its elements in the same order;
 * - max/min along the last axis are order-free except for which of +0/−0 wins (the JS keeps the
 *   first zero), fixed here by a scan when a result is zero;
 * - float32 sums along the last axis (or of everything) are reordered into SIMD blocks with an error
 *   bound that covers both this sum and the JS loop's sequential one; a row whose float32 rounding
 *   the bound cannot settle is summed again by the sequential loop (see `reduce.ts` in the wasm
 *   sources). float64 sums along the last axis keep each row in one SIMD lane (never reordered);
 *   a single float64 row (the sum of everything) stays in JavaScript.
 *
 * Everything else (int types, float16, prod along the last axis, other axis patterns) returns null
 * and runs the JavaScript loop.
 */

/** Elements per chunk copied into wasm memory (128 KiB of float64; a multiple of 64). */
export let REDUCE_CHUNK = 16384;
/**
 * Inputs smaller than this stay in JavaScript: a sum of 64 float32 elements took 0.13 µs in wasm
 * and 0.36 µs in JS, so only the tiniest stay.
 */
export let REDUCE_WASM_MIN = 64;

/** For tests and measurements: overrides the chunk (a multiple of 64) and the size threshold. */
export function setReduceWasmTuning(chunk: number, min: number): void {
  if (chunk % 64 !== 0) throw new ArgumentError(`setReduceWasmTuning: chunk must be a multiple of 64, got ${chunk}`);
  REDUCE_CHUNK = chunk;
  REDUCE_WASM_MIN = min;
}

/** Counts of float32 row sums settled by the bound and redone sequentially (for tests). */
export const reduceWasmStats = { rowSums: 0, sequentialRedos: 0 };

type FloatArray = Float32Array | Float64Array;

const COLUMN_OPS: Record<ReducePrimitive, number> = { sum: 0, prod: 1, max: 2, min: 3 };
const INIT: Record<ReducePrimitive, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** Memory layout for a chunk size c: x (c float64), state/accumulators (16 bytes each), out, bad. */
function layout(c: number) {
  const x = HEAP_BASE;
  const st = x + 8 * c;
  const out = st + 16 * c;
  const bad = out + 4 * c;
  return { c, x, st, out, bad, bytes: bad + 4 * c - HEAP_BASE };
}
let L = layout(REDUCE_CHUNK);
/** The layout for the current chunk size (recomputed only when the tuning changed it). */
const currentLayout = () => (L.c === REDUCE_CHUNK ? L : (L = layout(REDUCE_CHUNK)));

/** The kernels' place for x (kernel-place.ts) with this layout's state, result and redo-list buffers. */
interface Place extends KernelPlace {
  readonly st: number;
  readonly out: number;
  readonly bad: number;
}

function place(x: FloatArray): Place {
  const L = currentLayout();
  const p = kernelPlace(x, L.x, L.bytes, "reduce");
  return { ...p, st: L.st + p.delta, out: L.out + p.delta, bad: L.bad + p.delta };
}

/** Copies `count` results from element offset `at` of a wasm view into out[r0…]. */
function copyOut(out: FloatArray, r0: number, view: FloatArray, at: number, count: number): void {
  if (count < 16) for (let i = 0; i < count; i++) out[r0 + i] = view[at + i];
  else out.set(view.subarray(at, at + count), r0);
}

/** The input's non-unit dims merged into runs that are all reduced or all kept. */
function runs(shape: Shape, axes: readonly number[]): { dims: number[]; reduced: boolean[] } {
  const dims: number[] = [];
  const reduced: boolean[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    const r = axes.includes(i);
    if (dims.length > 0 && reduced[reduced.length - 1] === r) dims[dims.length - 1] *= d;
    else {
      dims.push(d);
      reduced.push(r);
    }
  }
  return { dims, reduced };
}

/**
 * Reduces `axes` of x in wasm when the pattern and types are supported; returns the output array
 * (size = product of the kept dims), or null for the JavaScript loop.
 */
export function reduceWasm(p: ReducePrimitive, x: TypedArray, shape: Shape, axes: readonly number[], outDtype: DType): TypedArray | null {
  if (x.length < REDUCE_WASM_MIN || x.length === 0) return null;
  const f64 = x instanceof Float64Array && outDtype === "float64";
  if (!f64 && !(x instanceof Float32Array && outDtype === "float32")) return null;
  const xs = x as FloatArray;
  const { dims, reduced } = runs(shape, axes);
  const last = reduced.length - 1;
  if (last < 0 || last > 2 || (last === 2 && reduced[0])) return null; // [], [K], [R, K, R]
  if (reduced[last]) {
    // [R] or [K, R]: along rows.
    const rows = last === 0 ? 1 : dims[0];
    const n = dims[last];
    if (p === "sum" && !f64) return fastMath() ? fastSumRows(xs as Float32Array, rows, n) : sumRows(xs as Float32Array, rows, n);
    if (p === "sum" && rows > 1 && n <= REDUCE_CHUNK) return sumRowsInOrder(xs as Float64Array, rows, n);
    if (p === "max" || p === "min") return extremeRows(p === "min", xs, rows, n, f64);
    return null;
  }
  // [R, K] or [K, R, K]: over leading axes.
  if (last === 1) return columns(p, xs, 1, dims[0], dims[1], f64);
  if (last === 2) return columns(p, xs, dims[0], dims[1], dims[2], f64);
  return null;
}

/**
 * Walks `rows` rows of n float32 elements chunk by chunk: as many whole rows per chunk as fit
 * (`rowsIn(r0, count, at)`), or, for a row longer than a chunk, its pieces in order
 * (`pieceIn(len, first, at)`, then `rowDone(r)` after the row's last); `at` is where the chunk is.
 */
function streamRows(
  x: Float32Array, rows: number, n: number, p: Place,
  rowsIn: (r0: number, count: number, at: number) => void, pieceIn: (len: number, first: boolean, at: number) => void, rowDone: (r: number) => void,
): void {
  const c = L.c;
  if (n <= c) {
    const per = Math.floor(c / n);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const count = Math.min(per, rows - r0);
      rowsIn(r0, count, p.at(r0 * n, (r0 + count) * n));
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    for (let c0 = 0; c0 < n; c0 += c) {
      const len = Math.min(c, n - c0);
      pieceIn(len, c0 === 0, p.at(r * n + c0, r * n + c0 + len));
    }
    rowDone(r);
  }
}

/** float32 sums of `rows` rows of n elements, each equal to the sequential float64 sum rounded. */
function sumRows(x: Float32Array, rows: number, n: number): Float32Array {
  const out = allocUninitialized("float32", rows) as Float32Array;
  const p = place(x);
  const k = p.k;
  streamRows(x, rows, n, p,
    (r0, count, at) => {
      k.sumRows32(at, count, n, p.st, 1);
      finishSums(p, x, n, out, r0, count);
    },
    (len, first, at) => k.sumRows32(at, 1, len, p.st, first ? 1 : 0),
    (r) => finishSums(p, x, n, out, r, 1));
  return out;
}

/**
 * Fast math mode: float32 sums of `rows` rows of n elements accumulated in float32 lanes (the kernel's
 * error bound is in fastsum.ts); a row longer than a chunk adds its chunks' float64 sums here.
 */
function fastSumRows(x: Float32Array, rows: number, n: number): Float32Array {
  const out = allocUninitialized("float32", rows) as Float32Array;
  const p = place(x);
  const k = p.k;
  let s = 0;
  streamRows(x, rows, n, p,
    (r0, count, at) => {
      k.fastSumRows32(at, count, n, p.st);
      copyOut(out, r0, p.f64, p.st >> 3, count);
    },
    (len, first, at) => {
      k.fastSumRows32(at, 1, len, p.st);
      s = (first ? 0 : s) + p.f64[p.st >> 3];
    },
    (r) => {
      out[r] = s;
    });
  return out;
}

/** Rounds the rows' sums into out[r0…]; rows the bound cannot settle are summed again in order. */
function finishSums(p: Place, x: Float32Array, n: number, out: Float32Array, r0: number, count: number): void {
  const nb = p.k.finishSums32(p.st, count, p.out, p.bad);
  copyOut(out, r0, p.f32, p.out >> 2, count);
  reduceWasmStats.rowSums += count;
  for (let b = 0; b < nb; b++) {
    const r = r0 + p.i32[(p.bad >> 2) + b];
    let a = 0;
    for (let j = r * n, end = j + n; j < end; j++) a += x[j];
    out[r] = a;
    reduceWasmStats.sequentialRedos++;
  }
}

/** float64 sums of `rows` rows of n ≤ chunk elements, each row in its own SIMD lane, in order. */
function sumRowsInOrder(x: Float64Array, rows: number, n: number): Float64Array {
  const out = allocUninitialized("float64", rows) as Float64Array;
  const p = place(x);
  const per = Math.floor(L.c / n);
  for (let r0 = 0; r0 < rows; r0 += per) {
    const count = Math.min(per, rows - r0);
    p.k.sumRowsInOrder64(p.at(r0 * n, (r0 + count) * n), count, n, p.st);
    copyOut(out, r0, p.f64, p.st >> 3, count);
  }
  return out;
}

/** max/min of each row; a zero result takes the sign of the row's first zero, as the JS loop. */
function extremeRows(isMin: boolean, x: FloatArray, rows: number, n: number, f64: boolean): FloatArray {
  const out = allocUninitialized(f64 ? "float64" : "float32", rows) as FloatArray;
  const p = place(x);
  const c = L.c;
  const k = p.k;
  const view: FloatArray = f64 ? p.f64 : p.f32;
  const is = p.st >> (f64 ? 3 : 2);
  const F = f64 ? 1 : 0;
  const M = isMin ? 1 : 0;
  if (n <= c) {
    const per = Math.floor(c / n);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const count = Math.min(per, rows - r0);
      k.extremeRows(F, M, p.at(r0 * n, (r0 + count) * n), count, n, p.st, 1);
      copyOut(out, r0, view, is, count);
    }
  } else {
    for (let r = 0; r < rows; r++) {
      for (let c0 = 0; c0 < n; c0 += c) {
        const len = Math.min(c, n - c0);
        k.extremeRows(F, M, p.at(r * n + c0, r * n + c0 + len), 1, len, p.st, c0 === 0 ? 1 : 0);
      }
      out[r] = view[is];
    }
  }
  for (let r = 0; r < rows; r++) {
    if (out[r] !== 0) continue;
    let j = r * n;
    while (x[j] !== 0) j++;
    out[r] = x[j];
  }
  return out;
}

/** out[k₁, j] = ⊕ over i of x[k₁, i, j] (outer × rows × n), float64 accumulators as in the JS loop. */
function columns(p0: ReducePrimitive, x: FloatArray, outer: number, rows: number, n: number, f64: boolean): FloatArray {
  const out = allocUninitialized(f64 ? "float64" : "float32", outer * n) as FloatArray;
  const p = place(x);
  const c = L.c;
  const k = p.k;
  const ia = p.st >> 3;
  const op = COLUMN_OPS[p0];
  const F = f64 ? 1 : 0;
  for (let o = 0; o < outer; o++) {
    const base = o * rows * n;
    for (let c0 = 0; c0 < n; c0 += c) {
      const w = Math.min(c, n - c0);
      p.f64.fill(INIT[p0], ia, ia + w);
      if (w === n) {
        const per = Math.floor(c / n);
        for (let r0 = 0; r0 < rows; r0 += per) {
          const count = Math.min(per, rows - r0);
          k.reduceColumns(op, F, p.at(base + r0 * n, base + (r0 + count) * n), count, n, p.st);
        }
      } else {
        for (let r = 0; r < rows; r++) {
          const at = base + r * n + c0;
          k.reduceColumns(op, F, p.at(at, at + w), 1, w, p.st);
        }
      }
      copyOut(out, o * n + c0, p.f64, ia, w);
    }
  }
  return out;
}
