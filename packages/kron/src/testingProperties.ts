/**
 * The Kronecker identities as reusable fast-check properties (part of `@fcn/kron/testing`).
 * Each returns a property to pass to `fc.assert(property, PROPERTY_PARAMETERS)`.
 */
import fc from "fast-check";
import { eigvalsh } from "./linalg/eigh.js";
import { type Matrix, matmul, maxAbsDifference, matvec, transpose } from "./linalg/matrix.js";
import { kron } from "./kron/product.js";
import { expandSpectrum, kronSpectrum, symmetricSpectrum } from "./kron/spectrum.js";
import { toCsr } from "./kron/csr.js";
import { connectedComponents } from "./metrics/structure.js";
import { laplacianSpectrum } from "./metrics/spectra.js";
import { KronOperator } from "./operator/kronOperator.js";
import { factorListArbitrary, graphArbitrary, initiatorArbitrary, matrixArbitrary } from "./testing.js";
import { det, inverse } from "./linalg/lu.js";
import { add, identity, trace } from "./linalg/matrix.js";
import { kronPower } from "./kron/product.js";
import { selfLoopRemovedSpectrum } from "./kron/selfLoop.js";
import { kronApply } from "./operator/kronApply.js";
import { tensor } from "@fcn/tensor";

function close(a: Matrix, b: Matrix, tolerance: number): boolean {
  let scale = 1;
  for (const v of b.data) scale = Math.max(scale, Math.abs(v));
  return maxAbsDifference(a, b) <= tolerance * scale;
}

const squarePairs = fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(matrixArbitrary(n, n), matrixArbitrary(n, n)));

/** (A⊗B)(C⊗D) = AC ⊗ BD. */
export function mixedProductProperty(tolerance = 1e-10) {
  return fc.property(squarePairs, squarePairs, ([a, c], [b, d]) => close(matmul(kron(a, b), kron(c, d)), kron(matmul(a, c), matmul(b, d)), tolerance));
}

/** (A⊗B)ᵀ = Aᵀ ⊗ Bᵀ. */
export function transposeProperty() {
  return fc.property(squarePairs, ([a, b]) => close(transpose(kron(a, b)), kron(transpose(a), transpose(b)), 0));
}

/** eig(A₁ ⊗ … ⊗ A_k) = all products of factor eigenvalues (symmetric factors). */
export function eigenvalueProductProperty(tolerance = 1e-8) {
  return fc.property(factorListArbitrary(true), (factors) => {
    const expected = eigvalsh(kron(...factors));
    const actual = expandSpectrum(kronSpectrum(factors.map(symmetricSpectrum)));
    const scale = expected.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
    return actual.every((v, i) => Math.abs(v - expected[i]) <= tolerance * scale);
  });
}

/** KronOperator.apply equals the dense Kronecker product times x. */
export function operatorApplyProperty(tolerance = 1e-10) {
  return fc.property(factorListArbitrary(), (factors) => {
    const op = new KronOperator(factors);
    const x = Float64Array.from({ length: op.cols }, (_, i) => Math.cos(i));
    const y = op.apply(x);
    const expected = matvec(kron(...factors), x);
    const scale = expected.reduce((s, v) => Math.max(s, Math.abs(v)), 1);
    return y.every((v, i) => Math.abs(v - expected[i]) <= tolerance * scale);
  });
}

/** Normalized-Laplacian eigenvalues lie in [0, 2] and 0 has multiplicity = number of components. */
export function laplacianProperty(tolerance = 1e-8) {
  return fc.property(graphArbitrary(10), (a) => {
    const values = laplacianSpectrum(a);
    const zeros = values.filter((v) => Math.abs(v) < tolerance).length;
    return values.every((v) => v >= -tolerance && v <= 2 + tolerance) && zeros === connectedComponents(toCsr(a)).count;
  });
}

/** Square pairs shifted by (4n + 1)·I: strictly diagonally dominant, hence invertible. */
const invertiblePairs = squarePairs.map(([a, b]) => [a, b].map((m) => add(m, identity(m.rows), 1, 4 * m.rows + 1)) as [Matrix, Matrix]);

/** (A⊗B)⁻¹ = A⁻¹ ⊗ B⁻¹ (invertible A, B). */
export function inverseProperty(tolerance = 1e-9) {
  return fc.property(invertiblePairs, invertiblePairs, ([a], [b]) => close(inverse(kron(a, b)), kron(inverse(a), inverse(b)), tolerance));
}

/** Column-major vec: stacks the columns of m. */
function vec(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.cols);
  for (let j = 0; j < m.cols; j++) for (let i = 0; i < m.rows; i++) out[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/**
 * vec(A·X·B) = (Bᵀ ⊗ A)·vec(X) with vec stacking columns (A p×q, X q×r, B r×s); for row-major
 * vec (this package's node order) the same identity reads (A ⊗ Bᵀ)·vec_r(X).
 */
export function vecProperty(tolerance = 1e-10) {
  const shapes = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
  const operands = shapes.chain(([p, q, r, t]) => fc.tuple(matrixArbitrary(p, q), matrixArbitrary(q, r), matrixArbitrary(r, t)));
  return fc.property(operands, ([a, x, b]) => {
    const axb = matmul(matmul(a, x), b);
    const left = vec(axb);
    const right = matvec(kron(transpose(b), a), vec(x));
    const rowMajor = matvec(kron(a, transpose(b)), x.data);
    const scale = left.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    return left.every((v, i) => Math.abs(v - right[i]) <= tolerance * scale)
      && axb.data.every((v, i) => Math.abs(v - rowMajor[i]) <= tolerance * scale);
  });
}

/** tr(A⊗B) = tr(A)·tr(B) and det(A⊗B) = det(A)^m·det(B)^n (A n×n, B m×m). */
export function traceDeterminantProperty(tolerance = 1e-8) {
  return fc.property(squarePairs, squarePairs, ([a], [b]) => {
    const product = kron(a, b);
    const t = trace(product);
    const expectedTrace = trace(a) * trace(b);
    const d = det(product);
    const expectedDet = det(a) ** b.rows * det(b) ** a.rows;
    const traceOk = Math.abs(t - expectedTrace) <= tolerance * Math.max(1, Math.abs(expectedTrace));
    // Relative to the scale of the entries' products: det is a sum of N! terms.
    let entry = 1;
    for (const v of product.data) entry = Math.max(entry, Math.abs(v));
    return traceOk && Math.abs(d - expectedDet) <= tolerance * Math.max(1, entry ** product.rows);
  });
}

/**
 * Interlacing after a rank-1 update: removing node v's self-loop from K₀^{⊗k} (A − a_vv·e_v e_vᵀ)
 * gives eigenvalues μ with λᵢ₋₁ ≤ μᵢ ≤ λᵢ when a_vv > 0 (reversed when a_vv < 0), and the factored
 * `selfLoopRemovedSpectrum` equals the dense eigenvalues.
 */
export function interlacingProperty(tolerance = 1e-8) {
  const cases = initiatorArbitrary(true).chain((k0) =>
    fc.tuple(fc.constant(k0), fc.integer({ min: 1, max: 3 })).chain(([m, k]) =>
      fc.tuple(fc.constant(m), fc.constant(k), fc.integer({ min: 0, max: m.rows ** k - 1 }))));
  return fc.property(cases, ([k0, k, node]) => {
    const a = kronPower(k0, k);
    const n = a.rows;
    const loop = a.data[node * n + node];
    const before = eigvalsh(a);
    const updated = { rows: n, cols: n, data: Float64Array.from(a.data) };
    updated.data[node * n + node] = 0;
    const after = eigvalsh(updated);
    const scale = before.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    const eps = tolerance * scale;
    for (let i = 0; i < n; i++) {
      // Removing a positive loop (−loop·e eᵀ with loop > 0) moves eigenvalues down by at most one slot.
      const upper = loop >= 0 ? before[i] : i + 1 < n ? before[i + 1] : Infinity;
      const lower = loop >= 0 ? (i > 0 ? before[i - 1] : -Infinity) : before[i];
      if (after[i] > upper + eps || after[i] < lower - eps) return false;
    }
    const factored = expandSpectrum(selfLoopRemovedSpectrum(k0, k, node));
    return factored.every((v, i) => Math.abs(v - after[i]) <= eps);
  });
}

/** `kronApply` on float64 tensors equals the dense Kronecker product, for vectors and the transpose. */
export function tensorApplyProperty(tolerance = 1e-10) {
  return fc.property(factorListArbitrary(), fc.boolean(), (factors, transposed) => {
    const dense = kron(...factors);
    const op = transposed ? transpose(dense) : dense;
    const x = Float64Array.from({ length: op.cols }, (_, i) => Math.cos(i));
    const ts = factors.map((f) => tensor(f.data, { shape: [f.rows, f.cols], dtype: "float64" }));
    const xt = tensor(x, { dtype: "float64" });
    const yt = kronApply(ts, xt, { transpose: transposed });
    const y = yt.dataSync();
    [...ts, xt, yt].forEach((t) => t.dispose());
    const expected = matvec(op, x);
    const scale = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    return y.every((v, i) => Math.abs(v - expected[i]) <= tolerance * scale);
  });
}
