/** The dense Kronecker product (seed 000, eq. 1) and Kronecker power (eq. 2). */
import { ArgumentError, ShapeError } from "@fcn/tensor";
import { type Matrix, assertFinite, identity, zeros } from "../linalg/matrix.js";
import { validateInitiator } from "./initiator.js";
import { asMatrix } from "../linalg/asMatrix.js";

/** Largest dense matrix (entries) the dense constructors will allocate: 2²⁶ (512 MiB of f64). */
export const DENSE_ENTRY_LIMIT = 2 ** 26;

/**
 * Kronecker product P ⊗ Q ⊗ … of any number of (possibly rectangular) factors, left to right:
 * (P ⊗ Q)[(i·q_r + k), (j·q_c + l)] = p_ij·q_kl.
 * @example kron(fromRows([[1, 2]]), identity(2)) // [[1, 0, 2, 0], [0, 1, 0, 2]]
 */
export function kron(...factors: Matrix[]): Matrix {
  if (factors.length === 0) throw new ArgumentError("kron: expected at least one factor, got none");
  factors = factors.map((f, i) => asMatrix(f, "kron", `factors[${i}]`));
  factors.forEach((f, i) => assertFinite(f, `kron factor ${i}`));
  const rows = factors.reduce((s, f) => s * f.rows, 1);
  const cols = factors.reduce((s, f) => s * f.cols, 1);
  if (rows * cols > DENSE_ENTRY_LIMIT) {
    throw new ShapeError(`kron: the dense product would have ${rows}×${cols} entries, over the limit ${DENSE_ENTRY_LIMIT}; use KronOperator or kronCsr`);
  }
  return factors.slice(1).reduce(kronPair, factors[0]);
}

function kronPair(p: Matrix, q: Matrix): Matrix {
  const out = zeros(p.rows * q.rows, p.cols * q.cols);
  const width = out.cols;
  for (let i = 0; i < p.rows; i++) {
    for (let j = 0; j < p.cols; j++) {
      const pij = p.data[i * p.cols + j];
      if (pij === 0) continue;
      for (let k = 0; k < q.rows; k++) {
        const base = (i * q.rows + k) * width + j * q.cols;
        for (let l = 0; l < q.cols; l++) out.data[base + l] = pij * q.data[k * q.cols + l];
      }
    }
  }
  return out;
}

/**
 * The k-th Kronecker power K₀^{⊗k} of a square initiator (k = 0 gives the 1×1 identity).
 * @example kronPower(sierpinski(), 2) // [[1,1,1,1],[1,0,1,0],[1,1,0,0],[1,0,0,0]]
 */
export function kronPower(initiator: Matrix, k: number): Matrix {
  initiator = asMatrix(initiator, "kronPower", "initiator");
  validateInitiator(initiator);
  assertPower(k);
  if (k === 0) return identity(1);
  return kron(...Array.from({ length: k }, () => initiator));
}

/** Throws an ArgumentError unless k is a non-negative integer. */
export function assertPower(k: number, name = "k"): void {
  if (!Number.isInteger(k) || k < 0) throw new ArgumentError(`${name} must be a non-negative integer, got ${k}`);
}
