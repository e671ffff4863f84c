import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { fromHost } from "../ops/dispatch.js";
import * as E from "../ops/elementwise.js";
import { gather, scatterAdd } from "../ops/indexing.js";
import { matmul } from "../ops/matmul.js";
import { broadcastTo, pad, permute, reshape, slice } from "../ops/movement.js";
import { type DifferentiablePrimitive, NON_DIFFERENTIABLE, type PrimitiveAttrs, type PrimitiveName } from "../ops/primitives.js";
import { prod, sum } from "../ops/reduce.js";
import { sddmm, spmmStructure } from "../ops/sparse.js";
import { isFloat } from "../dtype.js";
import { zerosLike } from "../ops/creation.js";
import { conv2dBackwardInputPrimitive, conv2dBackwardWeightPrimitive, conv2dPrimitive } from "../ops/conv.js";

/**
 * Vector-Jacobian products: given the output gradient `g`, the inputs, the output and
 * the attributes, return each input's gradient (null where none flows). Written with
 * public ops, so they are differentiable again (second order) and backend-agnostic.
 */
export type Rule<P extends PrimitiveName> = (g: Tensor, inputs: readonly Tensor[], out: Tensor, attrs: PrimitiveAttrs[P]) => (Tensor | null)[];

/** Sums `g` over the axes that broadcasting expanded, back to `shape`. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  return reshape(sum(g, axes, true), shape);
}

const none = (): null[] => [null];
/** Computes an input's gradient only when that input requires one (as PyTorch's needs_input_grad). */
const when = (input: Tensor, gradient: () => Tensor): Tensor | null => (input.requiresGrad ? gradient() : null);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Splits ties of max/min evenly (as PyTorch's amax does): mask / count. */
function tieMask(x: Tensor, reduced: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const kept = keepDims ? reduced : reshape(reduced, x.shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  const mask = E.cast(E.equal(x, kept), x.dtype);
  return E.div(mask, sum(mask, axes, true));
}

function expandReduced(g: Tensor, shape: readonly number[], axes: readonly number[], keepDims: boolean): Tensor {
  const kept = keepDims ? g : reshape(g, shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return broadcastTo(kept, shape);
}

/**
 * One rule per differentiable primitive: a missing one, or one for a primitive listed in
 * NON_DIFFERENTIABLE, is a compile error.
 */
const differentiableRules: { [P in DifferentiablePrimitive]: Rule<P> } = {
  // d(−x) = −g
  neg: (g) => [E.neg(g)],
  // d eˣ = g·eˣ
  exp: (g, _, out) => [E.mul(g, out)],
  // d log x = g / x
  log: (g, [x]) => [E.div(g, x)],
  // d √x = g / (2√x)
  sqrt: (g, _, out) => [E.div(g, E.mul(out, 2))],
  // d |x| = g·sign(x)
  abs: (g, [x]) => [E.mul(g, E.sign(x))],
  sin: (g, [x]) => [E.mul(g, E.cos(x))],
  cos: (g, [x]) => [E.neg(E.mul(g, E.sin(x)))],
  // d tanh = g·(1 − tanh²)
  tanh: (g, _, out) => [E.mul(g, E.sub(1, E.mul(out, out)))],
  // d σ = g·σ·(1 − σ)
  sigmoid: (g, _, out) => [E.mul(g, E.mul(out, E.sub(1, out)))],
  relu: (g, [x]) => [E.where(E.greater(x, 0), g, 0)],
  // d erf = g·(2/√π)·e^(−x²)
  erf: (g, [x]) => [E.mul(g, E.mul(E.exp(E.neg(E.mul(x, x))), TWO_OVER_SQRT_PI))],

  add: (g, [a, b]) => [when(a, () => unbroadcast(g, a.shape)), when(b, () => unbroadcast(g, b.shape))],
  sub: (g, [a, b]) => [when(a, () => unbroadcast(g, a.shape)), when(b, () => unbroadcast(E.neg(g), b.shape))],
  mul: (g, [a, b]) => [when(a, () => unbroadcast(E.mul(g, b), a.shape)), when(b, () => unbroadcast(E.mul(g, a), b.shape))],
  // d(a/b) = g/b, −g·a/b²
  div: (g, [a, b]) => [
    when(a, () => unbroadcast(E.div(g, b), a.shape)),
    when(b, () => unbroadcast(E.neg(E.div(E.mul(g, a), E.mul(b, b))), b.shape)),
  ],
  // d aᵇ = g·b·aᵇ⁻¹, g·aᵇ·log a (taken as 0 where a ≤ 0)
  pow: (g, [a, b], out) => {
    const da = E.mul(g, E.mul(b, E.pow(a, E.sub(b, 1))));
    const positive = E.greater(a, 0);
    const logA = E.log(E.where(positive, a, 1));
    const db = E.where(positive, E.mul(g, E.mul(out, logA)), 0);
    return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
  },
  maximum: (g, [a, b]) => minMaxRule(g, a, b, E.greater),
  minimum: (g, [a, b]) => minMaxRule(g, a, b, E.less),

  sum: (g, [x], _, { axes, keepDims }) => [expandReduced(g, x.shape, axes, keepDims)],
  max: (g, [x], out, { axes, keepDims }) => [E.mul(expandReduced(g, x.shape, axes, keepDims), tieMask(x, out, axes, keepDims))],
  min: (g, [x], out, { axes, keepDims }) => [E.mul(expandReduced(g, x.shape, axes, keepDims), tieMask(x, out, axes, keepDims))],
  // ∂/∂xᵢ Πx = Π_{j≠i} xⱼ, computed without dividing by zero.
  prod: (g, [x], _, { axes, keepDims }) => {
    const isZero = E.equal(x, 0);
    const zeroCount = sum(E.cast(isZero, x.dtype), axes, true);
    const nonZero = E.where(isZero, 1, x);
    const prodNonZero = prod(nonZero, axes, true);
    const others = E.where(
      isZero,
      E.where(E.equal(zeroCount, 1), prodNonZero, 0),
      E.where(E.equal(zeroCount, 0), E.div(prodNonZero, nonZero), 0),
    );
    return [E.mul(expandReduced(g, x.shape, axes, keepDims), others)];
  },

  where: (g, [c, a, b]) => [null, unbroadcast(E.where(c, g, 0), a.shape), unbroadcast(E.where(c, 0, g), b.shape)],
  cast: (g, [x]) => [isFloat(x.dtype) ? E.cast(g, x.dtype) : null],
  reshape: (g, [x]) => [reshape(g, x.shape)],
  permute: (g, _, __, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [permute(g, inverse)];
  },
  broadcastTo: (g, [x]) => [unbroadcast(g, x.shape)],
  slice: (g, [x], _, { begin, end }) => [pad(g, x.shape.map((d, i) => [begin[i], d - end[i]] as [number, number]))],
  pad: (g, [x], _, { before }) => [slice(g, before, before.map((b, i) => b + x.shape[i]))],
  concat: (g, inputs, _, { axis }) => {
    let offset = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? offset : 0));
      const end = t.shape.map((d, i) => (i === axis ? offset + d : d));
      offset += t.shape[axis];
      return slice(g, begin, end);
    });
  },
  matmul: (g, [a, b], _, { transposeA, transposeB }) => {
    // C = op(A)·op(B); each case reuses the transposed forms, so backward copies nothing.
    const da = (): Tensor =>
      !transposeA && !transposeB ? matmul(g, b, { transposeB: true })
      : transposeA && !transposeB ? matmul(b, g, { transposeB: true })
      : !transposeA ? matmul(g, b)
      : matmul(b, g, { transposeA: true, transposeB: true });
    const db = (): Tensor =>
      !transposeA && !transposeB ? matmul(a, g, { transposeA: true })
      : transposeA && !transposeB ? matmul(a, g)
      : !transposeA ? matmul(g, a, { transposeA: true })
      : matmul(g, a, { transposeA: true, transposeB: true });
    return [when(a, () => unbroadcast(da(), a.shape)), when(b, () => unbroadcast(db(), b.shape))];
  },
  // dx = y ⊙ (g − Σ g ⊙ y)
  softmax: (g, _, out, { axis }) => [E.mul(out, E.sub(g, sum(E.mul(g, out), axis, true)))],
  // dx = g − softmax(x) · Σ g
  logSoftmax: (g, _, out, { axis }) => [E.sub(g, E.mul(E.exp(out), sum(g, axis, true)))],
  gather: (g, [x, indices], _, { axis }) => [scatterAdd(zerosLike(x), indices, g, axis), null],
  scatterAdd: (g, [, indices], _, { axis }) => [g, null, gather(g, indices, axis)],
  // Y = A·X: dvalues = sddmm(A, dY, X), dX = Aᵀ·dY
  spmm: (g, [values, x], _, { structure }) => {
    const transposed = () => {
      const { structure: st, permutation } = structure.transpose();
      return spmmStructure(st, gather(values, fromHost(permutation, [permutation.length], "int32", values), 0), g);
    };
    return [when(values, () => sddmm(structure, g, x)), when(x, transposed)];
  },
  // v = sddmm(S, G, X): dG = S(dv)·X, dX = S(dv)ᵀ·G
  sddmm: (dv, [gIn, x], _, { structure }) => {
    const { structure: st, permutation } = structure.transpose();
    const dvT = gather(dv, fromHost(permutation, [permutation.length], "int32", dv), 0);
    return [spmmStructure(structure, dv, x), spmmStructure(st, dvT, gIn)];
  },
  // y = conv(x, w) is bilinear: F(x, w, g) = ⟨conv(x, w), g⟩ = ⟨x, Bᵢ(g, w)⟩ = ⟨w, B_w(x, g)⟩.
  // The three primitives are the partial derivatives of F, so each one's gradient is the
  // other two: differentiable to any order.
  conv2d: (g, [x, w], _, a) => [
    when(x, () => conv2dBackwardInputPrimitive(g, w, [x.shape[2], x.shape[3]], a)),
    when(w, () => conv2dBackwardWeightPrimitive(x, g, [w.shape[2], w.shape[3]], a)),
  ],
  // dx = Bᵢ(g, w): ∂/∂g = conv(d, w), ∂/∂w = B_w(d, g)
  conv2dBackwardInput: (d, [g, w], _, a) => [conv2dPrimitive(d, w, a), conv2dBackwardWeightPrimitive(d, g, [w.shape[2], w.shape[3]], a)],
  // dw = B_w(x, g): ∂/∂x = Bᵢ(g, d), ∂/∂g = conv(x, d)
  conv2dBackwardWeight: (d, [x, g], _, a) => [conv2dBackwardInputPrimitive(g, d, [x.shape[2], x.shape[3]], a), conv2dPrimitive(x, d, a)],
};

/** One entry per primitive: the rules above, and "no gradient" for each of NON_DIFFERENTIABLE. */
export const rules = {
  ...differentiableRules,
  ...Object.fromEntries(NON_DIFFERENTIABLE.map((p) => [p, none])),
} as { [P in PrimitiveName]: Rule<P> };

function minMaxRule(g: Tensor, a: Tensor, b: Tensor, wins: typeof E.greater): (Tensor | null)[] {
  const half = E.mul(E.cast(E.equal(a, b), g.dtype), 0.5);
  const aWins = E.add(E.cast(wins(a, b), g.dtype), half);
  const bWins = E.sub(1, aWins);
  return [unbroadcast(E.mul(g, aWins), a.shape), unbroadcast(E.mul(g, bWins), b.shape)];
}
