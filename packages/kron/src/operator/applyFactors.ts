/**
 * The factor-wise Kronecker matvec: (A₁ ⊗ … ⊗ A_k)·x applied one axis at a time, using
 * (A ⊗ B)·vec(X) = vec(B·X·Aᵀ) (seed 000 §3.3) generalized to k factors. Cost O(N·Σ nᵢ).
 */
import type { Matrix } from "../linalg/matrix.js";

/**
 * Applies the Kronecker product of `factors` (each optionally transposed) to `x`, whose length is
 * Π cols(Aᵢ)·columns; `columns` > 1 treats x as a row-major (Π cols)×columns matrix.
 */
export function applyKronecker<T extends Float64Array | Float32Array>(factors: readonly Matrix[], x: T, columns: number, transposed: boolean): T {
  // Work arrays have x's type: Float32Array input is computed and returned in float32.
  const make = (length: number): T => (x instanceof Float32Array ? new Float32Array(length) : new Float64Array(length)) as T;
  // Current tensor shape: (outer dims already mapped) × (dims still to map) × columns.
  const inDims = factors.map((f) => (transposed ? f.rows : f.cols));
  const outDims = factors.map((f) => (transposed ? f.cols : f.rows));
  let current: T = x;
  // Two work buffers alternate when consecutive outputs have the same length (square factors),
  // so a k-factor product allocates two arrays, not k.
  let spare: T | null = null;
  for (let axis = 0; axis < factors.length; axis++) {
    let left = 1;
    for (let j = 0; j < axis; j++) left *= outDims[j];
    let right = columns;
    for (let j = axis + 1; j < factors.length; j++) right *= inDims[j];
    const length = left * outDims[axis] * right;
    const out: T = spare !== null && spare.length === length ? spare : make(length);
    applyAxis(factors[axis], current, out, left, inDims[axis], outDims[axis], right, transposed);
    spare = current === x ? null : current;
    current = out;
  }
  return current;
}

/** y[l, a, r] = Σ_b M[a, b]·x[l, b, r] with M = A or Aᵀ: one mode-product of the tensor (y is overwritten). */
function applyAxis(
  factor: Matrix, x: Float64Array | Float32Array, y: Float64Array | Float32Array, left: number, inSize: number, outSize: number, right: number, transposed: boolean,
): void {
  const a = factor.data;
  const stride = factor.cols;
  if (inSize === 2 && outSize === 2 && right === 1) {
    // 2×2 factor on the innermost axis: adjacent pairs.
    const m00 = a[0];
    const m01 = transposed ? a[2] : a[1];
    const m10 = transposed ? a[1] : a[2];
    const m11 = a[3];
    const end = 2 * left;
    for (let o = 0; o < end; o += 2) {
      const x0 = x[o];
      const x1 = x[o + 1];
      y[o] = m00 * x0 + m01 * x1;
      y[o + 1] = m10 * x0 + m11 * x1;
    }
    return;
  }
  if (right === 1) {
    // Innermost axis: dot products over contiguous x[l, :].
    for (let l = 0; l < left; l++) {
      const xo = l * inSize;
      const yo = l * outSize;
      for (let i = 0; i < outSize; i++) {
        let s = 0;
        if (transposed) for (let b = 0; b < inSize; b++) s += a[b * stride + i] * x[xo + b];
        else for (let b = 0; b < inSize; b++) s += a[i * stride + b] * x[xo + b];
        y[yo + i] = s;
      }
    }
    return;
  }
  if (inSize === 2 && outSize === 2) {
    // 2×2 factor (the Sierpinski case): one butterfly per (l, r), each x entry read once.
    const m00 = a[0];
    const m01 = transposed ? a[2] : a[1];
    const m10 = transposed ? a[1] : a[2];
    const m11 = a[3];
    for (let l = 0; l < left; l++) {
      const o0 = l * 2 * right;
      const o1 = o0 + right;
      for (let r = 0; r < right; r++) {
        const x0 = x[o0 + r];
        const x1 = x[o1 + r];
        y[o0 + r] = m00 * x0 + m01 * x1;
        y[o1 + r] = m10 * x0 + m11 * x1;
      }
    }
    return;
  }
  y.fill(0);
  for (let l = 0; l < left; l++) {
    const xo = l * inSize * right;
    const yo = l * outSize * right;
    for (let i = 0; i < outSize; i++) {
      const yi = yo + i * right;
      for (let b = 0; b < inSize; b++) {
        const coefficient = transposed ? a[b * stride + i] : a[i * stride + b];
        if (coefficient === 0) continue;
        const xb = xo + b * right;
        for (let r = 0; r < right; r++) y[yi + r] += coefficient * x[xb + r];
      }
    }
  }
}
