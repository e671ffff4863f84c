/**
 * Lanczos iteration with full reorthogonalization for the extreme eigenvalues of a large
 * symmetric operator given only as a matrix-vector product.
 */
import { ArgumentError } from "@fcn/tensor";
import { ConvergenceError } from "./convergence.js";
import { eigh } from "./eigh.js";
import { createRandom } from "../random.js";

/** Options of {@link lanczos}. */
export interface LanczosOptions {
  /** How many extreme eigenvalues to return from each requested end (default 1). */
  count?: number;
  /** Which end of the spectrum: "largest", "smallest" or "both" (default "largest"). */
  which?: "largest" | "smallest" | "both";
  /** Krylov dimension bound (default min(n, 300)); exceeding it without convergence throws. */
  maxIterations?: number;
  /** Residual bound |β_m·s_mi| ≤ tolerance·max(1, |θ_i|) for a Ritz value to count as converged (default 1e-10). */
  tolerance?: number;
  /** Seed of the random start vector (default 1). */
  seed?: number;
}

/** Converged Ritz values (ascending within each end) and how many Lanczos steps were taken. */
export interface LanczosResult {
  readonly values: Float64Array;
  readonly iterations: number;
}

/**
 * Extreme eigenvalues of a symmetric operator x ↦ A·x of size n, by Lanczos with full
 * reorthogonalization (T_m = QᵀAQ tridiagonal; Ritz values of T_m approximate eig(A)).
 * @example lanczos((x) => matvec(a, x), a.rows, { count: 2 }).values
 */
export function lanczos(apply: (x: Float64Array) => Float64Array, n: number, options: LanczosOptions = {}): LanczosResult {
  const count = options.count ?? 1;
  const which = options.which ?? "largest";
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`lanczos: size n must be a positive integer, got ${n}`);
  if (!Number.isInteger(count) || count < 1 || count > n) throw new ArgumentError(`lanczos: count must be in 1..${n}, got ${count}`);
  const maxIterations = Math.min(n, options.maxIterations ?? Math.min(n, 300));
  const tolerance = options.tolerance ?? 1e-10;
  const random = createRandom(options.seed ?? 1);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = random.normal();
  normalize(q);
  for (let m = 1; m <= maxIterations; m++) {
    basis.push(q);
    const w = apply(q);
    if (w.length !== n) throw new ArgumentError(`lanczos: operator returned length ${w.length}, expected ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(w[i])) throw new ArgumentError(`lanczos: operator produced ${w[i]} at entry ${i}`);
    const a = dot(w, q);
    alpha.push(a);
    // Full reorthogonalization (twice is enough): w ← w − Q(Qᵀw).
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        const c = dot(w, v);
        for (let i = 0; i < n; i++) w[i] -= c * v[i];
      }
    }
    const b = Math.sqrt(dot(w, w));
    const ritz = tridiagonalRitz(alpha, beta);
    const exhausted = b <= 1e-12 * Math.max(1, Math.abs(a)) || m === n;
    const selected = selectConverged(ritz, b, count, which, tolerance, exhausted);
    if (selected) return { values: selected, iterations: m };
    beta.push(b);
    q = w;
    for (let i = 0; i < n; i++) q[i] /= b;
  }
  throw new ConvergenceError(`lanczos: ${which} ${count} eigenvalue(s) of a size-${n} operator did not converge within ${maxIterations} iterations`);
}

function tridiagonalRitz(alpha: number[], beta: number[]) {
  const m = alpha.length;
  const t = { rows: m, cols: m, data: new Float64Array(m * m) };
  for (let i = 0; i < m; i++) {
    t.data[i * m + i] = alpha[i];
    if (i + 1 < m) {
      t.data[i * m + i + 1] = beta[i];
      t.data[(i + 1) * m + i] = beta[i];
    }
  }
  return eigh(t);
}

function selectConverged(
  ritz: ReturnType<typeof eigh>, b: number, count: number, which: string, tolerance: number, exhausted: boolean,
): Float64Array | undefined {
  const m = ritz.values.length;
  const wanted: number[] = [];
  if (which !== "largest") for (let i = 0; i < Math.min(count, m); i++) wanted.push(i);
  if (which !== "smallest") for (let i = Math.max(0, m - count); i < m; i++) if (!wanted.includes(i)) wanted.push(i);
  const needed = which === "both" ? Math.min(2 * count, m) : Math.min(count, m);
  if (!exhausted && (m < needed || wanted.length < needed)) return undefined;
  for (const i of wanted) {
    // Residual of Ritz pair i is |β_m · s_{m,i}| (last component of the Ritz vector of T).
    const residual = Math.abs(b * ritz.vectors.data[(m - 1) * m + i]);
    if (!exhausted && residual > tolerance * Math.max(1, Math.abs(ritz.values[i]))) return undefined;
  }
  return Float64Array.from(wanted.sort((x, y) => x - y).map((i) => ritz.values[i]));
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function normalize(x: Float64Array): void {
  const s = Math.sqrt(dot(x, x));
  for (let i = 0; i < x.length; i++) x[i] /= s;
}
