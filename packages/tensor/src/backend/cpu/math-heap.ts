import { elementwiseModule } from "./gemm/module.js";

/**
 * The instance of the elementwise wasm module that runs the unary math and softmax kernels
 * (`unary-wasm.ts`, `softmax-wasm.ts`), over its own unshared memory. Its math reads a table of
 * constants that it writes above the module's static data; buffers start above both
 * ({@link MathHeap.base}).
 */
export interface MathExports {
  unary(op: number, f64: number, x: number, out: number, n: number): void;
  softmax(f64: number, log: number, x: number, out: number, rows: number, n: number): void;
  /** Fast mode (fastmath.ts): float32 exp/log/tanh/sigmoid (ops 0–3) and softmax, approximated. */
  fastUnary32(op: number, x: number, out: number, n: number): void;
  fastSoftmax32(log: number, x: number, out: number, rows: number, n: number): void;
  scratchBase(): number;
}

export interface MathHeap {
  readonly exports: MathExports;
  readonly memory: WebAssembly.Memory;
  /** First byte free for buffers (64-byte aligned). */
  readonly base: number;
  /** Views of the whole memory; refreshed when it grows. */
  f32: Float32Array;
  f64: Float64Array;
}

const PAGE = 65536;
let heap: MathHeap | undefined;

/** The module with at least `bytes` bytes above its base; created on first use. */
export function mathHeap(bytes: number): MathHeap {
  if (heap === undefined) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const exports = new WebAssembly.Instance(elementwiseModule(), { env: { memory } }).exports as unknown as MathExports;
    const base = Math.ceil(exports.scratchBase() / 64) * 64;
    heap = { exports, memory, base, f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
  }
  const need = heap.base + bytes;
  if (heap.memory.buffer.byteLength < need) {
    heap.memory.grow(Math.ceil((need - heap.memory.buffer.byteLength) / PAGE));
    heap.f32 = new Float32Array(heap.memory.buffer);
    heap.f64 = new Float64Array(heap.memory.buffer);
  }
  return heap;
}
