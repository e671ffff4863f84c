import type { DType, TypedArray } from "../../dtype.js";
import type { UnaryPrimitive } from "../../ops/primitives.js";
import { fastMath } from "../../math-mode.js";
import { mathHeap } from "./math-heap.js";
import { allocUninitialized } from "./storage.js";
import { arena, residentOffset } from "./arena.js";

/**
 * WebAssembly SIMD kernels for float unary ops, bit-identical to the generated JavaScript loops
 * (`elementwise.ts`): exp, log, tanh and sigmoid evaluate fdlibm's algorithms (what V8's Math.exp,
 * Math.log and Math.tanh run) in float64 lanes, so their float64 results equal Math.* bit for bit
 * and float32 results are the same float64 values rounded once (float32 exp and sigmoid reach the
 * same bits through a bounded exponential with an exact fallback, unary.ts); sqrt, abs, neg and relu are single
 * IEEE operations or selects. The rest (sin, cos, sign, and erf outside fast math mode) and int
 * inputs run in JavaScript.
 */
export const WASM_UNARY_OPS: Partial<Record<UnaryPrimitive, number>> = {
  exp: 0, log: 1, tanh: 2, sigmoid: 3, sqrt: 4, abs: 5, neg: 6, relu: 7,
};

/**
 * Ops that only fast math mode runs in wasm, numbered for `fastUnary32`: the float32 erf (gelu's core)
 * is approximated there; the exact erf stays the JavaScript series, which no SIMD kernel beat.
 */
export const FAST_ONLY_UNARY_OPS: Partial<Record<UnaryPrimitive, number>> = { erf: 8 };

/** The ops costing ~10 ns or more an element in JS (the rest are one IEEE operation or a select). */
const isMath = (op: number): boolean => op < 4;

/** Elements per chunk copied through wasm memory (two buffers: 128 KiB each in float64, in L2). */
export let UNARY_CHUNK = 16384;
/**
 * Sizes below which the JS loop runs: entering wasm and copying costs ~0.2 µs; Math.exp and friends
 * cost ~10 ns an element in JS, one IEEE operation ~1 ns.
 */
export let WASM_UNARY_MIN_MATH = 32;
export let WASM_UNARY_MIN_SIMPLE = 256;

/** For tests and measurements: overrides the chunk (a multiple of 4) and both thresholds. */
export function setUnaryWasmTuning(chunk: number, minMath: number, minSimple: number): void {
  if (chunk % 4 !== 0 || chunk < 4) throw new RangeError(`unary chunk must be a positive multiple of 4, got ${chunk}`);
  UNARY_CHUNK = chunk;
  WASM_UNARY_MIN_MATH = minMath;
  WASM_UNARY_MIN_SIMPLE = minSimple;
}

type FloatArray = Float32Array | Float64Array;

/**
 * out = f(x) in wasm for a whole float array (x and out of one type and length). `fast` (float32,
 * ops 0–3 and the fast-only ops) takes the float32 approximations of fast math mode instead of the exact kernel.
 * `xIsBlock`: x is a tensor storage's array (a whole arena block when resident, not a subarray).
 */
export function unaryWasmInto(op: number, x: FloatArray, out: FloatArray, fast = false, xIsBlock = false): void {
  const f64 = x instanceof Float64Array;
  const px = residentOffset(x);
  const po = residentOffset(out);
  if (px >= 0 && po >= 0 && px !== po) {
    // In place in the arena, one call. The kernel works in whole vectors: pad x's last one with 1, a
    // value every op takes on its fast path, as the copying path pads its buffer — only where x is a
    // storage's whole block, whose padding is its own (whole 64-byte lines); out always is one.
    const a = arena()!;
    const n = x.length;
    const lanes = f64 ? 2 : 4;
    const rem = n % lanes;
    if (rem !== 0 && xIsBlock) {
      const end = (px >> (f64 ? 3 : 2)) + n;
      (f64 ? a.f64 : a.f32).fill(1, end, end + lanes - rem);
    }
    if (fast) a.exports.fastUnary32(op, px, po, n);
    else a.exports.unary(op, f64 ? 1 : 0, px, po, n);
    return;
  }
  const chunk = UNARY_CHUNK;
  const shift = f64 ? 3 : 2;
  // Two buffers of chunk + 4 elements (the kernel works on whole vectors).
  const span = (chunk + 4) << 3;
  const heap = mathHeap(2 * span);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const bx = heap.base;
  const bo = bx + span;
  const ix = bx >> shift;
  const io = bo >> shift;
  const exports = heap.exports;
  const flag = f64 ? 1 : 0;
  const n = x.length;
  for (let at = 0; at < n; at += chunk) {
    const len = Math.min(chunk, n - at);
    view.set(x.subarray(at, at + len), ix);
    // Pad the last vector with 1, a value every op handles on its fast path.
    view.fill(1, ix + len, ix + len + 4);
    if (fast) exports.fastUnary32(op, bx, bo, len);
    else exports.unary(op, flag, bx, bo, len);
    out.set(view.subarray(io, io + len), at);
  }
}

/**
 * Runs a unary op in wasm when it is one of {@link WASM_UNARY_OPS}, the input is a float array of
 * the output's type (float16 is held in float32 and rounded by the caller) and large enough;
 * otherwise returns null and the caller runs the JavaScript loop.
 */
export function unaryWasm(p: UnaryPrimitive, x: TypedArray, dtype: DType): TypedArray | null {
  const op = WASM_UNARY_OPS[p];
  if (op === undefined) {
    const fastOp = FAST_ONLY_UNARY_OPS[p];
    if (fastOp === undefined || dtype !== "float32" || !(x instanceof Float32Array) || x.length < WASM_UNARY_MIN_MATH || !fastMath()) return null;
    const out = allocUninitialized(dtype, x.length) as Float32Array;
    unaryWasmInto(fastOp, x, out, true, true);
    return out;
  }
  if (x.length < (isMath(op) ? WASM_UNARY_MIN_MATH : WASM_UNARY_MIN_SIMPLE)) return null;
  if (dtype === "float64" ? !(x instanceof Float64Array) : dtype === "bool" || dtype === "int32" || !(x instanceof Float32Array)) return null;
  const out = allocUninitialized(dtype, x.length) as FloatArray;
  // Fast math mode: float32 tensors (not float16, which is rounded from float32) take the approximations.
  unaryWasmInto(op, x as FloatArray, out, op < 4 && dtype === "float32" && fastMath(), true);
  return out;
}
