/**
 * Level statistics of a spectrum: unfolded spacings, the mean spacing ratio ⟨r⟩, degeneracy,
 * and spectral entropy. Reference values: Poisson ⟨r⟩ = 2 ln 2 − 1 ≈ 0.386, GOE ⟨r⟩ ≈ 0.5307.
 */
import { ArgumentError } from "@fcn/tensor";
import { type Matrix, isSymmetric } from "../linalg/matrix.js";
import { createRandom } from "../random.js";
import { asMatrix } from "../linalg/asMatrix.js";

/** Result of {@link levelStatistics}. */
export interface LevelStatistics {
  /** Consecutive spacings of the sorted values divided by their mean (unit mean spacing). */
  readonly unfoldedSpacings: Float64Array;
  /** Distinct eigenvalues (values closer than the tolerance count once). */
  readonly distinctValues: number;
  /** Spacings at or below the tolerance (exact degeneracies). */
  readonly degenerateSpacings: number;
  /** ⟨r⟩ over consecutive spacing pairs with max(sₙ, sₙ₋₁) above tolerance; NaN if none. */
  readonly meanSpacingRatio: number;
  /** Spacing pairs left out of ⟨r⟩ because both spacings are degenerate. */
  readonly excludedRatioPairs: number;
}

/**
 * Level-spacing statistics with explicit handling of degenerate eigenvalues:
 * sₙ = λₙ₊₁ − λₙ, unfolded by the mean spacing, rₙ = min(sₙ, sₙ₋₁)/max(sₙ, sₙ₋₁).
 * A spacing ≤ tolerance·max(1, max|λ|) is degenerate.
 * @example levelStatistics(laplacianSpectrum(graph)).meanSpacingRatio
 */
export function levelStatistics(values: ArrayLike<number>, tolerance = 1e-9): LevelStatistics {
  const sorted = Float64Array.from(values).sort();
  for (const v of sorted) if (!Number.isFinite(v)) throw new ArgumentError(`levelStatistics: eigenvalue ${v} is not finite`);
  const scale = sorted.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
  const threshold = tolerance * scale;
  const spacings = new Float64Array(Math.max(0, sorted.length - 1));
  for (let i = 0; i + 1 < sorted.length; i++) spacings[i] = sorted[i + 1] - sorted[i];
  const mean = spacings.length ? spacings.reduce((s, x) => s + x, 0) / spacings.length : 0;
  let degenerate = 0;
  for (const s of spacings) if (s <= threshold) degenerate++;
  let ratioSum = 0;
  let ratioCount = 0;
  let excluded = 0;
  for (let i = 1; i < spacings.length; i++) {
    const a = spacings[i] <= threshold ? 0 : spacings[i];
    const b = spacings[i - 1] <= threshold ? 0 : spacings[i - 1];
    const high = Math.max(a, b);
    if (high === 0) {
      excluded++;
      continue;
    }
    ratioSum += Math.min(a, b) / high;
    ratioCount++;
  }
  return {
    unfoldedSpacings: mean > 0 ? spacings.map((s) => s / mean) : spacings,
    distinctValues: sorted.length === 0 ? 0 : sorted.length - degenerate,
    degenerateSpacings: degenerate,
    meanSpacingRatio: ratioCount ? ratioSum / ratioCount : Number.NaN,
    excludedRatioPairs: excluded,
  };
}

/**
 * Adds symmetric Gaussian noise σ·(E + Eᵀ)/√2 to a symmetric matrix (the seed's degeneracy-breaking
 * injection), so level statistics can be reported with and without it.
 * @example laplacianSpectrumOf(addSymmetricNoise(normalizedLaplacian(g), 1e-3, 1))
 */
export function addSymmetricNoise(m: Matrix, scale: number, seed: number): Matrix {
  m = asMatrix(m, "addSymmetricNoise", "m");
  if (!isSymmetric(m, 1e-12)) throw new ArgumentError("addSymmetricNoise: matrix must be symmetric");
  if (!(scale >= 0)) throw new ArgumentError(`addSymmetricNoise: scale must be ≥ 0, got ${scale}`);
  const n = m.rows;
  const random = createRandom(seed);
  const out = { rows: n, cols: n, data: new Float64Array(m.data) };
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const e = i === j ? scale * random.normal() : (scale * random.normal()) / Math.SQRT2;
      out.data[i * n + j] += e;
      if (i !== j) out.data[j * n + i] += e;
    }
  }
  return out;
}

/**
 * Spectral entropy H = −Σ pᵢ ln pᵢ with pᵢ = |λᵢ| / Σ|λⱼ| (terms with pᵢ = 0 contribute 0);
 * ln N for a flat spectrum, 0 when one eigenvalue carries everything.
 * @example spectralEntropy([1, 1, 1, 1]) // ln 4
 */
export function spectralEntropy(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += Math.abs(values[i]);
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < values.length; i++) {
    const p = Math.abs(values[i]) / total;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}
