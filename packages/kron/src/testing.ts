/**
 * Property-testing kit: fast-check arbitraries for initiators, factor lists, symmetric matrices and
 * graphs, and the Kronecker identities as reusable checks. Exported as `@fcn/kron/testing`.
 */
import fc from "fast-check";
import { type Matrix, fromData } from "./linalg/matrix.js";

/** Default fast-check parameters of this package's own property tests (fixed seed, ≥ 100 runs). */
export const PROPERTY_PARAMETERS = { numRuns: 100, seed: 20240605 } as const;

/** Entries that oversample 0, ±1 and small integers, with occasional non-integers. */
export function entryArbitrary(magnitude = 4): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(0, 1, -1) },
    { weight: 2, arbitrary: fc.integer({ min: -magnitude, max: magnitude }) },
    { weight: 3, arbitrary: fc.double({ min: -magnitude, max: magnitude, noNaN: true, noDefaultInfinity: true }) },
  ).map((v) => (Object.is(v, -0) ? 0 : v));
}

/** A rows×cols matrix of {@link entryArbitrary} entries. */
export function matrixArbitrary(rows: number, cols: number, magnitude = 4): fc.Arbitrary<Matrix> {
  return fc.array(entryArbitrary(magnitude), { minLength: rows * cols, maxLength: rows * cols })
    .map((values) => fromData(rows, cols, Float64Array.from(values)));
}

/** A square matrix of random size in [minSize, maxSize]. */
export function squareMatrixArbitrary(minSize = 1, maxSize = 4, magnitude = 4): fc.Arbitrary<Matrix> {
  return fc.integer({ min: minSize, max: maxSize }).chain((n) => matrixArbitrary(n, n, magnitude));
}

/** A symmetric matrix (S + Sᵀ)/2 of random size in [minSize, maxSize]. */
export function symmetricMatrixArbitrary(minSize = 1, maxSize = 8, magnitude = 4): fc.Arbitrary<Matrix> {
  return squareMatrixArbitrary(minSize, maxSize, magnitude).map(symmetrize);
}

/**
 * A symmetric matrix with deliberately repeated eigenvalues: Q·diag(λ)·Qᵀ with λ drawn from a
 * set of at most three values and Q a random orthogonal matrix (Householder product).
 */
export function repeatedEigenvalueMatrixArbitrary(minSize = 2, maxSize = 8): fc.Arbitrary<Matrix> {
  return fc.integer({ min: minSize, max: maxSize }).chain((n) =>
    fc.tuple(
      fc.array(fc.constantFrom(-2, 0.5, 3), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
    ).map(([eigenvalues, raw]) => {
      const q = orthogonalFrom(n, raw);
      const out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let a = 0; a < n; a++) s += q[i * n + a] * eigenvalues[a] * q[j * n + a];
        out[i * n + j] = s;
      }
      return symmetrize(fromData(n, n, out));
    }));
}

/** A square initiator of size 2–3 with non-negative small-integer entries. */
export function initiatorArbitrary(symmetric = true): fc.Arbitrary<Matrix> {
  return fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.array(fc.constantFrom(0, 1, 1, 2), { minLength: n * n, maxLength: n * n })
      .map((v) => fromData(n, n, Float64Array.from(v)))
      .map((m) => (symmetric ? symmetrize(m, true) : m)));
}

/** A list of 1–3 square factors of sizes 1–3 (product size ≤ 27). */
export function factorListArbitrary(symmetric = false): fc.Arbitrary<Matrix[]> {
  const factor = symmetric ? symmetricMatrixArbitrary(1, 3) : squareMatrixArbitrary(1, 3);
  return fc.array(factor, { minLength: 1, maxLength: 3 });
}

/** An undirected simple graph as a symmetric 0/1 adjacency matrix on 1–maxNodes nodes. */
export function graphArbitrary(maxNodes = 10): fc.Arbitrary<Matrix> {
  return fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.array(fc.boolean(), { minLength: n * n, maxLength: n * n }).map((bits) => {
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (bits[i * n + j]) data[i * n + j] = data[j * n + i] = 1;
      return fromData(n, n, data);
    }));
}

function symmetrize(m: Matrix, upperCopy = false): Matrix {
  const n = m.rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    out[i * n + j] = upperCopy ? m.data[Math.min(i, j) * n + Math.max(i, j)] : (m.data[i * n + j] + m.data[j * n + i]) / 2;
  }
  return fromData(n, n, out);
}

function orthogonalFrom(n: number, raw: number[]): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < n; r++) {
    const v = raw.slice(r * n, r * n + n);
    const vv = v.reduce((s, x) => s + x * x, 0);
    if (vv < 1e-6) continue;
    // Q ← Q·(I − 2vvᵀ/vᵀv)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += q[i * n + j] * v[j];
      s = (2 * s) / vv;
      for (let j = 0; j < n; j++) q[i * n + j] -= s * v[j];
    }
  }
  return q;
}

export {
  mixedProductProperty, transposeProperty, eigenvalueProductProperty, operatorApplyProperty, laplacianProperty,
  inverseProperty, vecProperty, traceDeterminantProperty, interlacingProperty, tensorApplyProperty,
} from "./testingProperties.js";
