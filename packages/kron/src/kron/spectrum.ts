/**
 * Spectra as multisets {value, multiplicity}: exact eigenvalues of Kronecker products from their
 * factors (seed 000, eq. 5–6) without ever forming the product.
 */
import { ArgumentError } from "@fcn/tensor";
import { eigvalsh } from "../linalg/eigh.js";
import type { Matrix } from "../linalg/matrix.js";
import { validateInitiator } from "./initiator.js";
import { assertPower } from "./product.js";
import { asMatrix } from "../linalg/asMatrix.js";

/** One distinct eigenvalue and how many times it occurs. */
export interface SpectrumEntry {
  readonly value: number;
  readonly multiplicity: number;
}

/** A spectrum: distinct eigenvalues ascending, multiplicities summing to the matrix size. */
export type Spectrum = SpectrumEntry[];

/** Relative tolerance under which two computed eigenvalues are the same distinct value. */
export const MERGE_TOLERANCE = 1e-10;

/** Largest number of distinct values a factored spectrum may hold before it is refused. */
export const DISTINCT_VALUE_LIMIT = 1_000_000;

/**
 * Groups values into ascending {value, multiplicity} pairs; a value joins the previous group when it is
 * within `tolerance` of the group's first value relatively, or within 64ε·max|λ| absolutely (the group keeps the mean).
 * @example mergeSpectrum([1, 1, 2]) // [{value: 1, multiplicity: 2}, {value: 2, multiplicity: 1}]
 */
export function mergeSpectrum(values: ArrayLike<number> | readonly SpectrumEntry[], tolerance = MERGE_TOLERANCE): Spectrum {
  const entries: SpectrumEntry[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = (values as ArrayLike<unknown>)[i];
    entries.push(typeof v === "number" ? { value: v, multiplicity: 1 } : (v as SpectrumEntry));
  }
  entries.sort((a, b) => a.value - b.value);
  let scale = 0;
  for (const e of entries) scale = Math.max(scale, Math.abs(e.value));
  // Same value when within tolerance of each other relatively, or within 64ε·scale absolutely (rounding near 0).
  const floor = 64 * 2 ** -52 * scale;
  const out: { value: number; multiplicity: number; anchor: number; sum: number }[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && e.value - last.anchor <= Math.max(floor, tolerance * Math.max(Math.abs(e.value), Math.abs(last.anchor)))) {
      last.multiplicity += e.multiplicity;
      last.sum += e.value * e.multiplicity;
      last.value = last.sum / last.multiplicity;
    } else {
      out.push({ value: e.value, multiplicity: e.multiplicity, anchor: e.value, sum: e.value * e.multiplicity });
    }
  }
  return out.map(({ value, multiplicity }) => ({ value, multiplicity }));
}

/**
 * Spectrum of a real symmetric matrix by {@link eigvalsh}, as multiplicity pairs.
 * @example symmetricSpectrum(sierpinski()) // [{value: -1/φ, multiplicity: 1}, {value: φ, multiplicity: 1}]
 */
export function symmetricSpectrum(m: Matrix): Spectrum {
  m = asMatrix(m, "symmetricSpectrum", "m");
  return mergeSpectrum(eigvalsh(m));
}

/**
 * Spectrum of A₁ ⊗ A₂ ⊗ … from the factors' spectra: all products λ_{i₁}·λ_{i₂}·… with
 * multiplicities multiplied (eq. 5), merged into distinct values after each factor.
 * @example kronSpectrum([s, s]) // spectrum of A ⊗ A
 */
export function kronSpectrum(spectra: readonly Spectrum[]): Spectrum {
  if (spectra.length === 0) throw new ArgumentError("kronSpectrum: expected at least one spectrum, got none");
  let current: Spectrum = [{ value: 1, multiplicity: 1 }];
  for (const factor of spectra) {
    const products: SpectrumEntry[] = [];
    for (const a of current) for (const b of factor) products.push({ value: a.value * b.value, multiplicity: a.multiplicity * b.multiplicity });
    if (products.length > DISTINCT_VALUE_LIMIT) {
      throw new ArgumentError(`kronSpectrum: ${products.length} candidate distinct values exceed the limit ${DISTINCT_VALUE_LIMIT}`);
    }
    current = mergeSpectrum(products);
  }
  return current;
}

/**
 * Exact spectrum of K₀^{⊗k} for a symmetric initiator (eq. 6): for K₀ with eigenvalues λ₁, λ₂
 * this is λ₁^{k−ℓ}·λ₂^ℓ with multiplicity C(k, ℓ). Cost depends on k and m, never on N = m^k.
 * @example kronPowerSpectrum(sierpinski(), 30) // 31 distinct values, multiplicities summing to 2³⁰
 */
export function kronPowerSpectrum(initiator: Matrix, k: number): Spectrum {
  initiator = asMatrix(initiator, "kronPowerSpectrum", "initiator");
  validateInitiator(initiator);
  assertPower(k);
  if (k === 0) return [{ value: 1, multiplicity: 1 }];
  const base = symmetricSpectrum(initiator);
  return kronSpectrum(Array.from({ length: k }, () => base));
}

/** The golden ratio φ = (1 + √5)/2, the Sierpinski initiator's spectral radius. */
export const GOLDEN_RATIO = (1 + Math.sqrt(5)) / 2;

/**
 * Closed form for the Sierpinski initiator: eig(K₀^{⊗k}) = φ^{k−a}·(−1/φ)^a with multiplicity C(k, a).
 * @example sierpinskiSpectrum(2) // values 1/φ², −1, φ² with multiplicities 1, 2, 1
 */
export function sierpinskiSpectrum(k: number): Spectrum {
  assertPower(k);
  const entries: SpectrumEntry[] = [];
  for (let a = 0; a <= k; a++) {
    entries.push({ value: GOLDEN_RATIO ** (k - a) * (-1 / GOLDEN_RATIO) ** a, multiplicity: binomial(k, a) });
  }
  return mergeSpectrum(entries);
}

/**
 * Binomial coefficient C(n, r), exact while the result is below 2⁵³.
 * @example binomial(30, 15) // 155117520
 */
export function binomial(n: number, r: number): number {
  if (r < 0 || r > n) return 0;
  let c = 1;
  for (let i = 1; i <= Math.min(r, n - r); i++) c = (c * (n - Math.min(r, n - r) + i)) / i;
  return Math.round(c);
}

/** Spectral radius max|λ| of a spectrum. */
export function spectrumRadius(spectrum: Spectrum): number {
  return spectrum.reduce((r, e) => Math.max(r, Math.abs(e.value)), 0);
}

/** Total multiplicity (the matrix size) of a spectrum. */
export function spectrumSize(spectrum: Spectrum): number {
  return spectrum.reduce((s, e) => s + e.multiplicity, 0);
}

/**
 * Expands a spectrum into its sorted list of eigenvalues (guarded: at most `limit` values).
 * @example expandSpectrum(sierpinskiSpectrum(3)) // 8 values
 */
export function expandSpectrum(spectrum: Spectrum, limit = 2 ** 24): Float64Array {
  const size = spectrumSize(spectrum);
  if (size > limit) throw new ArgumentError(`expandSpectrum: ${size} eigenvalues exceed the limit ${limit}; keep the multiplicity form`);
  const out = new Float64Array(size);
  let at = 0;
  for (const e of spectrum) for (let i = 0; i < e.multiplicity; i++) out[at++] = e.value;
  return out;
}
