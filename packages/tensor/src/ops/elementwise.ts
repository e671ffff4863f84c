import { type DType, arithmeticType, assertDType, floatType } from "../dtype.js";
import { ArgumentError } from "../errors.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { apply, asTensor } from "./dispatch.js";
import { autocastDType } from "../autocast.js";
import { customVjp } from "../autograd/custom.js";
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from "./primitives.js";
import { assertNumber, assertOperand, assertTensor } from "./validate.js";

type Operand = Tensor | number;

/** Float-valued unary ops promote integer input to float32; the others keep the dtype. */
const KEEPS_DTYPE = new Set<UnaryPrimitive>(["neg", "abs", "sign", "relu"]);

/**
 * Applies a primitive whose inputs may include temporaries made here (scalars from number
 * operands, casts). They are disposed at once, so `x.mul(2)` leaves no tensor behind even
 * outside `tidy`; when the tape recorded them, the graph keeps their storage until backward
 * or the graph's output frees it.
 */
function applyWithTemporaries<P extends "where" | UnaryPrimitive | BinaryPrimitive | ComparePrimitive>(
  primitive: P,
  inputs: Tensor[],
  userOperands: readonly Operand[],
  shape: readonly number[],
  dtype: DType,
): Tensor {
  const out = apply(primitive, inputs, {} as never, shape, dtype);
  for (const t of inputs) if (!userOperands.includes(t)) t.dispose();
  return out;
}

/** Ops that autocast runs in float32 (they overflow or lose too much in half precision). */
const FULL_PRECISION = new Set<UnaryPrimitive | BinaryPrimitive>(["exp", "log", "pow"]);

/** Under autocast, float32 inputs of a half-precision op (matmul, conv2d) become float16. */
export function lowPrecisionInput(x: Tensor): Tensor {
  const dtype = autocastDType();
  return dtype !== null && x.dtype === "float32" ? cast(x, dtype) : x;
}

/** Under autocast, float16 inputs of a range-sensitive op become float32. */
export function fullPrecisionInput(x: Tensor): Tensor {
  return autocastDType() !== null && x.dtype === "float16" ? cast(x, "float32") : x;
}

function unary(primitive: UnaryPrimitive, x0: Tensor): Tensor {
  assertTensor(x0, primitive, "x");
  const x = FULL_PRECISION.has(primitive) ? fullPrecisionInput(x0) : x0;
  let dtype = KEEPS_DTYPE.has(primitive) ? x.dtype : floatType(x.dtype);
  if (dtype === "bool") dtype = "int32";
  const input = x.dtype === dtype ? x : cast(x, dtype);
  return applyWithTemporaries(primitive, [input], [x0], x.shape, dtype);
}

function binary(primitive: BinaryPrimitive, a: Operand, b: Operand): Tensor {
  let [x, y] = operands(primitive, a, b);
  if (FULL_PRECISION.has(primitive)) [x, y] = [fullPrecisionInput(x), fullPrecisionInput(y)];
  let dtype = arithmeticType(x.dtype, y.dtype);
  if (primitive === "div" || primitive === "pow") dtype = floatType(dtype);
  const shape = broadcastShapes(primitive, x.shape, y.shape);
  return applyWithTemporaries(primitive, [castTo(x, dtype), castTo(y, dtype)], [a, b], shape, dtype);
}

function compare(primitive: ComparePrimitive, a: Operand, b: Operand): Tensor {
  const [x, y] = operands(primitive, a, b);
  const common = arithmeticType(x.dtype, y.dtype);
  const shape = broadcastShapes(primitive, x.shape, y.shape);
  return applyWithTemporaries(primitive, [castTo(x, common), castTo(y, common)], [a, b], shape, "bool");
}

function operands(op: string, a: Operand, b: Operand): [Tensor, Tensor] {
  assertOperand(a, op, "a");
  assertOperand(b, op, "b");
  if (typeof a === "number" && typeof b === "number") throw new ArgumentError(`${op}: at least one operand must be a tensor`);
  const x = typeof a === "number" ? asTensor(a, b as Tensor) : a;
  const y = typeof b === "number" ? asTensor(b, x) : b;
  return [x, y];
}

function castTo(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : cast(x, dtype);
}

/** a + b with NumPy broadcasting. */
export const add = (a: Operand, b: Operand): Tensor => binary("add", a, b);
/** a − b with broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => binary("sub", a, b);
/** a · b elementwise with broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => binary("mul", a, b);
/** a / b (true division: integer inputs give float32). */
export const div = (a: Operand, b: Operand): Tensor => binary("div", a, b);
/** aᵇ; the gradient with respect to b is defined where a > 0. */
export const pow = (a: Operand, b: Operand): Tensor => binary("pow", a, b);
/** Elementwise max(a, b); ties split the gradient equally. */
export const maximum = (a: Operand, b: Operand): Tensor => binary("maximum", a, b);
/** Elementwise min(a, b); ties split the gradient equally. */
export const minimum = (a: Operand, b: Operand): Tensor => binary("minimum", a, b);

export const neg = (x: Tensor): Tensor => unary("neg", x);
export const exp = (x: Tensor): Tensor => unary("exp", x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary("log", x);
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x);
export const abs = (x: Tensor): Tensor => unary("abs", x);
/** −1, 0 or 1; no gradient. */
export const sign = (x: Tensor): Tensor => unary("sign", x);
export const sin = (x: Tensor): Tensor => unary("sin", x);
export const cos = (x: Tensor): Tensor => unary("cos", x);
export const tanh = (x: Tensor): Tensor => unary("tanh", x);
/** 1 / (1 + e⁻ˣ), computed without overflow. */
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x);
/** max(x, 0); gradient 0 at 0. */
export const relu = (x: Tensor): Tensor => unary("relu", x);
/** Gauss error function. */
export const erf = (x: Tensor): Tensor => unary("erf", x);

/** x². */
export const square = (x: Tensor): Tensor => (assertTensor(x, "square", "x"), mul(x, x));
/** 1 / x. */
export const reciprocal = (x: Tensor): Tensor => (assertTensor(x, "reciprocal", "x"), div(1, x));
/** log(1 + x). */
export const log1p = (x: Tensor): Tensor => (assertTensor(x, "log1p", "x"), log(add(x, 1)));

/**
 * x for x > 0, slope·x otherwise. Gradient as PyTorch's: 1 for x > 0, slope for x ≤ 0 (slope
 * at the kink; the `maximum` below alone would split the tie and give (1 + slope)/2 there).
 */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  assertTensor(x, "leakyRelu", "x");
  assertNumber(slope, "leakyRelu", "slope");
  // For 0 ≤ slope ≤ 1, max(x, slope·x) is the same function with one fewer op.
  const forward = (t: Tensor) => (slope >= 0 && slope <= 1 ? maximum(t, mul(t, slope)) : where(greater(t, 0), t, mul(t, slope)));
  return customVjp("leakyRelu", forward, (g, [t]) => [where(greater(t, 0), g, mul(g, slope))])(x);
}

/**
 * GELU: x·Φ(x) with Φ the standard normal CDF, or its tanh approximation
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) with `approximate: "tanh"`.
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  assertTensor(x, "gelu", "x");
  if (approximate === "tanh") {
    const inner = mul(add(x, mul(pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/**
 * log(1 + eˣ), stable for large |x|: max(x, 0) + log(1 + e^(−|x|)). `maximum` (not relu)
 * splits its gradient at the tie x = 0, so the gradient there is σ(0) = 0.5.
 */
export function softplus(x: Tensor): Tensor {
  assertTensor(x, "softplus", "x");
  return add(maximum(x, 0), log1p(exp(neg(abs(x)))));
}

/** SiLU / swish: x·σ(x). */
export const silu = (x: Tensor): Tensor => (assertTensor(x, "silu", "x"), mul(x, sigmoid(x)));

/**
 * Limits x to [min, max]; either bound may be omitted. Gradient as PyTorch's: 1 where
 * min ≤ x ≤ max, bounds included (`maximum`/`minimum` alone would halve it at a bound), else 0.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertTensor(x, "clamp", "x");
  if (min !== undefined) assertNumber(min, "clamp", "min");
  if (max !== undefined) assertNumber(max, "clamp", "max");
  if (min !== undefined && max !== undefined && min > max) throw new ArgumentError(`clamp: min ${min} is greater than max ${max}`);
  if (min === undefined && max === undefined) return x;
  const forward = (t: Tensor) => {
    let y = t;
    if (min !== undefined) y = maximum(y, min);
    if (max !== undefined) y = minimum(y, max);
    return y;
  };
  return customVjp("clamp", forward, (g, [t]) => {
    let passed = g;
    if (max !== undefined) passed = where(lessEqual(t, max), passed, 0);
    if (min !== undefined) passed = where(greaterEqual(t, min), passed, 0);
    return [passed];
  })(x);
}

/** condition ? a : b elementwise, all three broadcast together. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  assertTensor(condition, "where", "condition");
  const [x, y] = operands("where", a, b);
  const dtype = arithmeticType(x.dtype, y.dtype);
  const shape = broadcastShapes("where", condition.shape, x.shape, y.shape);
  const c = condition.dtype === "bool" ? condition : notEqual(condition, 0);
  return applyWithTemporaries("where", [c, castTo(x, dtype), castTo(y, dtype)], [condition, a, b], shape, dtype);
}

export const equal = (a: Operand, b: Operand): Tensor => compare("equal", a, b);
export const notEqual = (a: Operand, b: Operand): Tensor => compare("notEqual", a, b);
export const less = (a: Operand, b: Operand): Tensor => compare("less", a, b);
export const lessEqual = (a: Operand, b: Operand): Tensor => compare("lessEqual", a, b);
export const greater = (a: Operand, b: Operand): Tensor => compare("greater", a, b);
export const greaterEqual = (a: Operand, b: Operand): Tensor => compare("greaterEqual", a, b);

/** Converts to another dtype (float → int truncates toward zero; → bool is x ≠ 0). */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor(x, "cast", "x");
  assertDType(dtype, "cast");
  if (x.dtype === dtype) return x;
  return apply("cast", [x], { dtype }, x.shape, dtype);
}
