/**
 * Nearest Kronecker product (Van Loan & Pitsianis 1993): min ‖A − Σᵣ Bᵣ ⊗ Cᵣ‖_F through the
 * rearrangement R(A), whose rank-r truncated SVD gives the optimal r-term Kronecker sum (Experiment 2).
 */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import { type Matrix, assertFinite, frobeniusNorm, zeros } from "../linalg/matrix.js";
import { asMatrix } from "../linalg/asMatrix.js";
import { svd } from "../linalg/svd.js";

/** One term Bᵣ ⊗ Cᵣ of a Kronecker sum. */
export interface KroneckerTerm {
  readonly left: Matrix;
  readonly right: Matrix;
}

/** Result of {@link nearestKroneckerProduct}. */
export interface NearestKroneckerResult {
  readonly terms: KroneckerTerm[];
  /** ‖A − Σᵣ Bᵣ ⊗ Cᵣ‖_F / ‖A‖_F = sqrt(Σ_{i>r} σᵢ²)/sqrt(Σ σᵢ²) (0 for A = 0). */
  readonly relativeError: number;
  /** All singular values of the rearrangement R(A) (the Kronecker rank spectrum). */
  readonly singularValues: Float64Array;
}

/**
 * Best approximation of A (m₁m₂ × n₁n₂) by a sum of `rank` Kronecker products Bᵣ (m₁×n₁) ⊗ Cᵣ (m₂×n₂).
 * R(A) has one row per block A_{ij} (i < m₁, j < n₁), holding vec of that block row-major;
 * R(A) = Σ σᵣ uᵣvᵣᵀ gives Bᵣ = sqrt(σᵣ)·uᵣ and Cᵣ = sqrt(σᵣ)·vᵣ reshaped.
 * @example nearestKroneckerProduct(kron(b, c), [2, 2], [4, 4]).relativeError // ≈ 0
 */
export function nearestKroneckerProduct(
  a: Matrix, leftShape: readonly [number, number], rightShape: readonly [number, number], rank = 1,
): NearestKroneckerResult {
  a = asMatrix(a, "nearestKroneckerProduct", "a");
  for (const [name, s] of [["leftShape", leftShape], ["rightShape", rightShape]] as const) {
    if (!Array.isArray(s) || s.length !== 2 || !s.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ArgumentError(`nearestKroneckerProduct: ${name} must be [rows, cols] of positive integers, got ${JSON.stringify(s)}`, name);
    }
  }
  assertFinite(a, "nearestKroneckerProduct");
  const [m1, n1] = leftShape;
  const [m2, n2] = rightShape;
  if (m1 * m2 !== a.rows || n1 * n2 !== a.cols) {
    throw new ShapeError(`nearestKroneckerProduct: ${formatShape([m1, n1])} ⊗ ${formatShape([m2, n2])} does not tile a matrix of shape ${formatShape([a.rows, a.cols])}`);
  }
  const maxRank = Math.min(m1 * n1, m2 * n2);
  if (!Number.isInteger(rank) || rank < 1 || rank > maxRank) {
    throw new ShapeError(`nearestKroneckerProduct: rank must be an integer in 1..${maxRank}, got ${rank}`);
  }
  const r = zeros(m1 * n1, m2 * n2);
  for (let i = 0; i < m1; i++) for (let j = 0; j < n1; j++) {
    const row = (i * n1 + j) * m2 * n2;
    for (let k = 0; k < m2; k++) for (let l = 0; l < n2; l++) r.data[row + k * n2 + l] = a.data[(i * m2 + k) * a.cols + j * n2 + l];
  }
  const { u, singularValues, v } = svd(r);
  const p = singularValues.length;
  const terms: KroneckerTerm[] = [];
  for (let t = 0; t < rank; t++) {
    const root = Math.sqrt(singularValues[t]);
    const left = zeros(m1, n1);
    const right = zeros(m2, n2);
    for (let q = 0; q < m1 * n1; q++) left.data[q] = root * u.data[q * p + t];
    for (let q = 0; q < m2 * n2; q++) right.data[q] = root * v.data[q * p + t];
    terms.push({ left, right });
  }
  const total = frobeniusNorm(a);
  let tail = 0;
  for (let t = rank; t < p; t++) tail = Math.hypot(tail, singularValues[t]);
  return { terms, relativeError: total === 0 ? 0 : tail / total, singularValues };
}
