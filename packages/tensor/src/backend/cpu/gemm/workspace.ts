/**
 * Float64 workspaces inside the GEMM's WebAssembly memory, for libraries that run a whole
 * factorization in place (the blocked eigensolver): the matrices live in the workspace, and the
 * kernels (gemm on sub-matrices with C =/+=/−=, symmetric and general matrix-vector products)
 * run on them with no copy in or out. Offsets and leading dimensions count float64 elements
 * of {@link F64Workspace.data}.
 */
import { ArgumentError, ShapeError } from "../../../errors";
import { align64, gemmHeap } from "./heap";
import { gemmThreads } from "./index";
import { MAX_PAGES } from "./module";
import { THREAD_FLOPS } from "./policy";
import { runSliced } from "./wasm-gemm";

/** What a workspace product does with C: overwrite it, add to it or subtract from it. */
export type GemmUpdate = "set" | "add" | "subtract";

const UPDATE_CODE: Record<GemmUpdate, number> = { set: 0, add: 1, subtract: -1 };

/** Bytes past each workspace's elements that its kernels use as scratch. */
const SCRATCH_BYTES = 64;

/** Float64 storage in wasm memory and the kernels that run on it; valid inside {@link withF64Workspace}'s callback. */
export interface F64Workspace {
  /** The workspace (length: the elements asked for); a view over wasm memory, read and written directly. */
  readonly data: Float64Array;
  /**
   * C (m×n at c, rows ldc apart) =, += or −= op(A)·op(B): op(A) is m×k (A stored m×k, or k×m when
   * `ta`, rows lda apart), op(B) is k×n (B stored k×n, or n×k when `tb`, rows ldb apart).
   * Large products run on the gemm's threads.
   */
  gemm(
    ta: boolean, tb: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, update?: GemmUpdate,
  ): void;
  /** y = A·x for the len×len symmetric A at a (rows ld apart) of which only the upper triangle is read. */
  symvUpper(a: number, ld: number, len: number, x: number, y: number): void;
  /** y += alpha·A·x (transposed: y += alpha·Aᵀ·x) for the m×n A at a, rows lda apart. */
  gemv(transposed: boolean, m: number, n: number, alpha: number, a: number, lda: number, x: number, y: number): void;
  /**
   * Root i of the secular equation 1 + ρ Σⱼ wⱼ²/(δⱼ − λ) = 0 of divide and conquer (LAPACK dlaed4's
   * task) for k ascending poles δ at `poles` and weights at `w` with ‖w‖² = wsq, ρ > 0: in
   * (δᵢ, δᵢ₊₁), or (δ_{k−1}, δ_{k−1} + ρ·wsq) for the last. Writes δⱼ − λ (computed from the nearer
   * pole, so that it keeps its relative accuracy) to the k entries at `delta` and returns λ.
   */
  secularRoot(poles: number, w: number, k: number, rho: number, wsq: number, i: number, delta: number): number;
  /**
   * The eigenvectors of the rank-one update once every {@link secularRoot} has written its row of
   * `delta` (k×k, row i: δⱼ − λᵢ): the Gu–Eisenstat weights ẑⱼ = sign(wⱼ)·√(−Πᵢ(δⱼ − λᵢ)/Πᵢ≠ⱼ(δⱼ − δᵢ))
   * (so that the vectors are orthogonal to working precision), then row i of U (k×k at u) is
   * ẑ/(δ − λᵢ) normalized, its entry j stored at column pos[j] (`pos`: k float64 holding a
   * permutation of 0 … k−1). `work`: k float64 of scratch.
   */
  secularVectors(delta: number, poles: number, w: number, k: number, pos: number, u: number, work: number): void;
}

/** True when a workspace of `elements` float64 can be opened now (the wasm memory tops out at 2 GiB). */
export function f64WorkspaceFits(elements: number): boolean {
  const heap = gemmHeap();
  // Room for the workspace plus two threads' packing scratch above it.
  return Number.isInteger(elements) && elements >= 0 && heap.dataBase(2) + align64(elements * 8) + SCRATCH_BYTES <= MAX_PAGES * 65536;
}

/** Options of {@link withF64Workspace}. */
export interface F64WorkspaceOptions {
  /** Zero-fill the workspace first (default true); false leaves whatever an earlier workspace wrote there. */
  zero?: boolean;
}

/**
 * Opens a workspace of `elements` float64 (zero-filled unless `zero: false`) for the duration
 * of `body`: it stays at a fixed place in wasm memory (other products are placed above it) and
 * is released when `body` returns or throws. Workspaces nest.
 * @throws ArgumentError when `elements` is not a non-negative integer or does not fit in wasm memory.
 */
export function withF64Workspace<T>(elements: number, body: (ws: F64Workspace) => T, options: F64WorkspaceOptions = {}): T {
  if (!Number.isInteger(elements) || elements < 0) {
    throw new ArgumentError(`withF64Workspace: elements must be a non-negative integer, got ${elements}`, "elements");
  }
  const heap = gemmHeap();
  const bytes = align64(elements * 8) + SCRATCH_BYTES;
  const base = f64WorkspaceFits(elements) ? heap.pin(bytes) : -1;
  if (base < 0) throw new ArgumentError(`withF64Workspace: ${elements} float64 do not fit in the 2 GiB WebAssembly memory`, "elements");
  const ws = new Workspace(heap.memory, base, elements);
  if (options.zero !== false) ws.data.fill(0);
  try {
    return body(ws);
  } finally {
    ws.open = false;
    heap.unpin(bytes);
  }
}

class Workspace implements F64Workspace {
  readonly data: Float64Array;
  open = true;

  constructor(memory: WebAssembly.Memory, private readonly base: number, private readonly elements: number) {
    this.data = new Float64Array(memory.buffer, base, elements);
  }

  gemm(
    ta: boolean, tb: boolean, m: number, n: number, k: number,
    a: number, lda: number, b: number, ldb: number, c: number, ldc: number, update: GemmUpdate = "set",
  ): void {
    this.check("gemm");
    const code = UPDATE_CODE[update];
    if (code === undefined) throw new ArgumentError(`workspace gemm: update must be "set", "add" or "subtract", got ${String(update)}`, "update");
    dim("gemm", "m", m);
    dim("gemm", "n", n);
    dim("gemm", "k", k);
    if (m === 0 || n === 0) return;
    this.span("gemm", "c", c, m, n, ldc);
    if (k === 0) {
      if (code === 0) for (let i = 0; i < m; i++) this.data.fill(0, c + i * ldc, c + i * ldc + n);
      return;
    }
    this.span("gemm", "a", a, ta ? k : m, ta ? m : k, lda);
    this.span("gemm", "b", b, tb ? n : k, tb ? k : n, ldb);
    const threads = m * n * k >= THREAD_FLOPS ? gemmThreads() : 1;
    const heap = gemmHeap();
    if (!heap.ensure(heap.dataBase(threads))) throw new ArgumentError("workspace gemm: no room left for the packing scratch in wasm memory");
    runSliced(2, [this.at(a), this.at(b), this.at(c), m, n, k, ta ? 1 : 0, tb ? 1 : 0], [lda, ldb, ldc, code], threads);
  }

  symvUpper(a: number, ld: number, len: number, x: number, y: number): void {
    this.check("symvUpper");
    dim("symvUpper", "len", len);
    if (len === 0) return;
    this.span("symvUpper", "a", a, len, len, ld);
    this.span("symvUpper", "x", x, 1, len, len);
    this.span("symvUpper", "y", y, 1, len, len);
    gemmHeap().exports.dsymvUpper(this.base + a * 8, ld, len, this.base + x * 8, this.base + y * 8);
  }

  gemv(transposed: boolean, m: number, n: number, alpha: number, a: number, lda: number, x: number, y: number): void {
    this.check("gemv");
    dim("gemv", "m", m);
    dim("gemv", "n", n);
    if (m === 0 || n === 0) return;
    this.span("gemv", "a", a, m, n, lda);
    this.span("gemv", "x", x, 1, transposed ? m : n, 0);
    this.span("gemv", "y", y, 1, transposed ? n : m, 0);
    const ex = gemmHeap().exports;
    (transposed ? ex.dgemvT : ex.dgemvN)(this.base + a * 8, lda, m, n, this.base + x * 8, this.base + y * 8, alpha);
  }

  secularRoot(poles: number, w: number, k: number, rho: number, wsq: number, i: number, delta: number): number {
    this.check("secularRoot");
    dim("secularRoot", "k", k);
    if (!(Number.isInteger(i) && i >= 0 && i < k)) throw new ArgumentError(`workspace secularRoot: i must be an integer in [0, ${k}), got ${i}`, "i");
    if (!(rho > 0 && Number.isFinite(rho))) throw new ArgumentError(`workspace secularRoot: rho must be positive and finite, got ${rho}`, "rho");
    this.span("secularRoot", "poles", poles, 1, k, k);
    this.span("secularRoot", "w", w, 1, k, k);
    this.span("secularRoot", "delta", delta, 1, k, k);
    return gemmHeap().exports.dlaed4(this.at(poles), this.at(w), k, rho, wsq, i, this.at(delta), this.base + align64(this.elements * 8));
  }

  secularVectors(delta: number, poles: number, w: number, k: number, pos: number, u: number, work: number): void {
    this.check("secularVectors");
    dim("secularVectors", "k", k);
    if (k === 0) return;
    this.span("secularVectors", "delta", delta, k, k, k);
    this.span("secularVectors", "u", u, k, k, k);
    for (const [name, offset] of [["poles", poles], ["w", w], ["pos", pos], ["work", work]] as const) this.span("secularVectors", name, offset, 1, k, k);
    const seen = new Uint8Array(k);
    for (let j = 0; j < k; j++) {
      const p = this.data[pos + j];
      if (!(Number.isInteger(p) && p >= 0 && p < k) || seen[p]) throw new ArgumentError(`workspace secularVectors: pos must be a permutation of 0 … ${k - 1}; entry ${j} is ${p}`, "pos");
      seen[p] = 1;
    }
    gemmHeap().exports.dlaed3(this.at(delta), this.at(poles), this.at(w), k, this.at(pos), this.at(u), this.at(work));
  }

  /** Byte address in wasm memory of element `offset`. */
  private at(offset: number): number {
    return this.base + offset * 8;
  }

  private check(op: string): void {
    if (!this.open) throw new ArgumentError(`workspace ${op}: the workspace was released when withF64Workspace's callback returned`);
  }

  /** Throws unless rows×cols with rows `ld` apart, from `offset`, lies inside the workspace. */
  private span(op: string, name: string, offset: number, rows: number, cols: number, ld: number): void {
    const ok = Number.isInteger(offset) && offset >= 0 && Number.isInteger(ld) && (rows <= 1 || ld >= cols);
    if (!ok || offset + (rows - 1) * ld + cols > this.elements) {
      throw new ShapeError(`workspace ${op}: ${name} (${rows}×${cols} at offset ${offset}, rows ${ld} apart) lies outside the workspace of ${this.elements} elements`);
    }
  }
}

function dim(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new ArgumentError(`workspace ${op}: ${name} must be a non-negative integer, got ${v}`, name);
}
