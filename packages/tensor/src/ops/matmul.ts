import { arithmeticType } from "../dtype.js";
import { DTypeError, ShapeError, formatShape } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { apply } from "./dispatch.js";
import { cast, lowPrecisionInput } from "./elementwise.js";
import { expandDims, squeeze } from "./movement.js";
import { assertOptions, assertTensor } from "./validate.js";

export interface MatmulOptions {
  /** Use Aᵀ (of the last two axes) without copying A. */
  transposeA?: boolean;
  /** Use Bᵀ without copying B. */
  transposeB?: boolean;
}

/**
 * Matrix product over the last two axes with NumPy semantics: batch axes broadcast, a
 * 1-D operand is a vector (its axis is removed from the result). `transposeA` /
 * `transposeB` give AᵀB and ABᵀ at the cost of AB, with no copy.
 *
 * @example
 * matmul(a, b, { transposeA: true }); // aᵀ·b
 */
export function matmul(a0: Tensor, b0: Tensor, options: MatmulOptions = {}): Tensor {
  assertTensor(a0, "matmul", "a");
  assertTensor(b0, "matmul", "b");
  assertOptions(options, "matmul");
  const a = lowPrecisionInput(a0);
  const b = lowPrecisionInput(b0);
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  if (a.rank === 0 || b.rank === 0) throw new ShapeError(`matmul: operands must have rank ≥ 1, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  if (a.dtype === "bool" || b.dtype === "bool") throw new DTypeError(`matmul: bool operands are not supported`);
  const x = a.rank === 1 ? expandDims(a, transposeA ? 1 : 0) : a;
  const y = b.rank === 1 ? expandDims(b, transposeB ? 0 : 1) : b;
  const [m, k] = transposeA ? [x.shape[x.rank - 1], x.shape[x.rank - 2]] : [x.shape[x.rank - 2], x.shape[x.rank - 1]];
  const [k2, n] = transposeB ? [y.shape[y.rank - 1], y.shape[y.rank - 2]] : [y.shape[y.rank - 2], y.shape[y.rank - 1]];
  if (k !== k2) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transposeA ? "ᵀ" : ""} · ${formatShape(b.shape)}${transposeB ? "ᵀ" : ""} (${k} vs ${k2})`,
    );
  }
  const batch = broadcastShapes("matmul", x.shape.slice(0, -2), y.shape.slice(0, -2));
  const dtype = arithmeticType(a.dtype, b.dtype);
  const xs = x.dtype === dtype ? x : cast(x, dtype);
  const ys = y.dtype === dtype ? y : cast(y, dtype);
  let out = apply("matmul", [xs, ys], { transposeA, transposeB }, [...batch, m, n], dtype);
  if (b.rank === 1) out = squeeze(out, -1);
  if (a.rank === 1) out = squeeze(out, -2 + (b.rank === 1 ? 1 : 0));
  return out;
}

/** Outer product of two vectors: a[:, None] · b[None, :]. */
export function outer(a: Tensor, b: Tensor): Tensor {
  assertTensor(a, "outer", "a");
  assertTensor(b, "outer", "b");
  if (a.rank !== 1 || b.rank !== 1) throw new ShapeError(`outer: expects vectors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  return matmul(expandDims(a, 1), expandDims(b, 0));
}
