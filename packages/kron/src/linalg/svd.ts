/** Singular value decomposition by one-sided Jacobi rotations (Hestenes), and least squares from it. */
import { ShapeError, formatShape } from "@fcn/tensor";
import { ConvergenceError } from "./convergence.js";
import { type Matrix, assertFinite, transpose, zeros } from "./matrix.js";
import { asMatrix } from "./asMatrix.js";

/** Thin SVD A = U·diag(S)·Vᵀ with singular values descending; U is m×p, V is n×p, p = min(m, n). */
export interface SingularValueDecomposition {
  readonly u: Matrix;
  readonly singularValues: Float64Array;
  readonly v: Matrix;
}

/**
 * Thin SVD by one-sided Jacobi: rotate column pairs of A until all are orthogonal; the column
 * norms are the singular values. Accurate to high relative precision for small singular values.
 * @example svd(fromRows([[3, 0], [0, 4]])).singularValues // [4, 3]
 */
export function svd(a: Matrix, maxSweeps = 80): SingularValueDecomposition {
  a = asMatrix(a, "svd", "a");
  assertFinite(a, "svd");
  if (a.rows < a.cols) {
    const t = svd(transpose(a), maxSweeps);
    return { u: t.v, singularValues: t.singularValues, v: t.u };
  }
  const m = a.rows;
  const n = a.cols;
  // Columns stored as rows: cu[j] is column j of the working matrix, cv[j] column j of V.
  const cu = transpose(a).data;
  // Scale to max|a_ij| = 1 so that tiny (subnormal) or huge inputs neither underflow nor overflow.
  let largest = 0;
  for (const x of cu) largest = Math.max(largest, Math.abs(x));
  if (largest > 0) for (let i = 0; i < cu.length; i++) cu[i] /= largest;
  const cv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) cv[j * n + j] = 1;
  const eps = 2 ** -52;
  let frobeniusSquared = 0;
  for (const x of cu) frobeniusSquared += x * x;
  // Columns whose squared norm is below (ε‖A‖_F)² are numerically zero: rotating them never converges.
  const negligible = eps * eps * frobeniusSquared;
  // Rounding in the m-term dot product γ can hold |γ| just above ε·√(αβ) for ever, the rotations
  // then cycling; LAPACK's dgesvj stops at √m·ε. Rotations still run to ε (so wherever that
  // converges the result is unchanged), and a matrix whose last sweep was within √m·ε is accepted.
  const tolerance = Math.sqrt(m) * eps;
  let converged = false;
  let withinTolerance = false;
  for (let sweep = 0; sweep < maxSweeps && !converged; sweep++) {
    converged = true;
    withinTolerance = true;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const op = p * m, oq = q * m;
        for (let i = 0; i < m; i++) {
          const x = cu[op + i], y = cu[oq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || alpha <= negligible || beta <= negligible || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        converged = false;
        if (Math.abs(gamma) > tolerance * Math.sqrt(alpha * beta)) withinTolerance = false;
        // Rotation zeroing the (p,q) entry of AᵀA: ζ = (β − α)/(2γ), t = sign(ζ)/(|ζ| + sqrt(1 + ζ²)).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = cu[op + i], y = cu[oq + i];
          cu[op + i] = c * x - s * y;
          cu[oq + i] = s * x + c * y;
        }
        const vp = p * n, vq = q * n;
        for (let i = 0; i < n; i++) {
          const x = cv[vp + i], y = cv[vq + i];
          cv[vp + i] = c * x - s * y;
          cv[vq + i] = s * x + c * y;
        }
      }
    }
  }
  if (!converged && !withinTolerance) throw new ConvergenceError(`svd: one-sided Jacobi did not converge for shape ${formatShape([m, n])} within ${maxSweeps} sweeps`);
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.hypot(s, cu[j * m + i]);
    norms[j] = s;
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => norms[y] - norms[x]);
  const u = zeros(m, n);
  const v = zeros(n, n);
  const singularValues = new Float64Array(n);
  const zeroBelow = eps * Math.max(m, n) * (norms[order[0]] ?? 0);
  order.forEach((source, target) => {
    const sigma = norms[source];
    singularValues[target] = sigma * largest;
    for (let i = 0; i < n; i++) v.data[i * n + target] = cv[source * n + i];
    if (sigma > zeroBelow) {
      for (let i = 0; i < m; i++) u.data[i * n + target] = cu[source * m + i] / sigma;
    } else {
      completeBasisColumn(u, target);
    }
  });
  return { u, singularValues, v };
}

/** Fills column `target` of U with a unit vector orthogonal to the columns before it (Gram–Schmidt on eᵢ). */
function completeBasisColumn(u: Matrix, target: number): void {
  const { rows: m, cols: n } = u;
  for (let candidate = 0; candidate < m; candidate++) {
    const x = new Float64Array(m);
    x[candidate] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < target; j++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u.data[i * n + j] * x[i];
        for (let i = 0; i < m; i++) x[i] -= dot * u.data[i * n + j];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.hypot(norm, x[i]);
    if (norm > 1e-8) {
      for (let i = 0; i < m; i++) u.data[i * n + target] = x[i] / norm;
      return;
    }
  }
}

/** Result of {@link lstsq}: the minimum-norm solution, residual norm, numerical rank and singular values. */
export interface LeastSquaresResult {
  readonly solution: Float64Array;
  readonly residualNorm: number;
  readonly rank: number;
  readonly singularValues: Float64Array;
}

/**
 * Minimum-norm least-squares solution of A·x ≈ b via the SVD, x = V·Σ⁺·Uᵀb; singular values
 * below `relativeCutoff`·σ_max are treated as zero (as numpy.linalg.lstsq's rcond).
 * @example lstsq(fromRows([[1], [1]]), new Float64Array([1, 3])).solution // [2]
 */
export function lstsq(a: Matrix, b: Float64Array, relativeCutoff?: number): LeastSquaresResult {
  a = asMatrix(a, "lstsq", "a");
  if (b.length !== a.rows) {
    throw new ShapeError(`lstsq: right-hand side of length ${b.length} does not fit matrix ${formatShape([a.rows, a.cols])}`);
  }
  const { u, singularValues, v } = svd(a);
  const p = singularValues.length;
  const cutoff = (relativeCutoff ?? 2 ** -52 * Math.max(a.rows, a.cols)) * (singularValues[0] ?? 0);
  const x = new Float64Array(a.cols);
  let rank = 0;
  for (let j = 0; j < p; j++) {
    if (!(singularValues[j] > cutoff)) continue;
    rank++;
    let dot = 0;
    for (let i = 0; i < a.rows; i++) dot += u.data[i * p + j] * b[i];
    const coefficient = dot / singularValues[j];
    for (let i = 0; i < a.cols; i++) x[i] += coefficient * v.data[i * p + j];
  }
  let residual = 0;
  for (let i = 0; i < a.rows; i++) {
    let s = -b[i];
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * x[j];
    residual = Math.hypot(residual, s);
  }
  return { solution: x, residualNorm: residual, rank, singularValues };
}
