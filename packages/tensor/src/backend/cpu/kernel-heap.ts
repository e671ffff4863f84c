import { elementwiseModule } from "./gemm/module.js";

/**
 * One instance of the elementwise wasm module over its own unshared memory, for the reduction,
 * optimizer and comparison drivers (`reduce-wasm.ts`, `argreduce-wasm.ts`, `optim-wasm.ts`,
 * `compare-wasm.ts`).
 * Operands that are ordinary typed arrays (not resident in the CPU arena, arena.ts) are copied into
 * this memory chunk by chunk, a kernel runs, and results are copied out.
 */
export interface KernelExports {
  sumRows32(x: number, rows: number, n: number, st: number, init: number): void;
  finishSums32(st: number, rows: number, out: number, bad: number): number;
  sumRowsInOrder64(x: number, rows: number, n: number, out: number): void;
  /** Fast mode (fastsum.ts): float32-lane sums of float32 rows, as float64. */
  fastSumRows32(x: number, rows: number, n: number, out: number): void;
  extremeRows(f64: number, isMin: number, x: number, rows: number, n: number, st: number, init: number): void;
  reduceColumns(op: number, f64: number, x: number, rows: number, n: number, acc: number): void;
  firstIndexRows(f64: number, x: number, rows: number, n: number, values: number, out: number): void;
  argColumns(f64: number, isMin: number, x: number, rows: number, n: number, best: number, idx: number, k0: number): void;
  compare(op: number, f64: number, scalar: number, a: number, b: number, out: number, n: number): void;
  where(f64: number, aScalar: number, bScalar: number, c: number, a: number, b: number, out: number, n: number): void;
  adam(f64: number, p: number, g: number, m: number, v: number, n: number, k: number, tmp: number): void;
  sgd(f64: number, flags: number, p: number, g: number, b: number, n: number, k: number, tmp: number): void;
}

export interface KernelHeap {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  /** Views of the whole memory; refreshed when it grows. */
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
}

/**
 * Bytes kept free at the bottom of the memory: the module's static data (AssemblyScript's math
 * tables from 1,024) and the constant tables its math writes above them, which end at
 * `scratchBase()` (checked when the instance is made).
 */
export const HEAP_BASE = 8192;
const PAGE = 65536;

let heap: KernelHeap | undefined;

/** The module with at least `bytes` bytes above {@link HEAP_BASE}; created on first use. */
export function kernelHeap(bytes: number): KernelHeap {
  if (heap === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(elementwiseModule(), { env: { memory } });
    if ((instance.exports as unknown as { scratchBase(): number }).scratchBase() > HEAP_BASE) throw new Error("kernel heap: the module's static area outgrew HEAP_BASE");
    const buffer = memory.buffer;
    heap = { exports: instance.exports as unknown as KernelExports, memory, f32: new Float32Array(buffer), f64: new Float64Array(buffer), i32: new Int32Array(buffer), u8: new Uint8Array(buffer) };
  }
  const memory = heap.memory;
  const need = HEAP_BASE + bytes;
  if (memory.buffer.byteLength < need) {
    memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
    const buffer = memory.buffer;
    heap.f32 = new Float32Array(buffer);
    heap.f64 = new Float64Array(buffer);
    heap.i32 = new Int32Array(buffer);
    heap.u8 = new Uint8Array(buffer);
  }
  return heap;
}
