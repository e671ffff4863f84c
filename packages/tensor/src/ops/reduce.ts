import { arithmeticType, floatType } from "../dtype.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import { normalizeAxes, normalizeAxis, reducedShape, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { apply } from "./dispatch.js";
import { abs, add, cast, div, equal, exp, fullPrecisionInput, log, mul, sqrt, sub, where } from "./elementwise.js";
import type { ReducePrimitive } from "./primitives.js";
import { assertTensor } from "./validate.js";

type Axis = number | readonly number[];

function reduce(primitive: ReducePrimitive, x0: Tensor, axis: Axis | undefined, keepDims: boolean): Tensor {
  assertTensor(x0, primitive, "x");
  const x = primitive === "sum" || primitive === "prod" ? fullPrecisionInput(x0) : x0;
  const axes = normalizeAxes(axis, x.rank, primitive);
  if ((primitive === "max" || primitive === "min") && axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${primitive}: cannot reduce over an empty axis of shape ${formatShape(x.shape)}`);
  }
  const dtype = primitive === "sum" || primitive === "prod" ? arithmeticType(x.dtype, x.dtype) : x.dtype;
  const input = x.dtype === dtype ? x : cast(x, dtype);
  return apply(primitive, [input], { axes, keepDims }, reducedShape(x.shape, axes, keepDims), dtype);
}

/** Sum over `axis` (all axes when omitted). */
export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce("sum", x, axis, keepDims);
/** Maximum over `axis`; ties share the gradient equally. */
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce("max", x, axis, keepDims);
/** Minimum over `axis`; ties share the gradient equally. */
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce("min", x, axis, keepDims);
/** Product over `axis`; the gradient is exact also where entries are zero. */
export const prod = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce("prod", x, axis, keepDims);

/** Arithmetic mean over `axis`. */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  assertTensor(x, "mean", "x");
  const axes = normalizeAxes(axis, x.rank, "mean");
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const xf = x.dtype === floatType(x.dtype) ? x : cast(x, floatType(x.dtype));
  return div(sum(xf, axes, keepDims), count);
}

/**
 * Variance Σ(x − mean)² / (n − correction); `correction = 1` gives the unbiased estimate
 * (PyTorch's default for `var`; NumPy's default is 0, as here).
 */
export function variance(x: Tensor, axis?: Axis, keepDims = false, correction = 0): Tensor {
  assertTensor(x, "variance", "x");
  const axes = normalizeAxes(axis, x.rank, "variance");
  const count = sizeOf(axes.map((a) => x.shape[a]));
  if (count - correction <= 0) {
    throw new ArgumentError(`variance: ${count} elements with correction ${correction} leaves no degrees of freedom`);
  }
  const centered = sub(x, mean(x, axes, true));
  return div(sum(mul(centered, centered), axes, keepDims), count - correction);
}

/** Standard deviation: √variance. */
export function std(x: Tensor, axis?: Axis, keepDims = false, correction = 0): Tensor {
  assertTensor(x, "std", "x");
  normalizeAxes(axis, x.rank, "std");
  assertTensor(x, "std", "x");
  return sqrt(variance(x, axis, keepDims, correction));
}

/** log Σ eˣ, stable: m + log Σ e^(x−m) with m the (detached) maximum. */
export function logsumexp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  assertTensor(x, "logsumexp", "x");
  const axes = normalizeAxes(axis, x.rank, "logsumexp");
  // Shift by 0 where the max is ±∞ (or over an empty axis), so all −∞ gives −∞, not NaN.
  const top = (axes.some((a) => x.shape[a] === 0) ? sum(x, axes, true) : max(x, axes, true)).detach();
  const m = where(equal(abs(top), Infinity), 0, top);
  const s = log(sum(exp(sub(x, m)), axes, true));
  const out = add(s, m);
  return keepDims ? out : out.reshape(reducedShape(x.shape, axes, false));
}

function argReduce(primitive: "argmax" | "argmin", x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  assertTensor(x, primitive, "x");
  if (x.size === 0) throw new ShapeError(`${primitive}: empty tensor of shape ${formatShape(x.shape)}`);
  if (axis === undefined) {
    const flat = x.reshape([x.size]);
    return apply(primitive, [flat], { axis: 0, keepDims: false }, [], "int32");
  }
  const a = normalizeAxis(axis, x.rank, primitive);
  return apply(primitive, [x], { axis: a, keepDims }, reducedShape(x.shape, [a], keepDims), "int32");
}

/** Index of the first maximum along `axis` (of the flattened tensor when omitted). */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce("argmax", x, axis, keepDims);
/** Index of the first minimum along `axis`. */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce("argmin", x, axis, keepDims);
