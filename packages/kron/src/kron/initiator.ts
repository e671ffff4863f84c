/** Initiators: the small matrices whose Kronecker powers are the graphs of this package. */
import { ShapeError, formatShape } from "@fcn/tensor";
import { type Matrix, assertFinite, fromRows } from "../linalg/matrix.js";
import { asMatrix } from "../linalg/asMatrix.js";

/**
 * The Sierpinski initiator K₀ = [[1, 1], [1, 0]] (seed 000, eq. 3). Its Kronecker power has
 * entry (i, j) = 1 exactly when the binary digits of i and j share no 1 (i AND j = 0).
 * @example kronPower(sierpinski(), 3).rows // 8
 */
export function sierpinski(): Matrix {
  return fromRows([[1, 1], [1, 0]]);
}

/**
 * Validates a user initiator: non-empty, square and finite; throws ShapeError/ArgumentError naming it.
 * @example validateInitiator(fromRows([[0, 1], [1, 0]]))
 */
export function validateInitiator(initiator: Matrix, name = "initiator"): Matrix {
  initiator = asMatrix(initiator, "validateInitiator", "initiator");
  if (initiator.rows === 0 || initiator.rows !== initiator.cols) {
    throw new ShapeError(`${name}: expected a non-empty square matrix, got shape ${formatShape([initiator.rows, initiator.cols])}`);
  }
  assertFinite(initiator, name);
  return initiator;
}
