import { ShapeError, formatShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./elementwise.js";
import { reshape } from "./movement.js";
import { assertTensor } from "./validate.js";

/**
 * Kronecker product of two matrices: (A ⊗ B)[i·p + k, j·q + l] = A[i, j] · B[k, l].
 * Composed from a broadcast multiply, so its gradient comes from `mul`.
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, "kron", "a");
  assertTensor(b, "kron", "b");
  if (a.rank !== 2 || b.rank !== 2) throw new ShapeError(`kron: expects matrices, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const [m, n] = a.shape;
  const [p, q] = b.shape;
  const product = mul(reshape(a, [m, 1, n, 1]), reshape(b, [1, p, 1, q]));
  return reshape(product, [m * p, n * q]);
}
