import { ArgumentError } from "../../errors.js";
import type { AdamHyper, SgdHyper } from "../backend.js";
import type { TypedArray } from "../../dtype.js";
import { HEAP_BASE, type KernelExports, kernelHeap } from "./kernel-heap.js";
import { arena, arenaScratch, residentOffset } from "./arena.js";

/**
 * The fused Adam/AdamW and SGD updates in WebAssembly SIMD, bit-identical to the JavaScript loops
 * in `fused.ts`: the same float64 operations in the same order on promoted float32 values, rounded
 * to float32 on the store. Arrays resident in the CPU arena are updated in place in one call; ordinary
 * typed arrays are copied into wasm memory chunk by chunk, updated, and the parameter and state
 * copied back.
 */

/** Elements per chunk (4 buffers × 8 bytes × chunk: 256 KiB, in L2). A multiple of 4. */
export let OPTIM_CHUNK = 8192;
/** Parameters smaller than this are updated by the JS loop: at 64 float32 elements it took 0.36 µs, wasm 0.63. */
export let OPTIM_WASM_MIN = 128;

/** For tests and measurements: overrides the chunk (a multiple of 4) and the size threshold. */
export function setOptimWasmTuning(chunk: number, min: number): void {
  if (chunk % 4 !== 0) throw new ArgumentError(`setOptimWasmTuning: chunk must be a multiple of 4, got ${chunk}`);
  OPTIM_CHUNK = chunk;
  OPTIM_WASM_MIN = min;
}

type FloatArray = Float32Array | Float64Array;

// Layout: constants (f64x2 splats) at HEAP_BASE, scratch after them, then the four buffers.
const CONSTS = HEAP_BASE;
const TMP = CONSTS + 256;
const BUFFERS = TMP + 256;

/** The arrays' common float type (1 float64, 0 float32), or -1 when the wasm kernel does not apply. */
function floatKind(p: TypedArray, a: TypedArray, b: TypedArray, c: TypedArray): number {
  if (p.length < OPTIM_WASM_MIN) return -1;
  const Ctor = p instanceof Float64Array ? Float64Array : p instanceof Float32Array ? Float32Array : null;
  if (Ctor === null) return -1;
  if (!(a instanceof Ctor && b instanceof Ctor && c instanceof Ctor)) return -1;
  if (a.length !== p.length || b.length !== p.length || c.length !== p.length) return -1;
  return Ctor === Float64Array ? 1 : 0;
}

/** Writes constant q as an f64x2 splat (both lanes) into the constants at byte offset `consts`. */
function setConstant(f64: Float64Array, q: number, value: number, consts = CONSTS): void {
  const at = (consts >> 3) + 2 * q;
  f64[at] = value;
  f64[at + 1] = value;
}

/** Byte offset of buffer i (p, then state, then g) for the current chunk size. */
const bufferAt = (i: number) => BUFFERS + i * 8 * OPTIM_CHUNK;

/** Copies x[s, s + len) into buffer i. */
function load(view: FloatArray, shift: number, i: number, x: FloatArray, s: number, len: number): void {
  view.set(len === x.length ? x : x.subarray(s, s + len), bufferAt(i) >> shift);
}

/** Copies buffer i back into x[s, s + len). */
function save(view: FloatArray, shift: number, i: number, x: FloatArray, s: number, len: number): void {
  const at = bufferAt(i) >> shift;
  x.set(view.subarray(at, at + len), s);
}

/** Where the constants go when every array is resident in the arena: the arena's instance and a scratch block. */
interface InPlace {
  readonly k: KernelExports;
  readonly f64: Float64Array;
  readonly consts: number;
  readonly tmp: number;
}

/** The arena's instance with a block for the constants when all arrays are resident, else null (copy through). */
function inPlace(arrays: TypedArray[]): InPlace | null {
  for (const x of arrays) if (residentOffset(x) < 0) return null;
  const a = arena()!;
  const consts = arenaScratch(a, "optim", 512);
  return consts < 0 ? null : { k: a.exports, f64: a.f64, consts, tmp: consts + 256 };
}

/**
 * One Adam step's derived constants, shared by this kernel and the JS loop (fused.ts), which must
 * compute them identically for the two to give the same bits: bias corrections c₁ = 1 − β₁ᵗ and
 * c₂ = 1 − β₂ᵗ, step size lr/c₁, √c₂, and the decoupled (AdamW) decay or the L2 coefficient.
 */
export function adamStepConstants(h: AdamHyper): { l2: number; stepSize: number; sqrtC2: number; decay: number } {
  const { lr, weightDecay, decoupled } = h;
  return {
    l2: decoupled ? 0 : weightDecay,
    stepSize: lr / (1 - h.beta1 ** h.step),
    sqrtC2: Math.sqrt(1 - h.beta2 ** h.step),
    decay: decoupled ? 1 - lr * weightDecay : 1,
  };
}

/** Adam in place on p, m, v; false (nothing done) when the kernel does not apply. */
export function adamWasm(p: TypedArray, g: TypedArray, m: TypedArray, v: TypedArray, h: AdamHyper): boolean {
  const f64 = floatKind(p, g, m, v);
  if (f64 < 0) return false;
  const { beta1, beta2, eps } = h;
  const { l2, stepSize, sqrtC2, decay } = adamStepConstants(h);
  const setConstants = (k: Float64Array, at: number) => {
    setConstant(k, 0, l2, at);
    setConstant(k, 1, beta1, at);
    setConstant(k, 2, 1 - beta1, at);
    setConstant(k, 3, beta2, at);
    setConstant(k, 4, 1 - beta2, at);
    setConstant(k, 5, stepSize, at);
    setConstant(k, 6, sqrtC2, at);
    setConstant(k, 7, eps, at);
    setConstant(k, 8, decay, at);
  };
  const resident = inPlace([p, g, m, v]);
  if (resident !== null) {
    // One call over the resident arrays (each element is updated alone: no chunk order to keep).
    setConstants(resident.f64, resident.consts);
    resident.k.adam(f64, residentOffset(p), residentOffset(g), residentOffset(m), residentOffset(v), p.length, resident.consts, resident.tmp);
    return true;
  }
  const heap = kernelHeap(BUFFERS - HEAP_BASE + 32 * OPTIM_CHUNK);
  setConstants(heap.f64, CONSTS);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const shift = f64 ? 3 : 2;
  const P = p as FloatArray, G = g as FloatArray, M = m as FloatArray, V = v as FloatArray;
  const n = p.length;
  // Buffers: 0 p, 1 m, 2 v, 3 g; p, m, v are written back.
  for (let s = 0; s < n; s += OPTIM_CHUNK) {
    const len = Math.min(OPTIM_CHUNK, n - s);
    load(view, shift, 0, P, s, len);
    load(view, shift, 1, M, s, len);
    load(view, shift, 2, V, s, len);
    load(view, shift, 3, G, s, len);
    heap.exports.adam(f64, bufferAt(0), bufferAt(3), bufferAt(1), bufferAt(2), len, CONSTS, TMP);
    save(view, shift, 0, P, s, len);
    save(view, shift, 1, M, s, len);
    save(view, shift, 2, V, s, len);
  }
  return true;
}

/** SGD (momentum, dampening, Nesterov, weight decay) in place; false when the kernel does not apply. */
export function sgdWasm(p: TypedArray, g: TypedArray, b: TypedArray, h: SgdHyper): boolean {
  const f64 = floatKind(p, g, b, b);
  if (f64 < 0) return false;
  const { lr, momentum: mu, dampening, nesterov, weightDecay, firstStep } = h;
  const setConstants = (k: Float64Array, at: number) => {
    setConstant(k, 0, lr, at);
    setConstant(k, 1, weightDecay, at);
    setConstant(k, 2, mu, at);
    setConstant(k, 3, 1 - dampening, at);
  };
  const flags = (mu !== 0 ? 1 : 0) | (nesterov ? 2 : 0) | (firstStep ? 4 : 0);
  const round = f64 ? 1 : 3;
  const resident = inPlace(mu !== 0 ? [p, g, b] : [p, g]);
  if (resident !== null) {
    // Whole vectors: the last one's extra lanes compute in the blocks' padding, never read.
    setConstants(resident.f64, resident.consts);
    const pb = mu !== 0 ? residentOffset(b) : residentOffset(p);
    resident.k.sgd(f64, flags, residentOffset(p), residentOffset(g), pb, (p.length + round) & ~round, resident.consts, resident.tmp);
    return true;
  }
  const heap = kernelHeap(BUFFERS - HEAP_BASE + 24 * OPTIM_CHUNK);
  setConstants(heap.f64, CONSTS);
  const view: FloatArray = f64 ? heap.f64 : heap.f32;
  const shift = f64 ? 3 : 2;
  const P = p as FloatArray, G = g as FloatArray, B = b as FloatArray;
  // The kernel works in whole vectors: a partial last vector computes on stale scratch lanes, which
  // are never copied back.
  const n = p.length;
  // Buffers: 0 p, 1 momentum, 2 g.
  for (let s = 0; s < n; s += OPTIM_CHUNK) {
    const len = Math.min(OPTIM_CHUNK, n - s);
    load(view, shift, 0, P, s, len);
    if (mu !== 0) load(view, shift, 1, B, s, len);
    load(view, shift, 2, G, s, len);
    heap.exports.sgd(f64, flags, bufferAt(0), bufferAt(2), bufferAt(1), (len + round) & ~round, CONSTS, TMP);
    save(view, shift, 0, P, s, len);
    if (mu !== 0) save(view, shift, 1, B, s, len);
  }
  return true;
}
