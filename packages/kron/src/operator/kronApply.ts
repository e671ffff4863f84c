/**
 * Differentiable Kronecker matvec on `@fcn/tensor` tensors: (A₁ ⊗ … ⊗ A_k)·x with gradients for
 * every factor and for x, never materializing the product.
 *
 * For row-major vec, (A ⊗ B)·vec(X) = vec(A·X·Bᵀ) (X is n_A × n_B); applied to k factors one
 * at a time in a cyclic order, each step is a single matrix product: with the state S stored as
 * [nᵢ, rest], Sᵀ·Aᵢᵀ has shape [rest, mᵢ], which read row-major is again a state whose leading
 * axis is the next factor's. After k steps the axes are back in order (m₁, …, m_k). Every step is
 * `matmul(S, Aᵢ, {transposeA, transposeB})` plus a free reshape, so the gradients are those of
 * matmul: O(N·Σ nᵢ) forward and backward.
 */
import { ArgumentError, ShapeError, type Tensor, formatShape, matmul, reshape, transpose } from "@fcn/tensor";

/** Options of {@link kronApply}. */
export interface KronApplyOptions {
  /** Apply (A₁ ⊗ … ⊗ A_k)ᵀ = A₁ᵀ ⊗ … ⊗ A_kᵀ instead (default false). */
  transpose?: boolean;
}

/**
 * y = (A₁ ⊗ … ⊗ A_k)·x for factor tensors Aᵢ of shape [mᵢ, nᵢ] and x of shape [Π nᵢ] (a vector)
 * or [Π nᵢ, p] (p columns). Returns shape [Π mᵢ] or [Π mᵢ, p]; dtypes promote as in `matmul`.
 * Differentiable with respect to every factor and x (tensors that `requireGrad()`).
 * @throws ShapeError when a factor is not a matrix or x does not fit the product.
 * @throws ArgumentError when no factor is given.
 * @example
 * const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = kronApply([a, a], ones([4])); // (A ⊗ A)·1
 * y.sum().backward(); // a.grad holds d Σy / dA
 */
export function kronApply(factors: readonly Tensor[], x: Tensor, options: KronApplyOptions = {}): Tensor {
  if (!Array.isArray(factors)) throw new ArgumentError(`kronApply: factors must be an array of 2-D Tensors, got ${String(factors)}`, "factors");
  if (factors.length === 0) throw new ArgumentError("kronApply: expected at least one factor, got none");
  factors.forEach((f, i) => {
    if ((f as { isTensor?: unknown } | null)?.isTensor !== true) throw new ArgumentError(
      `kronApply: factors[${i}] must be a Tensor (tensor(rows) makes one), got ${Array.isArray(f) ? "an array" : String(f)}`,
      `factors[${i}]`,
    );
  });
  if ((x as { isTensor?: unknown } | null)?.isTensor !== true) throw new ArgumentError(`kronApply: x must be a Tensor, got ${Array.isArray(x) ? "an array" : String(x)}`, "x");
  const transposed = options.transpose ?? false;
  factors.forEach((f, i) => {
    if (f.rank !== 2) throw new ShapeError(`kronApply: factor ${i} must be a matrix, got shape ${formatShape(f.shape)}`);
  });
  const inDims = factors.map((f) => f.shape[transposed ? 0 : 1]);
  const outDims = factors.map((f) => f.shape[transposed ? 1 : 0]);
  const inSize = inDims.reduce((s, d) => s * d, 1);
  if (x.rank !== 1 && x.rank !== 2) {
    throw new ShapeError(`kronApply: x must be a vector or a matrix, got shape ${formatShape(x.shape)}`);
  }
  if (x.shape[0] !== inSize) {
    const product = factors.map((f) => formatShape(f.shape)).join(" ⊗ ");
    throw new ShapeError(`kronApply: x of shape ${formatShape(x.shape)} does not fit ${product}${transposed ? " transposed" : ""} (needs ${inSize} rows)`);
  }
  const columns = x.rank === 2 ? x.shape[1] : 1;
  // With columns, the column axis is one more factor (the identity) at the end of the cycle.
  let state = x;
  let rest = inSize * columns;
  for (let i = 0; i < factors.length; i++) {
    rest /= inDims[i];
    const s = reshape(state, [inDims[i], rest]);
    // Sᵀ·Aᵢᵀ ([rest, mᵢ]); for the transposed operator Sᵀ·Aᵢ.
    state = matmul(s, factors[i], { transposeA: true, transposeB: !transposed });
    rest *= outDims[i];
  }
  const outSize = outDims.reduce((s, d) => s * d, 1);
  if (x.rank === 1) return reshape(state, [outSize]);
  // The state is [p, Π mᵢ] row-major: move the column axis back to the end.
  return transpose(reshape(state, [columns, outSize]));
}
