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
import { factorListArbitrary, graphArbitrary, matrixArbitrary } from "./testing.js";

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
