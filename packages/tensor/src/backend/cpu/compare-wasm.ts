import { ArgumentError } from "../../errors.js";
import type { DType, TypedArray } from "../../dtype.js";
import type { ComparePrimitive } from "../../ops/primitives.js";
import type { Shape } from "../../shape.js";
import { HEAP_BASE, kernelHeap } from "./kernel-heap.js";
import { allocUninitialized } from "./storage.js";
import { arena, arenaScratch, residentOffset } from "./arena.js";

/**
 * WebAssembly SIMD comparisons (float32/float64 → bool) and `where` (bool condition, float
 * operands), bit-identical to the generated JS loops (`elementwise.ts`): a comparison is one IEEE
 * comparison per lane (NaN compares false, except notEqual), and `where` copies the chosen
 * operand's bits. Layouts: every operand full-shape, or one (compare) / either value operand
 * (where) a single value; anything else (broadcast rows, int operands, mixed types) returns null
 * and runs the JS loop. A ReLU's gradient, `where(x > 0, g, 0)`, is the case that matters.
 */

const OPS: Record<ComparePrimitive, number> = { equal: 0, notEqual: 1, less: 2, lessEqual: 3, greater: 4, greaterEqual: 5 };
/** The comparison with its operands swapped: a < b ⇔ b > a (NaN: false either way). */
const SWAPPED = [0, 1, 4, 5, 2, 3];

/** Elements per chunk (a multiple of 16: the kernels run whole vectors of 16). */
export let COMPARE_CHUNK = 16384;
/** Outputs smaller than this stay in JavaScript (entering wasm costs ~0.15 µs plus copies). */
export let COMPARE_WASM_MIN = 256;

/** For tests and measurements: overrides the chunk (a multiple of 16) and the size threshold. */
export function setCompareWasmTuning(chunk: number, min: number): void {
  if (chunk % 16 !== 0) throw new ArgumentError(`setCompareWasmTuning: chunk must be a multiple of 16, got ${chunk}`);
  COMPARE_CHUNK = chunk;
  COMPARE_WASM_MIN = min;
}

type FloatArray = Float32Array | Float64Array;

function isFull(shape: Shape, outShape: Shape): boolean {
  if (shape.length !== outShape.length) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== outShape[i]) return false;
  return true;
}

/** 1 float64, 0 float32, -1 neither. */
const kind = (x: TypedArray) => (x instanceof Float64Array ? 1 : x instanceof Float32Array ? 0 : -1);

/** Buffers: a and b (8 bytes per element), the condition or result bytes. */
function layout(c: number) {
  const a = HEAP_BASE;
  const b = a + 8 * c;
  const bytes = b + 8 * c;
  return { a, b, bytes, size: bytes + c - HEAP_BASE };
}

/** `p(a, b)` as a bool array in wasm, or null for the JS loop. */
export function compareWasm(p: ComparePrimitive, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape): Uint8Array | null {
  const f64 = kind(a);
  if (f64 < 0 || kind(b) !== f64) return null;
  let size = 1;
  for (let i = 0; i < outShape.length; i++) size *= outShape[i];
  if (size < COMPARE_WASM_MIN) return null;
  let op = OPS[p];
  let x: FloatArray, y: FloatArray, scalar: number;
  const aFull = a.length === size && isFull(aShape, outShape);
  const bFull = b.length === size && isFull(bShape, outShape);
  if (aFull && (bFull || b.length === 1)) {
    x = a as FloatArray;
    y = b as FloatArray;
    scalar = bFull ? 0 : 1;
  } else if (bFull && a.length === 1) {
    x = b as FloatArray;
    y = a as FloatArray;
    scalar = 1;
    op = SWAPPED[op];
  } else return null;
  const out = allocUninitialized("bool", size) as Uint8Array;
  if (compareInPlace(op, f64, scalar, x, y, out)) return out;
  const c = COMPARE_CHUNK;
  const L = layout(c);
  const heap = kernelHeap(L.size);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const shift = f64 ? 3 : 2;
  if (scalar) view[L.b >> shift] = y[0];
  for (let s = 0; s < size; s += c) {
    const len = Math.min(c, size - s);
    view.set(len === size ? x : x.subarray(s, s + len), L.a >> shift);
    if (!scalar) view.set(len === size ? y : y.subarray(s, s + len), L.b >> shift);
    heap.exports.compare(op, f64, scalar, L.a, L.b, L.bytes, len);
    out.set(heap.u8.subarray(L.bytes, L.bytes + len), s);
  }
  return out;
}

/**
 * `cond ? a : b` in wasm (cond a bool array of the output's shape; a, b and the output one float
 * type), or null for the JS loop.
 */
export function whereWasm(
  cond: TypedArray, cShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, outDtype: DType,
): FloatArray | null {
  const f64 = kind(a);
  if (f64 < 0 || kind(b) !== f64 || !(cond instanceof Uint8Array)) return null;
  if (outDtype !== (f64 ? "float64" : "float32")) return null;
  let size = 1;
  for (let i = 0; i < outShape.length; i++) size *= outShape[i];
  if (size < COMPARE_WASM_MIN || cond.length !== size || !isFull(cShape, outShape)) return null;
  const aScalar = a.length === 1 ? 1 : 0;
  const bScalar = b.length === 1 ? 1 : 0;
  if ((!aScalar && !(a.length === size && isFull(aShape, outShape))) || (!bScalar && !(b.length === size && isFull(bShape, outShape)))) return null;
  const out = allocUninitialized(f64 ? "float64" : "float32", size) as FloatArray;
  if (whereInPlace(f64, aScalar, bScalar, cond, a as FloatArray, b as FloatArray, out)) return out;
  const c = COMPARE_CHUNK;
  const L = layout(c);
  const heap = kernelHeap(L.size + 8 * c);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const shift = f64 ? 3 : 2;
  const res = L.bytes + c; // results after the condition bytes (8-byte aligned: c is a multiple of 16)
  if (aScalar) view[L.a >> shift] = a[0];
  if (bScalar) view[L.b >> shift] = b[0];
  for (let s = 0; s < size; s += c) {
    const len = Math.min(c, size - s);
    heap.u8.set(len === size ? cond : cond.subarray(s, s + len), L.bytes);
    if (!aScalar) view.set(len === size ? (a as FloatArray) : (a as FloatArray).subarray(s, s + len), L.a >> shift);
    if (!bScalar) view.set(len === size ? (b as FloatArray) : (b as FloatArray).subarray(s, s + len), L.b >> shift);
    heap.exports.where(f64, aScalar, bScalar, L.bytes, L.a, L.b, res, len);
    out.set(view.subarray(res >> shift, (res >> shift) + len), s);
  }
  return out;
}

/** The JS loop's comparisons, by kernel op (for the tail the in-place kernels leave). */
const JS_COMPARE: ((u: number, v: number) => boolean)[] = [
  (u, v) => u === v, (u, v) => u !== v, (u, v) => u < v, (u, v) => u <= v, (u, v) => u > v, (u, v) => u >= v,
];

/**
 * Byte offset of the operand `y` for an in-place kernel: its own block, or, for a single value, a
 * scratch block holding it; -1 when it is not resident.
 */
function operandOffset(y: FloatArray, scalar: number, f64: number, name: string): number {
  if (!scalar) return residentOffset(y);
  const a = arena()!;
  const at = arenaScratch(a, name, 16);
  if (at >= 0) (f64 ? a.f64 : a.f32)[at >> (f64 ? 3 : 2)] = y[0];
  return at;
}

/**
 * The comparison in place when x, y (or y a single value) and out are resident in the arena; false
 * to copy through. The kernel runs whole vectors of 16, which may not fit a block's padding, so the
 * last n mod 16 elements run the JS loop's expression here.
 */
function compareInPlace(op: number, f64: number, scalar: number, x: FloatArray, y: FloatArray, out: Uint8Array): boolean {
  const px = residentOffset(x);
  const po = residentOffset(out);
  if (px < 0 || po < 0) return false;
  const py = operandOffset(y, scalar, f64, "compare");
  if (py < 0) return false;
  const n = out.length;
  const main = n & ~15;
  if (main > 0) arena()!.exports.compare(op, f64, scalar, px, py, po, main);
  const f = JS_COMPARE[op];
  for (let i = main; i < n; i++) out[i] = +f(x[i], y[scalar ? 0 : i]);
  return true;
}

/** `where` in place when every array operand is resident (single values go to scratch); false to copy through. */
function whereInPlace(f64: number, aScalar: number, bScalar: number, cond: Uint8Array, a: FloatArray, b: FloatArray, out: FloatArray): boolean {
  const pc = residentOffset(cond);
  const po = residentOffset(out);
  if (pc < 0 || po < 0) return false;
  const pa = operandOffset(a, aScalar, f64, "where-a");
  const pb = pa < 0 ? -1 : operandOffset(b, bScalar, f64, "where-b");
  if (pb < 0) return false;
  const n = out.length;
  const main = n & ~15;
  if (main > 0) arena()!.exports.where(f64, aScalar, bScalar, pc, pa, pb, po, main);
  for (let i = main; i < n; i++) out[i] = cond[i] !== 0 ? a[aScalar ? 0 : i] : b[bScalar ? 0 : i];
  return true;
}
