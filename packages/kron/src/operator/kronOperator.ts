/**
 * KronOperator: the lazy product A₁ ⊗ A₂ ⊗ … ⊗ A_k, never materialized. Its factor matrices are
 * its only state, so every quantity below is computed from the factors.
 */
import { ArgumentError, ShapeError, formatShape } from "@fcn/tensor";
import { eigh, type SymmetricEigen } from "../linalg/eigh.js";
import { inverse as denseInverse, logdet as denseLogdet, type LogDeterminant } from "../linalg/lu.js";
import { type Matrix, assertFinite, assertFiniteVector, frobeniusNorm, identity, matmul, trace, transpose } from "../linalg/matrix.js";
import { kron } from "../kron/product.js";
import { type Spectrum, kronSpectrum, mergeSpectrum } from "../kron/spectrum.js";
import { applyKronecker } from "./applyFactors.js";
import { asMatrix } from "../linalg/asMatrix.js";

/** Default bound on entries for {@link KronOperator.toDense} (2²⁴ entries = 128 MiB). */
export const TO_DENSE_LIMIT = 2 ** 24;

/** Eigendecomposition of a symmetric KronOperator, kept factored. */
export interface KronEigen {
  /** eigh of each factor. */
  readonly factors: readonly SymmetricEigen[];
  /** All eigenvalues as distinct values with multiplicities (eq. 5). */
  readonly spectrum: Spectrum;
  /** Q = Q₁ ⊗ … ⊗ Q_k: column j is the eigenvector of eigenvalue j in {@link KronEigen.eigenvalues} order. */
  readonly eigenvectors: KronOperator;
  /** Eigenvalues in Kronecker index order, λ_{a₁}(A₁)·…·λ_{a_k}(A_k) (guarded by a size limit). */
  eigenvalues(limit?: number): Float64Array;
}

/** A lazy Kronecker product of dense factors. */
export class KronOperator {
  /** The factor matrices, left to right (the operator's only state). */
  readonly factors: readonly Matrix[];
  /** Π rows(Aᵢ). */
  readonly rows: number;
  /** Π cols(Aᵢ). */
  readonly cols: number;

  /**
   * @param factors one or more finite matrices (rectangular allowed for apply/applyT/transpose).
   * @example new KronOperator([sierpinski(), sierpinski()]).apply(new Float64Array(4).fill(1)) // row sums
   */
  constructor(factors: readonly Matrix[]) {
    if (!Array.isArray(factors)) throw new ArgumentError(`KronOperator: factors must be an array of matrices, got ${String(factors)}`, "factors");
    factors = factors.map((f, i) => asMatrix(f, "KronOperator", `factors[${i}]`));
    if (factors.length === 0) throw new ArgumentError("KronOperator: expected at least one factor, got none");
    factors.forEach((f, i) => {
      if (f.rows === 0 || f.cols === 0) throw new ShapeError(`KronOperator: factor ${i} has empty shape ${formatShape([f.rows, f.cols])}`);
      assertFinite(f, `KronOperator factor ${i}`);
    });
    this.factors = Object.freeze([...factors]);
    this.rows = factors.reduce((s, f) => s * f.rows, 1);
    this.cols = factors.reduce((s, f) => s * f.cols, 1);
  }

  /**
   * y = (A₁ ⊗ … ⊗ A_k)·x for a vector of length `cols`, or a `cols`×p matrix; O(N·Σ nᵢ) per column.
   * @example op.apply(x)
   */
  apply(x: Float64Array): Float64Array;
  /** float32 variant: a Float32Array is computed and returned in float32 (factors rounded per product). */
  apply(x: Float32Array): Float32Array;
  apply(x: Matrix): Matrix;
  apply(x: Float64Array | Float32Array | Matrix): Float64Array | Float32Array | Matrix {
    return this.applyWith(x, false);
  }

  /**
   * y = (A₁ ⊗ … ⊗ A_k)ᵀ·x = (A₁ᵀ ⊗ … ⊗ A_kᵀ)·x.
   * @example op.applyT(y)
   */
  applyT(x: Float64Array): Float64Array;
  applyT(x: Float32Array): Float32Array;
  applyT(x: Matrix): Matrix;
  applyT(x: Float64Array | Float32Array | Matrix): Float64Array | Float32Array | Matrix {
    return this.applyWith(x, true);
  }

  private applyWith(x: Float64Array | Float32Array | Matrix, transposed: boolean): Float64Array | Float32Array | Matrix {
    const expected = transposed ? this.rows : this.cols;
    const isVector = x instanceof Float64Array || x instanceof Float32Array;
    const length = isVector ? x.length : x.rows;
    const name = transposed ? "applyT" : "apply";
    if (length !== expected) {
      throw new ShapeError(`KronOperator.${name}: input with ${length} rows does not fit operator ${formatShape([this.rows, this.cols])}`);
    }
    const data = isVector ? x : x.data;
    assertFiniteVector(data, `KronOperator.${name}`);
    const columns = isVector ? 1 : x.cols;
    const out = applyKronecker(this.factors, data, columns, transposed);
    if (isVector) return out;
    return { rows: transposed ? this.cols : this.rows, cols: columns, data: out as Float64Array };
  }

  /** (A₁ ⊗ … ⊗ A_k)ᵀ = A₁ᵀ ⊗ … ⊗ A_kᵀ. */
  transpose(): KronOperator {
    return new KronOperator(this.factors.map(transpose));
  }

  /**
   * Mixed product (A₁ ⊗ … )(B₁ ⊗ …) = A₁B₁ ⊗ … for operators with matching factor shapes.
   * @example a.compose(b).apply(x) // equals a.apply(b.apply(x))
   */
  compose(other: KronOperator): KronOperator {
    if (other.factors.length !== this.factors.length) {
      throw new ShapeError(`KronOperator.compose: ${this.factors.length} factors vs ${other.factors.length}`);
    }
    return new KronOperator(this.factors.map((f, i) => matmul(f, other.factors[i])));
  }

  /** tr(A₁ ⊗ … ⊗ A_k) = Π tr(Aᵢ). */
  trace(): number {
    this.assertSquare("trace");
    return this.factors.reduce((s, f) => s * trace(f), 1);
  }

  /** ‖A₁ ⊗ … ⊗ A_k‖_F = Π ‖Aᵢ‖_F. */
  frobeniusNorm(): number {
    return this.factors.reduce((s, f) => s * frobeniusNorm(f), 1);
  }

  /**
   * log|det| with sign: det(A₁ ⊗ … ⊗ A_k) = Π det(Aᵢ)^{N/nᵢ}, so log|det| = Σ (N/nᵢ)·log|det Aᵢ|.
   * @example new KronOperator([a, b]).logdet()
   */
  logdet(): LogDeterminant {
    this.assertSquare("logdet");
    let sign = 1;
    let logAbsDet = 0;
    for (const f of this.factors) {
      const power = this.rows / f.rows;
      const d = denseLogdet(f);
      if (d.sign === 0) return { sign: 0, logAbsDet: -Infinity };
      if (d.sign < 0 && power % 2 === 1) sign = -sign;
      logAbsDet += power * d.logAbsDet;
    }
    return { sign, logAbsDet };
  }

  /** det = sign·exp(log|det|); overflows to ±Infinity for large N — prefer {@link KronOperator.logdet}. */
  det(): number {
    const { sign, logAbsDet } = this.logdet();
    return sign === 0 ? 0 : sign * Math.exp(logAbsDet);
  }

  /**
   * (A₁ ⊗ … ⊗ A_k)⁻¹ = A₁⁻¹ ⊗ … ⊗ A_k⁻¹.
   * @throws ArgumentError when a factor is singular.
   */
  inverse(): KronOperator {
    this.assertSquare("inverse");
    return new KronOperator(this.factors.map(denseInverse));
  }

  /**
   * Solves (A₁ ⊗ … ⊗ A_k)·x = b with the factors' inverses, O(Σ nᵢ³ + N·Σ nᵢ).
   * @example op.solve(op.apply(x)) // ≈ x
   */
  solve(b: Float64Array): Float64Array;
  solve(b: Matrix): Matrix;
  solve(b: Float64Array | Matrix): Float64Array | Matrix {
    return this.inverse().apply(b as Matrix);
  }

  /**
   * Integer power (A₁ ⊗ …)^p = A₁^p ⊗ … (negative p through the inverse, p = 0 the identity).
   * @example op.pow(3).trace()
   */
  pow(p: number): KronOperator {
    this.assertSquare("pow");
    if (!Number.isInteger(p)) throw new ArgumentError(`KronOperator.pow: exponent must be an integer, got ${p}`);
    const base = p < 0 ? this.inverse().factors : this.factors;
    return new KronOperator(base.map((f) => matrixPower(f, Math.abs(p))));
  }

  /**
   * Eigendecomposition from the factors' (symmetric factors only): eigenvalues are the products
   * of factor eigenvalues, eigenvectors the Kronecker products of factor eigenvectors.
   * @example new KronOperator([sierpinski(), sierpinski()]).eig().spectrum
   */
  eig(): KronEigen {
    this.assertSquare("eig");
    const factorEigen = this.factors.map((f) => eigh(f));
    const factorSpectra = factorEigen.map((e) => mergeSpectrum(e.values));
    const size = this.rows;
    return {
      factors: factorEigen,
      spectrum: kronSpectrum(factorSpectra),
      eigenvectors: new KronOperator(factorEigen.map((e) => e.vectors)),
      eigenvalues(limit = TO_DENSE_LIMIT): Float64Array {
        if (size > limit) throw new ShapeError(`KronOperator.eig: ${size} eigenvalues exceed the limit ${limit}; use spectrum`);
        let values = new Float64Array([1]);
        for (const e of factorEigen) {
          const next = new Float64Array(values.length * e.values.length);
          for (let i = 0; i < values.length; i++) for (let a = 0; a < e.values.length; a++) next[i * e.values.length + a] = values[i] * e.values[a];
          values = next;
        }
        return values;
      },
    };
  }

  /**
   * Materializes the product (guarded: at most `limit` entries, else a ShapeError naming the size).
   * @example new KronOperator([sierpinski(), sierpinski()]).toDense()
   */
  toDense(limit = TO_DENSE_LIMIT): Matrix {
    const entries = this.rows * this.cols;
    if (entries > limit) {
      throw new ShapeError(`KronOperator.toDense: ${formatShape([this.rows, this.cols])} has ${entries} entries, over the limit ${limit}`);
    }
    return kron(...this.factors);
  }

  private assertSquare(operation: string): void {
    this.factors.forEach((f, i) => {
      if (f.rows !== f.cols) {
        throw new ShapeError(`KronOperator.${operation}: factor ${i} is not square, shape ${formatShape([f.rows, f.cols])}`);
      }
    });
  }
}

/** A^p by repeated squaring. */
function matrixPower(a: Matrix, p: number): Matrix {
  let result = identity(a.rows);
  let base = a;
  let e = p;
  while (e > 0) {
    if (e & 1) result = matmul(result, base);
    e >>= 1;
    if (e > 0) base = matmul(base, base);
  }
  return result;
}
