/**
 * Cuppen's divide and conquer (LAPACK dstedc/dlaed0–dlaed4, as divideConquer.ts) with the
 * eigenvector matrix in `@fcn/tensor`'s WebAssembly memory: every block keeps its eigenvectors
 * as rows of one N×N matrix Z (block [lo, lo+size) in rows and columns lo … lo+size−1, zero
 * elsewhere), and each merge multiplies the update's eigenvectors into them with two in-place
 * products (top and bottom halves, dlaed3's split by column support) instead of allocating. Rows
 * are not kept sorted: a block's rows are its secular roots, then its deflated values; the
 * caller sorts once at the end.
 */
import type { F64Workspace } from "@fcn/tensor/gemm";
import { implicitQl } from "./ql.js";
import { DENSE, deflate } from "./deflation.js";

/** Column support of an eigenvector row: only the first block, only the second, or both. */
const TOP = 1;
const BOTTOM = 2;

/** Scratch elements {@link tridiagonalEigenInWorkspace} needs for an N×N problem. */
export function divideConquerScratch(n: number): number {
  return 3 * n * n + 4 * n;
}

/**
 * Eigenvalues of T = tridiag(e, d, e) (e[i] = T[i, i+1]), unsorted, with eigenvector i written
 * into row i of the N×N matrix at `z` (rows N apart, zero on entry). Blocks of at most `leaf`
 * rows use implicit QL. `scratch`: offset of {@link divideConquerScratch} free elements.
 */
export function tridiagonalEigenInWorkspace(
  ws: F64Workspace, d: Float64Array, e: Float64Array, leaf: number, maxIt: number, z: number, scratch: number,
): Float64Array {
  const n = d.length;
  const solver = new Solver(ws, Float64Array.from(d), e, Math.max(2, leaf), maxIt, z, scratch);
  solver.solve(0, n);
  return solver.values;
}

class Solver {
  readonly values: Float64Array;
  private readonly ld: number;

  constructor(
    private readonly ws: F64Workspace, private readonly d: Float64Array, private readonly e: Float64Array,
    private readonly leaf: number, private readonly maxIt: number, private readonly z: number, private readonly scratch: number,
  ) {
    this.ld = d.length;
    this.values = new Float64Array(d.length);
  }

  solve(lo: number, size: number): void {
    if (size <= this.leaf) return this.leafSolve(lo, size);
    const n1 = size >> 1;
    const beta = this.e[lo + n1 - 1];
    const rho = Math.abs(beta);
    this.d[lo + n1 - 1] -= rho;
    this.d[lo + n1] -= rho;
    this.solve(lo, n1);
    this.solve(lo + n1, size - n1);
    this.merge(lo, n1, size - n1, rho, beta < 0 ? -1 : 1);
  }

  /** Implicit QL (tql2) on the block from the identity; its rows are the eigenvectors. */
  private leafSolve(lo: number, n: number): void {
    const dl = this.d.slice(lo, lo + n);
    const el = new Float64Array(n);
    for (let i = 0; i < n - 1; i++) el[i] = this.e[lo + i];
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) w[i * n + i] = 1;
    implicitQl(w, dl, el, n, true, this.maxIt);
    this.values.set(dl, lo);
    const x = this.ws.data;
    for (let i = 0; i < n; i++) x.set(w.subarray(i * n, i * n + n), this.z + (lo + i) * this.ld + lo);
  }

  private merge(lo: number, n1: number, n2: number, rho0: number, sign: number): void {
    const x = this.ws.data;
    const ld = this.ld;
    const n = n1 + n2;
    const row = (i: number) => this.z + (lo + i) * ld + lo; // row i of the block, from its first column
    const lambda = this.values.slice(lo, lo + n);
    const z = new Float64Array(n);
    const kind = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      z[i] = i < n1 ? x[row(i) + n1 - 1] : sign * x[row(i) + n1];
      kind[i] = i < n1 ? TOP : BOTTOM;
    }
    if (rho0 === 0) return;
    // Normalize: ρ·zzᵀ with ‖z‖ = 1.
    let zz = 0;
    for (let i = 0; i < n; i++) zz += z[i] * z[i];
    const rho = rho0 * zz;
    const zn = Math.sqrt(zz);
    for (let i = 0; i < n; i++) z[i] /= zn;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => lambda[a] - lambda[b]);
    // Deflation (dlaed2): tiny ρ|zᵢ|, and pairs of close poles rotated so one z becomes 0.
    const { kept, deflated } = deflate(lambda, z, rho, order, kind, (prev, j, c, s) => {
      const rp = row(prev);
      const rj = row(j);
      for (let q = 0; q < n; q++) {
        const a = x[rp + q];
        const b = x[rj + q];
        x[rp + q] = c * a + s * b;
        x[rj + q] = c * b - s * a;
      }
    });
    const k = kept.length;
    if (k === 0) {
      this.values.set(lambda, lo);
      return;
    }
    const qc = this.scratch; // old rows, kept ones grouped by support, then the deflated: n×n
    const delta = qc + ld * ld; // δⱼ − λᵢ: k×k
    const u = delta + ld * ld; // the update's eigenvectors, row i for root i, columns grouped like qc: k×k
    const polesAt = u + ld * ld; // the kept poles, ascending, their weights, columns and scratch: k each
    const wAt = polesAt + ld;
    // Secular equation 1 + ρ Σ zⱼ²/(δⱼ − λ) = 0 on the kept poles, one root per interval (in wasm).
    const poles = new Float64Array(k);
    const w = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      poles[i] = lambda[kept[i]];
      w[i] = z[kept[i]];
    }
    x.set(poles, polesAt);
    x.set(w, wAt);
    const roots = new Float64Array(k);
    let wsq = 0;
    for (let i = 0; i < k; i++) wsq += w[i] * w[i];
    for (let i = 0; i < k; i++) roots[i] = this.ws.secularRoot(polesAt, wAt, k, rho, wsq, i, delta + i * k);
    // Column of each kept pole in qc and u: top-only rows first, then dense, then bottom-only.
    const pos = new Int32Array(k);
    let next = 0;
    for (const group of [TOP, DENSE, BOTTOM]) for (let j = 0; j < k; j++) if (kind[kept[j]] === group) pos[j] = next++;
    let top = 0; // rows with support in the top block: [0, top)
    let bottomFrom = 0; // rows with support in the bottom block: [bottomFrom, k)
    for (let j = 0; j < k; j++) {
      if (kind[kept[j]] !== BOTTOM) top++;
      if (kind[kept[j]] === TOP) bottomFrom++;
    }
    // Gu–Eisenstat: ẑ with D + ρẑẑᵀ having exactly these roots; eigenvectors uᵢ ∝ ẑⱼ/(δⱼ − λᵢ) (in wasm).
    const posAt = wAt + ld;
    const work = posAt + ld;
    for (let j = 0; j < k; j++) x[posAt + j] = pos[j];
    this.ws.secularVectors(delta, polesAt, wAt, k, posAt, u, work);
    for (let j = 0; j < k; j++) x.copyWithin(qc + pos[j] * n, row(kept[j]), row(kept[j]) + n);
    deflated.forEach((j, t) => x.copyWithin(qc + (k + t) * n, row(j), row(j) + n));
    // New rows 0 … k−1 = U·(old kept rows), top columns from the rows with top support, bottom likewise.
    this.ws.gemm(false, false, k, n1, top, u, k, qc, n, row(0), ld);
    this.ws.gemm(false, false, k, n2, k - bottomFrom, u + bottomFrom, k, qc + bottomFrom * n + n1, n, row(0) + n1, ld);
    deflated.forEach((j, t) => x.copyWithin(row(k + t), qc + (k + t) * n, qc + (k + t) * n + n));
    this.values.set(roots, lo);
    deflated.forEach((j, t) => (this.values[lo + k + t] = lambda[j]));
  }
}
