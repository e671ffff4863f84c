import type { DType } from "../dtype.js";
import type { CsrStructure } from "./csr.js";

/**
 * The closed list of primitive operations. Every public op is one of these or a
 * composition of them; a backend implements exactly these kernels, and
 * `autograd/rules.ts` gives each one its vector-Jacobian product.
 */
export const UNARY = ["neg", "exp", "log", "sqrt", "abs", "sign", "sin", "cos", "tanh", "sigmoid", "relu", "erf"] as const;
/** Broadcasting arithmetic; result dtype is the promoted input dtype. */
export const BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum"] as const;
/** Broadcasting comparisons; result dtype is bool and they carry no gradient. */
export const COMPARE = ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"] as const;
/** Reductions over a set of axes. */
export const REDUCE = ["sum", "max", "min", "prod"] as const;

export type UnaryPrimitive = (typeof UNARY)[number];
export type BinaryPrimitive = (typeof BINARY)[number];
export type ComparePrimitive = (typeof COMPARE)[number];
export type ReducePrimitive = (typeof REDUCE)[number];

export interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

type None = Record<string, never>;

/** Geometry of a 2-D convolution (NCHW input, [O, C/groups, kH, kW] weights). */
export interface Conv2dAttrs {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** Window of a 2-D pooling (NCHW input). */
export interface Pool2dAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
}

/** Attributes of each primitive (what the kernel needs besides its inputs). */
export type PrimitiveAttrs = { [P in UnaryPrimitive | BinaryPrimitive | ComparePrimitive]: None } & {
  [P in ReducePrimitive]: ReduceAttrs;
} & {
  /** Index of the max/min along one axis (int32). */
  argmax: { readonly axis: number; readonly keepDims: boolean };
  argmin: { readonly axis: number; readonly keepDims: boolean };
  /** where(condition, a, b) with broadcasting. */
  where: None;
  cast: { readonly dtype: DType };
  /** A view with a new shape; no kernel. */
  reshape: None;
  permute: { readonly perm: readonly number[] };
  broadcastTo: None;
  /** Contiguous sub-block: begin inclusive, end exclusive, per axis. */
  slice: { readonly begin: readonly number[]; readonly end: readonly number[] };
  /** Constant padding: `before[i]`/`after[i]` elements on axis i. */
  pad: { readonly before: readonly number[]; readonly after: readonly number[]; readonly value: number };
  concat: { readonly axis: number };
  /** Batched op(A)·op(B) over the last two axes, batch axes broadcast. */
  matmul: { readonly transposeA: boolean; readonly transposeB: boolean };
  /** out = x taken at integer `indices` along `axis` (tfjs gather / numpy take). */
  gather: { readonly axis: number };
  /** out = target with updates added at `indices` along `axis` (the adjoint of gather). */
  scatterAdd: { readonly axis: number };
  /** e^x / Σ e^x along one axis, computed with the row maximum subtracted. */
  softmax: { readonly axis: number };
  /** x − log Σ e^x along one axis, stably. */
  logSoftmax: { readonly axis: number };
  /** Sparse (CSR structure, values input) times dense [cols, n]. */
  spmm: { readonly structure: CsrStructure };
  /** Sampled dense-dense product: out[k] = Σ_j g[row_k, j] · x[col_k, j]. */
  sddmm: { readonly structure: CsrStructure };
  /** Cross-correlation of x [N, C, H, W] with w [O, C/groups, kH, kW] → [N, O, OH, OW]. */
  conv2d: Conv2dAttrs;
  /** The adjoint of conv2d in x (transposed convolution): g [N, O, OH, OW], w → [N, C, H, W]. */
  conv2dBackwardInput: Conv2dAttrs & { readonly inputSize: readonly [number, number] };
  /** The adjoint of conv2d in w: x [N, C, H, W], g [N, O, OH, OW] → [O, C/groups, kH, kW]. */
  conv2dBackwardWeight: Conv2dAttrs & { readonly kernelSize: readonly [number, number] };
  /** Flat index into x of each window's first maximum (int32 [N, C, OH, OW]); padding never wins. */
  maxPool2dIndices: Pool2dAttrs;
};

export type PrimitiveName = keyof PrimitiveAttrs;

/** Every primitive name, for tests that check each has a rule and a kernel. */
export const PRIMITIVES: readonly PrimitiveName[] = [
  ...UNARY,
  ...BINARY,
  ...COMPARE,
  ...REDUCE,
  "argmax",
  "argmin",
  "where",
  "cast",
  "reshape",
  "permute",
  "broadcastTo",
  "slice",
  "pad",
  "concat",
  "matmul",
  "softmax",
  "logSoftmax",
  "gather",
  "scatterAdd",
  "spmm",
  "sddmm",
  "conv2d",
  "conv2dBackwardInput",
  "conv2dBackwardWeight",
  "maxPool2dIndices",
];

/**
 * The primitives whose output carries no gradient: bool or int32 results (comparisons,
 * arg-reductions, pooling indices) or piecewise constant (`sign`). The one list: the tape
 * records none of them (`ops/dispatch.ts`), their rule is "no gradient" (`autograd/rules.ts`),
 * and the gradient-check table must cover every other primitive (`test/primitives.test.ts`).
 */
export const NON_DIFFERENTIABLE = ["sign", ...COMPARE, "argmax", "argmin", "maxPool2dIndices"] as const satisfies readonly PrimitiveName[];
export type NonDifferentiablePrimitive = (typeof NON_DIFFERENTIABLE)[number];
/** Every primitive with a gradient rule of its own. */
export type DifferentiablePrimitive = Exclude<PrimitiveName, NonDifferentiablePrimitive>;

const NON_DIFFERENTIABLE_SET: ReadonlySet<PrimitiveName> = new Set(NON_DIFFERENTIABLE);

/** Whether a primitive's output can carry a gradient (it is not in NON_DIFFERENTIABLE). */
export function isDifferentiable(primitive: PrimitiveName): primitive is DifferentiablePrimitive {
  return !NON_DIFFERENTIABLE_SET.has(primitive);
}
