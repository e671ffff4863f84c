import { align64, gemmHeap } from "./heap";
import { GemmPool } from "./pool";
import type { FloatArray } from "./validate";

/** Slices along m are multiples of the micro-kernels' MR (6 for f32, 4 for f64), along n of NR (8, 4). */
const ROW_ALIGN = 12;
const COL_ALIGN = 8;

let pool: GemmPool | undefined;

/** Number of worker threads started so far (0 until a product large enough to split). */
export function gemmWorkerCount(): number {
  return pool?.size ?? 0;
}

/**
 * C = op(A)·op(B) through the wasm kernel (k > 0): copies A and B into wasm memory, splits C
 * into `threads` row or column slices (slice 0 on this thread, the rest on workers), copies C
 * out. Returns false, having done nothing, when the operands do not fit in wasm memory.
 */
export function gemmWasm(
  a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number, transA: boolean, transB: boolean, threads: number,
): boolean {
  const heap = gemmHeap();
  const f64 = a instanceof Float64Array;
  const size = f64 ? 8 : 4;
  const aOff = heap.dataBase(threads);
  const bOff = aOff + align64(m * k * size);
  const cOff = bOff + align64(k * n * size);
  if (!heap.ensure(cOff + m * n * size)) return false;

  const view = f64 ? heap.f64 : heap.f32;
  view.set(a.length === m * k ? a : a.subarray(0, m * k), aOff / size);
  view.set(b.length === k * n ? b : b.subarray(0, k * n), bOff / size);

  if (threads === 1) {
    // One thread: the kernel straight away (no slice bookkeeping to allocate on every small product).
    (f64 ? heap.exports.dgemm : heap.exports.sgemm)(aOff, bOff, cOff, m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0, m, 0, n, heap.work(0));
  } else runSliced(f64 ? 1 : 0, [aOff, bOff, cOff, m, n, k, transA ? 1 : 0, transB ? 1 : 0], [], threads);
  c.set(view.subarray(cOff / size, cOff / size + m * n));
  return true;
}

/**
 * Runs kernel `op` (0 sgemm, 1 dgemm, 2 dgemmEx) on operands already in wasm memory: `head` is
 * (a, b, c, m, n, k, ta, tb), `tail` dgemmEx's (lda, ldb, ldc, update). C is split into `threads`
 * row or column slices, slice 0 on this thread, the rest on workers; returns when all are done.
 */
export function runSliced(op: 0 | 1 | 2, head: readonly number[], tail: readonly number[], threads: number): void {
  const heap = gemmHeap();
  const [, , , m, n] = head;
  const byRows = m >= n;
  const extent = byRows ? m : n;
  const align = byRows ? ROW_ALIGN : COL_ALIGN;
  let slices = Math.min(threads, Math.ceil(extent / align));
  if (slices > 1) {
    pool ??= new GemmPool(heap.memory);
    slices = Math.min(slices, 1 + pool.ensure(slices - 1));
  }
  const step = Math.ceil(extent / slices / align) * align;
  const range = (s: number): [number, number, number, number] => {
    const lo = Math.min(extent, s * step);
    const hi = Math.min(extent, lo + step);
    return byRows ? [lo, hi, 0, n] : [0, m, lo, hi];
  };
  for (let s = 1; s < slices; s++) pool!.post(s - 1, op, [...head, ...range(s), heap.work(s), ...tail]);
  const [i0, i1, j0, j1] = range(0);
  const ex = heap.exports;
  if (op === 2) ex.dgemmEx(head[0], head[1], head[2], m, n, head[5], head[6], head[7], i0, i1, j0, j1, heap.work(0), tail[0], tail[1], tail[2], tail[3]);
  else (op === 1 ? ex.dgemm : ex.sgemm)(head[0], head[1], head[2], m, n, head[5], head[6], head[7], i0, i1, j0, j1, heap.work(0));
  for (let s = 1; s < slices; s++) pool!.wait(s - 1);
}
