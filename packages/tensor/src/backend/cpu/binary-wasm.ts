import type { DType, TypedArray } from "../../dtype.js";
import type { BinaryPrimitive } from "../../ops/primitives.js";
import type { Shape } from "../../shape.js";
import { elementwiseModule } from "./gemm/module.js";
import { HEAP_BASE } from "./kernel-heap.js";
import { allocUninitialized } from "./storage.js";
import { arena, residentOffset } from "./arena.js";

/**
 * WebAssembly SIMD kernels for the float32/float64 binary ops, bit-identical to the generated
 * JavaScript loops (`elementwise.ts`): add/sub/mul/div are single IEEE operations (in float32,
 * JS's float64 result rounded to float32 equals the float32 operation), and maximum/minimum are the
 * same compare-and-select (NaN wins, equal operands give the second one) lane by lane.
 *
 * Operands resident in the CPU arena (arena.ts) run in place in one call. Ordinary typed arrays stream
 * through a fixed scratch area of the module's own (unshared: V8 copies into shared memory at half
 * the speed) wasm memory in chunks of {@link CHUNK} elements, so the copies stay in L1/L2.
 */
export const WASM_BINARY_OPS: Partial<Record<BinaryPrimitive, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };

/**
 * Elements per scratch buffer (three buffers: x, v, out; 192 KiB in float32, 384 KiB in float64,
 * in L2). Measured at 1M float32 add: 4096 → 2.2, 8192 → 3.8, 16384 → 3.9 Gelem/s.
 */
export let CHUNK = 16384;
/**
 * Output sizes below this stay in JavaScript: the trip into wasm memory costs ~0.15 µs, so the JS
 * loop is faster at 64 elements (0.14 vs 0.19 µs) and slower from 256 (0.41 vs 0.27 µs).
 */
export let WASM_BINARY_MIN = 256;

/** For measurements and tests: overrides the chunk size and the size threshold. */
export function setBinaryWasmTuning(chunk: number, min: number): void {
  CHUNK = chunk;
  WASM_BINARY_MIN = min;
}

type FloatArray = Float32Array | Float64Array;

export type BinaryKernel = (op: number, f64: number, col: number, swap: number, x: number, v: number, out: number, rows: number, n: number) => void;

/** Bytes kept free at the bottom of the memory (the module's static area). */
const RESERVED = HEAP_BASE;
const PAGE = 65536;

interface Heap {
  memory: WebAssembly.Memory;
  binary: BinaryKernel;
  f32: Float32Array;
  f64: Float64Array;
}

let heap: Heap | undefined;

/** The module over its memory, sized for the current chunk; created on first use. */
function binaryHeap(chunk: number): Heap {
  if (heap === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(elementwiseModule(), { env: { memory } });
    heap = { memory, binary: instance.exports.binary as BinaryKernel, f32: new Float32Array(0), f64: new Float64Array(0) };
  }
  const need = RESERVED + 3 * chunk * 8;
  if (heap.memory.buffer.byteLength < need) heap.memory.grow(Math.ceil((need - heap.memory.buffer.byteLength) / PAGE));
  if (heap.f32.buffer !== heap.memory.buffer) {
    heap.f32 = new Float32Array(heap.memory.buffer);
    heap.f64 = new Float64Array(heap.memory.buffer);
  }
  return heap;
}

/**
 * out[i*n + j] = f(x[i*n + j], v[col ? i : j]) (f(v, x) when `swap`), rows×n elements, in wasm.
 * x and out hold rows·n elements, v holds n (row) or rows (col) elements; all one float type.
 */
export function binaryWasmRows(op: number, x: FloatArray, v: FloatArray, out: FloatArray, rows: number, n: number, col: boolean, swap: boolean): void {
  const f = x instanceof Float64Array ? 1 : 0;
  const px = residentOffset(x);
  const pv = residentOffset(v);
  const po = residentOffset(out);
  if (px >= 0 && pv >= 0 && po >= 0) {
    // All three in the arena: one call in place (each element is computed alone, so no chunk order to keep).
    arena()!.exports.binary(op, f, col ? 1 : 0, swap ? 1 : 0, px, pv, po, rows, n);
    return;
  }
  const chunk = CHUNK;
  const heap = binaryHeap(chunk);
  const f64 = x instanceof Float64Array;
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const shift = f64 ? 3 : 2;
  const bx = RESERVED;
  const bv = bx + (chunk << 3);
  const bo = bv + (chunk << 3);
  const ix = bx >> shift;
  const iv = bv >> shift;
  const io = bo >> shift;
  const kernel = heap.binary;
  const c = col ? 1 : 0;
  const s = swap ? 1 : 0;
  if (n <= chunk) {
    // Whole rows per chunk; a row operand is copied in once.
    const per = Math.floor(chunk / n);
    if (!col) view.set(v.subarray(0, n), iv);
    for (let r0 = 0; r0 < rows; r0 += per) {
      const r1 = Math.min(rows, r0 + per);
      const at = r0 * n;
      const len = (r1 - r0) * n;
      view.set(x.subarray(at, at + len), ix);
      if (col) view.set(v.subarray(r0, r1), iv);
      kernel(op, f, c, s, bx, bv, bo, r1 - r0, n);
      out.set(view.subarray(io, io + len), at);
    }
  } else {
    // Long rows: each row in chunks.
    for (let r = 0; r < rows; r++) {
      if (col) view[iv] = v[r];
      for (let c0 = 0; c0 < n; c0 += chunk) {
        const len = Math.min(chunk, n - c0);
        const at = r * n + c0;
        view.set(x.subarray(at, at + len), ix);
        if (!col) view.set(v.subarray(c0, c0 + len), iv);
        kernel(op, f, c, s, bx, bv, bo, 1, len);
        out.set(view.subarray(io, io + len), at);
      }
    }
  }
}

/** Splits `outShape` where a broadcast operand of `shape` is a row (true) or a column (false). */
function pattern(shape: Shape, outShape: Shape, size: number, len: number): { rows: number; n: number; col: boolean } | null {
  if (len === 1) return { rows: 1, n: size, col: true };
  const r = outShape.length;
  const pad = r - shape.length;
  if (pad < 0) return null;
  const dim = (i: number) => (i < pad ? 1 : shape[i - pad]);
  // Row: leading ones, then the output's trailing dims.
  let k = 0;
  while (k < r && dim(k) === 1) k++;
  let ok = true;
  for (let i = k; i < r && ok; i++) ok = dim(i) === outShape[i];
  if (ok) return { rows: size / len, n: len, col: false };
  // Column: the output's leading dims, then trailing ones.
  k = r;
  while (k > 0 && dim(k - 1) === 1) k--;
  ok = true;
  for (let i = 0; i < k && ok; i++) ok = dim(i) === outShape[i];
  if (ok) return { rows: len, n: size / len, col: true };
  return null;
}

function isFull(shape: Shape, outShape: Shape): boolean {
  if (shape.length !== outShape.length) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== outShape[i]) return false;
  return true;
}

/**
 * Runs a float32/float64 binary op in wasm when it has a supported layout (same shape, a scalar
 * operand, a row or a column broadcast against a full operand) and is large enough; otherwise
 * returns null and the caller runs the JavaScript loop.
 */
export function binaryWasm(
  p: BinaryPrimitive, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, dtype: DType,
): TypedArray | null {
  const op = WASM_BINARY_OPS[p];
  if (op === undefined) return null;
  let Ctor: typeof Float32Array | typeof Float64Array;
  if (dtype === "float32") Ctor = Float32Array;
  else if (dtype === "float64") Ctor = Float64Array;
  else return null;
  if (!(a instanceof Ctor) || !(b instanceof Ctor)) return null;
  let size = 1;
  for (let i = 0; i < outShape.length; i++) size *= outShape[i];
  if (size < WASM_BINARY_MIN) return null;
  let x: FloatArray, v: FloatArray, swap: boolean, layout;
  if (a.length === size && isFull(aShape, outShape)) {
    x = a;
    v = b;
    swap = false;
    layout = b.length === size && isFull(bShape, outShape) ? { rows: 1, n: size, col: false } : pattern(bShape, outShape, size, b.length);
  } else if (b.length === size && isFull(bShape, outShape)) {
    x = b;
    v = a;
    swap = true;
    layout = pattern(aShape, outShape, size, a.length);
  } else return null;
  if (layout === null) return null;
  const out = allocUninitialized(dtype, size) as FloatArray;
  binaryWasmRows(op, x, v, out, layout.rows, layout.n, layout.col, swap);
  return out;
}
