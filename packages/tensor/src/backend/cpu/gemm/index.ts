/**
 * Dense matrix multiply for the CPU backend: WebAssembly SIMD kernels (GotoBLAS-style packing
 * and a register-blocked micro-kernel) with worker-thread parallelism for large products, and
 * a plain-JS loop for products too small to pay for the trip into wasm memory.
 */
import { ArgumentError } from "../../../errors";
import { defaultThreads, SMALL_FLOPS, THREAD_FLOPS } from "./policy";
import { gemmJs } from "./small";
import { validateGemm, type FloatArray } from "./validate";
import { gemmWasm } from "./wasm-gemm";
import { arenaGemm, residentOffset } from "../arena";

let threads: number | undefined;

/**
 * Sets how many threads (the calling thread included) large products use; 0 or 1 means
 * single-threaded. Default: min(2, available cores). Workers start on the next large product.
 * @throws ArgumentError when n is not a non-negative integer.
 */
export function setGemmThreads(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`setGemmThreads: expected a non-negative integer, got ${n}`);
  threads = Math.max(1, n);
}

/** Threads that large products use now (the calling thread included). */
export function gemmThreads(): number {
  threads ??= defaultThreads();
  return threads;
}

function run(
  op: string, a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  validateGemm(op, a, b, c, m, n, k, transA, transB);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, 0, m * n);
    return;
  }
  const work = m * n * k;
  if (work >= SMALL_FLOPS) {
    threads ??= defaultThreads();
    if ((work < THREAD_FLOPS || threads === 1) && inPlace(a, b, c, m, n, k, transA, transB)) return;
    if (gemmWasm(a, b, c, m, n, k, transA, transB, work >= THREAD_FLOPS ? threads : 1)) return;
  }
  gemmJs(a, b, c, m, n, k, transA, transB);
}

/**
 * A single-thread product of operands resident in the CPU arena, run there in place by the same
 * kernels (their unshared build), so nothing is copied into the gemm's shared memory and back;
 * false when an operand is an ordinary array or the arena has no gemm.
 */
function inPlace(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number, transA: boolean, transB: boolean): boolean {
  const pa = residentOffset(a);
  const pb = residentOffset(b);
  const pc = residentOffset(c);
  if (pa < 0 || pb < 0 || pc < 0) return false;
  const g = arenaGemm();
  if (g === null) return false;
  (c instanceof Float64Array ? g.exports.dgemm : g.exports.sgemm)(pa, pb, pc, m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0, m, 0, n, g.work);
  return true;
}

/**
 * C = op(A) · op(B) in float32, row-major. op(A) is m×k: A is stored m×k when !transA, k×m when
 * transA. op(B) is k×n: B stored k×n when !transB, n×k when transB. C is m×n, overwritten.
 * Arrays may be subarray views; only their first m·k, k·n, m·n elements are used.
 * @throws ArgumentError when m, n or k is not a non-negative integer.
 * @throws ShapeError when an array is too short for its shape.
 */
export function gemmF32(
  a: Float32Array, b: Float32Array, c: Float32Array,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  run("gemmF32", a, b, c, m, n, k, transA, transB);
}

/** C = op(A) · op(B) in float64; same contract as {@link gemmF32}. */
export function gemmF64(
  a: Float64Array, b: Float64Array, c: Float64Array,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  run("gemmF64", a, b, c, m, n, k, transA, transB);
}
