/**
 * The gradient-check table: one row `{op, arity, domain, tol}` per primitive and per public
 * composite. `gradients.test.ts` runs every row through `checkGrads` (float64 central
 * differences) on shapes and values drawn by fast-check; `primitives.test.ts` asserts that
 * every primitive has a row here or is listed in NON_DIFFERENTIABLE (src/ops/primitives.ts).
 */
import fc from "fast-check";
import * as T from "../src/index.js";
import type { PrimitiveName, Tensor } from "../src/index.js";
import type { CheckGradsOptions } from "../src/testing.js";
import { broadcastPairArbitrary, shapeArbitrary } from "../src/testing.js";

/**
 * Input value domains. `real`: [-3, 3] oversampling 0, ±1 and ±1e-3 (kinks and ties
 * included); `positive`: [0.2, 3]; `nonzero`: |x| in [0.3, 3]; `distinct`: pairwise
 * distinct values with |x| ≥ 0.05, for ops whose derivative jumps at 0 or at ties (relu,
 * max over several tied entries); `unit`: [0, 1] (probabilities).
 */
export type Domain = "real" | "positive" | "nonzero" | "distinct" | "unit";

export interface GradCase<P = unknown> {
  shapes: number[][];
  params: P;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GRAD_TABLE mixes rows with different params (an existential type TypeScript lacks)
export interface GradRow<P = any> {
  /** Primitive name, or the public name of a composite. */
  op: string;
  /** Inputs differentiated (each gets one shape from `cases`). */
  arity: number;
  domain: Domain | readonly Domain[];
  tol?: CheckGradsOptions;
  /** Primitives this row exercises (defaults to [op] when op is a primitive). */
  covers?: readonly PrimitiveName[];
  cases: fc.Arbitrary<GradCase<P>>;
  fn: (params: P) => (...xs: Tensor[]) => Tensor;
}

export function domainValues(domain: Domain, size: number): fc.Arbitrary<number[]> {
  // Values on a 1/1024 grid: exact ties happen (and are tested), near-ties closer than the
  // finite-difference step do not, and every value is exact in float32 and float64.
  const grid = (lo: number, hi: number) => fc.integer({ min: Math.round(lo * 1024), max: Math.round(hi * 1024) }).map((k) => k / 1024);
  const signed = (lo: number, hi: number) => fc.tuple(grid(lo, hi), fc.boolean()).map(([v, s]) => (s ? -v : v));
  let value: fc.Arbitrary<number>;
  switch (domain) {
    case "real":
      value = fc.oneof({ weight: 4, arbitrary: grid(-3, 3) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, -1, 1e-3, -1e-3) });
      break;
    case "positive":
      value = fc.oneof({ weight: 4, arbitrary: grid(0.2, 3) }, { weight: 1, arbitrary: fc.constant(1) });
      break;
    case "nonzero":
      value = fc.oneof({ weight: 4, arbitrary: signed(0.3, 3) }, { weight: 1, arbitrary: fc.constantFrom(1, -1) });
      break;
    case "distinct":
      // Pairwise distinct and |x| ≥ 0.05: no kink at 0 and no ties.
      return fc
        .uniqueArray(fc.integer({ min: 51, max: 3072 }), { minLength: size, maxLength: size })
        .chain((ks) => fc.array(fc.boolean(), { minLength: size, maxLength: size }).map((signs) => ks.map((k, i) => (signs[i] ? -k : k) / 1024)));
    case "unit":
      value = fc.oneof({ weight: 4, arbitrary: grid(0, 1) }, { weight: 1, arbitrary: fc.constantFrom(0, 1) });
      break;
  }
  return fc.array(value, { minLength: size, maxLength: size });
}

const none = {};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const shape = (o: { maxRank?: number; minDim?: number; maxDim?: number } = {}) => shapeArbitrary({ maxRank: 3, maxDim: 4, ...o });
const nonScalarShape = (maxDim = 4, minDim = 0) => fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: 1, maxLength: 3 });
const unary: fc.Arbitrary<GradCase<object>> = shape().map((s) => ({ shapes: [s], params: none }));
const binary: fc.Arbitrary<GradCase<object>> = broadcastPairArbitrary({ maxRank: 3, maxDim: 3 }).map(([a, b]) => ({ shapes: [a, b], params: none }));
const sameShapePair: fc.Arbitrary<GradCase<object>> = shape().map((s) => ({ shapes: [s, s.slice()], params: none }));
const matrixShape = (maxDim = 4) => fc.tuple(fc.integer({ min: 0, max: maxDim }), fc.integer({ min: 0, max: maxDim }));

/** An axis as given by a user: maybe negative. */
const userAxis = (axis: number, rank: number, negative: boolean) => (negative ? axis - rank : axis);

type AxisParams = { axis: number | number[] | undefined; keepDims: boolean };
/** A shape with an axis argument: undefined (all), one axis, or a list (maybe negative). */
function reduceCases(o: { minDim?: number; minCount?: number } = {}): fc.Arbitrary<GradCase<AxisParams>> {
  return shape({ minDim: o.minDim ?? 0 })
    .chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.oneof(fc.constant<number[] | undefined>(undefined), fc.subarray(range(s.length))),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
      ),
    )
    .filter(([s, axes]) => (axes ?? range(s.length)).reduce((n, a) => n * s[a], 1) >= (o.minCount ?? 0))
    .map(([s, axes, keepDims, negative, single]) => {
      let axis: number | number[] | undefined = axes?.map((a) => userAxis(a, s.length, negative));
      if (axis && axis.length === 1 && single) axis = axis[0];
      return { shapes: [s], params: { axis, keepDims } };
    });
}

/** A non-scalar shape with one axis (maybe negative). */
const axisCases: fc.Arbitrary<GradCase<{ axis: number }>> = nonScalarShape().chain((s) =>
  fc.tuple(fc.nat({ max: s.length - 1 }), fc.boolean()).map(([a, negative]) => ({ shapes: [s], params: { axis: userAxis(a, s.length, negative) } })),
);

type MatmulParams = { transposeA: boolean; transposeB: boolean };
const matmulCases: fc.Arbitrary<GradCase<MatmulParams>> = fc
  .record({
    batch: broadcastPairArbitrary({ maxRank: 2, maxDim: 3 }),
    m: fc.integer({ min: 0, max: 4 }),
    k: fc.integer({ min: 0, max: 4 }),
    n: fc.integer({ min: 0, max: 4 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    vectorA: fc.boolean(),
    vectorB: fc.boolean(),
  })
  .map(({ batch, m, k, n, transposeA, transposeB, vectorA, vectorB }) => {
    const a = vectorA ? [k] : [...batch[0], ...(transposeA ? [k, m] : [m, k])];
    const b = vectorB ? [k] : [...batch[1], ...(transposeB ? [n, k] : [k, n])];
    return { shapes: [a, b], params: { transposeA, transposeB } };
  });

/** Integer indices below `dim` of a random shape (rank 0–2); empty when dim is 0. */
function indicesArbitrary(dim: number): fc.Arbitrary<{ shape: number[]; values: number[] }> {
  if (dim === 0) return fc.constant({ shape: [0], values: [] });
  return fc
    .array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 })
    .chain((shape) => fc.array(
      fc.integer({ min: 0, max: dim - 1 }),
      { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) },
    ).map((values) => ({ shape, values })));
}

type GatherParams = { axis: number; indexShape: number[]; indices: number[] };
const gatherCases: fc.Arbitrary<GradCase<GatherParams>> = nonScalarShape().chain((s) =>
  fc.nat({ max: s.length - 1 }).chain((axis) =>
    indicesArbitrary(s[axis]).map(({ shape, values }) => {
      const updates = [...s.slice(0, axis), ...shape, ...s.slice(axis + 1)];
      return { shapes: [s, updates], params: { axis, indexShape: shape, indices: values } };
    }),
  ),
);
const indexTensor = (p: GatherParams) => T.tensor(Int32Array.from(p.indices), { shape: p.indexShape });

type SparseParams = { rows: number; cols: number; rowIndex: number[]; colIndex: number[] };
/** A random COO pattern (duplicates allowed) with shapes [values], [cols, n]. */
const sparseCases = (mode: "spmm" | "sddmm" | "dense"): fc.Arbitrary<GradCase<SparseParams>> =>
  fc
    .record({ rows: fc.integer({ min: 0, max: 4 }), cols: fc.integer({ min: 0, max: 4 }), n: fc.integer({ min: 0, max: 3 }) })
    .chain(({ rows, cols, n }) =>
      fc
        .array(fc.tuple(fc.nat({ max: Math.max(rows - 1, 0) }), fc.nat({ max: Math.max(cols - 1, 0) })), { maxLength: rows * cols === 0 ? 0 : 8 })
        .map((entries) => {
          const params = { rows, cols, rowIndex: entries.map((e) => e[0]), colIndex: entries.map((e) => e[1]) };
          const shapes = mode === "spmm" ? [[entries.length], [cols, n]] : mode === "sddmm" ? [[rows, n], [cols, n]] : [[entries.length]];
          return { shapes, params };
        }),
    );
const sparseOf = (p: SparseParams, values: Tensor) => T.SparseMatrix.fromCOO(p.rowIndex, p.colIndex, values, [p.rows, p.cols]);
/** A CSR structure with unique sorted entries, built from a COO pattern. */
const structureOf = (p: SparseParams) => sparseOf(p, T.zeros([p.rowIndex.length], { dtype: "float64" })).structure;

/** Per-axis [before, after] padding and a fill value. */
const padCases: fc.Arbitrary<GradCase<{ padding: [number, number][]; value: number }>> = shape().chain((s) =>
  fc
    .tuple(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat({ max: 2 })), { minLength: s.length, maxLength: s.length }), fc.constantFrom(0, 1.5))
    .map(([padding, value]) => ({ shapes: [s], params: { padding, value } })),
);

/** Per-axis bounds, sometimes negative or past the end (clamped). */
const sliceCases: fc.Arbitrary<GradCase<{ begin: number[]; end: number[] }>> = shape().chain((s) =>
  fc
    .tuple(...s.map((d) => fc.tuple(fc.integer({ min: -d - 1, max: d }), fc.integer({ min: -d - 1, max: d + 1 }))))
    .map((bounds) => ({ shapes: [s], params: { begin: bounds.map((b) => b[0]), end: bounds.map((b) => b[1]) } })),
);

const concatCases: fc.Arbitrary<GradCase<{ axis: number }>> = nonScalarShape(3).chain((s) =>
  fc
    .tuple(fc.nat({ max: s.length - 1 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 3 }), fc.boolean())
    .map(([axis, sizes, negative]) => ({
      shapes: sizes.map((d) => s.map((v, i) => (i === axis ? d : v))),
      params: { axis: userAxis(axis, s.length, negative) },
    })),
);

const permuteCases: fc.Arbitrary<GradCase<{ perm: number[] }>> = shape().chain((s) =>
  fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length }).map((perm) => ({ shapes: [s], params: { perm } })),
);

const broadcastToCases: fc.Arbitrary<GradCase<{ target: number[] }>> = broadcastPairArbitrary({ maxRank: 3, maxDim: 3 }).map(([a, b]) => ({
  shapes: [a],
  params: { target: T.broadcastShapes("test", a, b) },
}));

const reshapeCases: fc.Arbitrary<GradCase<{ target: number[] }>> = shape().chain((s) =>
  fc.constantFrom<(s: number[]) => number[]>(
    (x) => x.slice().reverse(),
    (x) => [1, ...x, 1],
    (x) => [x.reduce((a, b) => a * b, 1)],
    (x) => (x.length > 0 && x.reduce((a, b) => a * b, 1) > 0 ? [-1, ...x.slice(1)] : x.slice()),
  ).map((make) => ({ shapes: [s], params: { target: make(s) } })),
);

const whereCases: fc.Arbitrary<GradCase<{ condition: boolean[]; conditionShape: number[] }>> = broadcastPairArbitrary({ maxRank: 3, maxDim: 3 }).chain(([a, b]) => {
  const out = T.broadcastShapes("test", a, b);
  // The condition broadcasts too: some of its axes are 1.
  return fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }).chain((ones) => {
    const c = out.map((d, i) => (ones[i] ? 1 : d));
    const size = c.reduce((x, y) => x * y, 1);
    return fc.array(fc.boolean(), { minLength: size, maxLength: size }).map((condition) => ({ shapes: [a, b], params: { condition, conditionShape: c } }));
  });
});

const classCases: fc.Arbitrary<GradCase<{ labels: number[] }>> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .chain(([batch, classes]) =>
    fc.array(fc.nat({ max: classes - 1 }), { minLength: batch, maxLength: batch }).map((labels) => ({ shapes: [[batch, classes]], params: { labels } })),
  );

const kronCases: fc.Arbitrary<GradCase<object>> = fc.tuple(matrixShape(3), matrixShape(3)).map(([a, b]) => ({ shapes: [a, b], params: none }));
const vectorPair: fc.Arbitrary<GradCase<object>> = fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([m, n]) => ({ shapes: [[m], [n]], params: none }));

const expandCases: fc.Arbitrary<GradCase<{ axis: number }>> = shape().chain((s) =>
  fc.integer({ min: -s.length - 1, max: s.length }).map((axis) => ({ shapes: [s], params: { axis } })),
);
const squeezeCases: fc.Arbitrary<GradCase<{ axis: number | undefined }>> = shape({ maxDim: 3 }).chain((s) => {
  const ones = s.flatMap((d, i) => (d === 1 ? [i] : []));
  return fc.option(ones.length ? fc.constantFrom(...ones) : fc.constant(undefined), { nil: undefined }).map((axis) => ({ shapes: [s], params: { axis } }));
});
const indexCases: fc.Arbitrary<GradCase<{ i: number; axis: number }>> = nonScalarShape(4, 1).chain((s) =>
  fc.nat({ max: s.length - 1 }).chain((axis) => fc.integer({ min: -s[axis], max: s[axis] - 1 }).map((i) => ({ shapes: [s], params: { i, axis } }))),
);
const stackCases: fc.Arbitrary<GradCase<{ axis: number }>> = fc
  .tuple(shape(), fc.integer({ min: 1, max: 3 }))
  .chain(([s, count]) => fc.integer({ min: -s.length - 1, max: s.length }).map((axis) => ({ shapes: Array.from({ length: count }, () => s.slice()), params: { axis } })));
const flipCases: fc.Arbitrary<GradCase<{ axis: number[] | undefined }>> = shape().chain((s) =>
  fc.option(fc.subarray(range(s.length)), { nil: undefined }).map((axis) => ({ shapes: [s], params: { axis } })),
);
const tileCases: fc.Arbitrary<GradCase<{ reps: number[] }>> = shape({ maxDim: 3 }).chain((s) =>
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }).map((reps) => ({ shapes: [s], params: { reps } })),
);
const transposeCases: fc.Arbitrary<GradCase<{ axes: [number, number] | undefined }>> = shape().chain((s) =>
  s.length < 2
    ? fc.constant({ shapes: [s], params: { axes: undefined } })
    : fc.option(fc.tuple(fc.nat({ max: s.length - 1 }), fc.nat({ max: s.length - 1 })), { nil: undefined }).map((axes) => ({ shapes: [s], params: { axes } })),
);

/**
 * A small random convolution: stride 1–2, padding 0–2, dilation 1–2, groups 1–2, kernel
 * 1–3, input ≤ 5×5; shapes [x, w] with the output size (≥ 1 per axis) in the params.
 */
export type ConvParams = {
  stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number;
  x: number[]; w: number[]; y: number[];
};
export const convCases: fc.Arbitrary<GradCase<ConvParams>> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 2 }), og: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 2 }), sw: fc.integer({ min: 1, max: 2 }), ph: fc.nat({ max: 2 }), pw: fc.nat({ max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 2 }),
  })
  .map((c) => ({ ...c, oh: T.convOutputSize(c.h, c.kh, c.sh, c.ph, c.dh), ow: T.convOutputSize(c.w, c.kw, c.sw, c.pw, c.dw) }))
  .filter((c) => c.oh >= 1 && c.ow >= 1)
  .map((c) => {
    const x = [c.n, c.cg * c.groups, c.h, c.w];
    const w = [c.og * c.groups, c.cg, c.kh, c.kw];
    const y = [c.n, c.og * c.groups, c.oh, c.ow];
    return { shapes: [x, w], params: { stride: [c.sh, c.sw], padding: [c.ph, c.pw], dilation: [c.dh, c.dw], groups: c.groups, x, w, y } };
  });

type PoolParams = { kernel: [number, number]; stride: [number, number]; padding: [number, number] };
/** NCHW input ≤ [2, 2, 5, 5], kernel 1–3, stride 1–3, padding ≤ kernel / 2. */
const poolCases: fc.Arbitrary<GradCase<PoolParams>> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 2 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }),
    kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
    ph: fc.nat({ max: 1 }), pw: fc.nat({ max: 1 }),
  })
  .map((c) => ({ ...c, ph: c.kh >= 2 ? c.ph : 0, pw: c.kw >= 2 ? c.pw : 0 }))
  .filter((c) => T.convOutputSize(c.h, c.kh, c.sh, c.ph, 1) >= 1 && T.convOutputSize(c.w, c.kw, c.sw, c.pw, 1) >= 1)
  .map((c) => ({ shapes: [[c.n, c.c, c.h, c.w]], params: { kernel: [c.kh, c.kw], stride: [c.sh, c.sw], padding: [c.ph, c.pw] } }));
/** Non-overlapping windows that tile the input (the reshape path of avgPool2d). */
const tilingPoolCases: fc.Arbitrary<GradCase<PoolParams>> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 2 }),
    oh: fc.integer({ min: 1, max: 3 }),
    ow: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 2 }),
    kw: fc.integer({ min: 1, max: 3 }),
  })
  .map((c) => ({ shapes: [[c.n, c.c, c.oh * c.kh, c.ow * c.kw]], params: { kernel: [c.kh, c.kw], stride: [c.kh, c.kw], padding: [0, 0] } }));
const adaptiveCases: fc.Arbitrary<GradCase<{ size: [number, number] }>> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 5 }),
    w: fc.integer({ min: 1, max: 5 }),
    oh: fc.integer({ min: 1, max: 3 }),
    ow: fc.integer({ min: 1, max: 3 }),
  })
  .map((c) => ({ shapes: [[c.n, c.c, c.h, c.w]], params: { size: [c.oh, c.ow] } }));
/** [N, C, …spatial] with C ≥ 1 and at least two elements per channel; shapes [x, weight, bias]. */
const batchNormCases: fc.Arbitrary<GradCase<object>> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }))
  .filter(([n, , spatial]) => n * spatial.reduce((a, b) => a * b, 1) >= 2)
  .map(([n, c, spatial]) => ({ shapes: [[n, c, ...spatial], [c], [c]], params: none }));
const nchw: fc.Arbitrary<GradCase<object>> = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 })
  .map((s) => ({ shapes: [s], params: none }));

const u = (f: (x: Tensor) => Tensor) => () => f;
const b = (f: (x: Tensor, y: Tensor) => Tensor) => () => f;

export const GRAD_TABLE: GradRow[] = [
  // Unary primitives
  { op: "neg", arity: 1, domain: "real", cases: unary, fn: u(T.neg) },
  { op: "exp", arity: 1, domain: "real", cases: unary, fn: u(T.exp) },
  { op: "log", arity: 1, domain: "positive", cases: unary, fn: u(T.log) },
  { op: "sqrt", arity: 1, domain: "positive", cases: unary, fn: u(T.sqrt) },
  { op: "abs", arity: 1, domain: "real", cases: unary, fn: u(T.abs) },
  { op: "sin", arity: 1, domain: "real", cases: unary, fn: u(T.sin) },
  { op: "cos", arity: 1, domain: "real", cases: unary, fn: u(T.cos) },
  { op: "tanh", arity: 1, domain: "real", cases: unary, fn: u(T.tanh) },
  { op: "sigmoid", arity: 1, domain: "real", cases: unary, fn: u(T.sigmoid) },
  { op: "relu", arity: 1, domain: "distinct", cases: unary, fn: u(T.relu) },
  { op: "erf", arity: 1, domain: "real", cases: unary, fn: u(T.erf) },
  // Binary primitives (broadcasting; ties included for maximum/minimum, split evenly)
  { op: "add", arity: 2, domain: "real", cases: binary, fn: b(T.add) },
  { op: "sub", arity: 2, domain: "real", cases: binary, fn: b(T.sub) },
  { op: "mul", arity: 2, domain: "real", cases: binary, fn: b(T.mul) },
  { op: "div", arity: 2, domain: ["real", "nonzero"], cases: binary, fn: b(T.div) },
  { op: "pow", arity: 2, domain: ["positive", "real"], cases: binary, fn: b(T.pow) },
  { op: "maximum", arity: 2, domain: "real", cases: binary, fn: b(T.maximum) },
  { op: "minimum", arity: 2, domain: "real", cases: binary, fn: b(T.minimum) },
  // Reductions
  { op: "sum", arity: 1, domain: "real", cases: reduceCases(), fn: (p: AxisParams) => (x) => T.sum(x, p.axis, p.keepDims) },
  { op: "max", arity: 1, domain: "distinct", cases: reduceCases({ minDim: 1 }), fn: (p: AxisParams) => (x) => T.max(x, p.axis, p.keepDims) },
  { op: "min", arity: 1, domain: "distinct", cases: reduceCases({ minDim: 1 }), fn: (p: AxisParams) => (x) => T.min(x, p.axis, p.keepDims) },
  { op: "prod", arity: 1, domain: "real", cases: reduceCases(), fn: (p: AxisParams) => (x) => T.prod(T.clamp(x, -2 - 1 / 2048, 2 + 1 / 2048), p.axis, p.keepDims) },
  // Selection, casts and movement
  {
    op: "where",
    arity: 2,
    domain: "real",
    cases: whereCases,
    fn: (p: { condition: boolean[]; conditionShape: number[] }) => (x, y) => T.where(T.tensor(Uint8Array.from(p.condition.map(Number)), { shape: p.conditionShape, dtype: "bool" }), x, y),
  },
  // float64 → float32 → float64: the float32 rounding needs a larger step.
  { op: "cast", arity: 1, domain: "real", tol: { eps: 1e-2, atol: 1e-4, rtol: 1e-4 }, cases: unary, fn: () => (x) => T.cast(T.cast(x, "float32"), "float64") },
  { op: "reshape", arity: 1, domain: "real", cases: reshapeCases, fn: (p: { target: number[] }) => (x) => T.reshape(x, p.target) },
  { op: "permute", arity: 1, domain: "real", cases: permuteCases, fn: (p: { perm: number[] }) => (x) => T.permute(x, p.perm) },
  { op: "broadcastTo", arity: 1, domain: "real", cases: broadcastToCases, fn: (p: { target: number[] }) => (x) => T.broadcastTo(x, p.target) },
  { op: "slice", arity: 1, domain: "real", cases: sliceCases, fn: (p: { begin: number[]; end: number[] }) => (x) => T.slice(x, p.begin, p.end) },
  { op: "pad", arity: 1, domain: "real", cases: padCases, fn: (p: { padding: [number, number][]; value: number }) => (x) => T.pad(x, p.padding, p.value) },
  { op: "concat", arity: 3, domain: "real", cases: concatCases, fn: (p: { axis: number }) => (...xs) => T.concat(xs, p.axis) },
  {
    op: "matmul",
    arity: 2,
    domain: "real",
    cases: matmulCases,
    fn: (p: MatmulParams) => (a, c) => T.matmul(a, c, p),
  },
  { op: "gather", arity: 1, domain: "real", cases: gatherCases.map((c) => ({ shapes: [c.shapes[0]], params: c.params })), fn: (p: GatherParams) => (x) => T.gather(x, indexTensor(p), p.axis) },
  { op: "scatterAdd", arity: 2, domain: "real", cases: gatherCases, fn: (p: GatherParams) => (x, up) => T.scatterAdd(x, indexTensor(p), up, p.axis) },
  { op: "spmm", arity: 2, domain: "real", cases: sparseCases("spmm"), fn: (p: SparseParams) => (v, x) => T.spmm(sparseOf(p, v), x) },
  { op: "sddmm", arity: 2, domain: "real", cases: sparseCases("sddmm"), fn: (p: SparseParams) => (g, x) => T.sddmm(structureOf(p), g, x) },

  // Composites: elementwise
  { op: "square", arity: 1, domain: "real", cases: unary, fn: u(T.square) },
  { op: "reciprocal", arity: 1, domain: "nonzero", cases: unary, fn: u(T.reciprocal) },
  { op: "log1p", arity: 1, domain: "positive", cases: unary, fn: u(T.log1p) },
  // Away from the kink: at 0 the gradient is the slope (PyTorch), which central differences cannot see.
  { op: "leakyRelu", arity: 1, domain: "distinct", cases: unary, fn: () => (x) => T.leakyRelu(x, 0.1) },
  { op: "leakyRelu(slope > 1)", arity: 1, domain: "distinct", cases: unary, fn: () => (x) => T.leakyRelu(x, 2) },
  { op: "gelu", arity: 1, domain: "real", cases: unary, fn: () => (x) => T.gelu(x) },
  { op: "gelu(tanh)", arity: 1, domain: "real", cases: unary, fn: () => (x) => T.gelu(x, "tanh") },
  { op: "softplus", arity: 1, domain: "real", cases: unary, fn: u(T.softplus) },
  { op: "silu", arity: 1, domain: "real", cases: unary, fn: u(T.silu) },
  // Bounds between grid points: no value sits on a bound, where the gradient is 1 (PyTorch), not the central difference ½.
  { op: "clamp", arity: 1, domain: "real", cases: unary, fn: () => (x) => T.clamp(x, -1 - 1 / 2048, 0.5 + 1 / 2048) },
  { op: "pow(scalar exponent)", arity: 1, domain: "real", cases: unary, fn: () => (x) => T.pow(x, 3) },
  // Composites: reductions and normalizations
  { op: "mean", arity: 1, domain: "real", cases: reduceCases({ minCount: 1 }), fn: (p: AxisParams) => (x) => T.mean(x, p.axis, p.keepDims) },
  { op: "variance", arity: 1, domain: "real", cases: reduceCases({ minCount: 2 }), fn: (p: AxisParams) => (x) => T.variance(x, p.axis, p.keepDims, 1) },
  // std has an infinite derivative where the variance is 0, so values are distinct.
  { op: "std", arity: 1, domain: "distinct", cases: reduceCases({ minCount: 2 }), fn: (p: AxisParams) => (x) => T.std(x, p.axis, p.keepDims) },
  { op: "logsumexp", arity: 1, domain: "real", cases: reduceCases({ minDim: 1 }), fn: (p: AxisParams) => (x) => T.logsumexp(x, p.axis, p.keepDims) },
  { op: "softmax", arity: 1, domain: "real", cases: axisCases, fn: (p: { axis: number }) => (x) => T.softmax(x, p.axis) },
  { op: "logSoftmax", arity: 1, domain: "real", cases: axisCases, fn: (p: { axis: number }) => (x) => T.logSoftmax(x, p.axis) },
  // Composites: losses
  { op: "mse", arity: 2, domain: "real", cases: sameShapePair, fn: () => (x, y) => T.mse(x, y) },
  { op: "mse(none)", arity: 2, domain: "real", cases: sameShapePair, fn: () => (x, y) => T.mse(x, y, "none") },
  {
    op: "crossEntropy(labels)",
    arity: 1,
    domain: "real",
    cases: classCases,
    fn: (p: { labels: number[] }) => (x) => T.crossEntropy(x, T.tensor(Int32Array.from(p.labels))),
  },
  {
    op: "crossEntropy(probabilities)",
    arity: 2,
    domain: ["real", "unit"],
    cases: classCases.map((c) => ({ shapes: [c.shapes[0], c.shapes[0].slice()], params: none })),
    fn: () => (x, p) => T.crossEntropy(x, p, "sum"),
  },
  { op: "binaryCrossEntropyWithLogits", arity: 2, domain: ["real", "unit"], cases: sameShapePair, fn: () => (x, y) => T.binaryCrossEntropyWithLogits(x, y, "sum") },
  { op: "dropout", arity: 1, domain: "real", cases: unary, fn: () => (x) => T.dropout(x, 0.25, new T.Generator(7)) },
  // Composites: linear algebra
  { op: "kron", arity: 2, domain: "real", cases: kronCases, fn: b(T.kron) },
  { op: "outer", arity: 2, domain: "real", cases: vectorPair, fn: b(T.outer) },
  { op: "SparseMatrix.toDense", arity: 1, domain: "real", cases: sparseCases("dense"), fn: (p: SparseParams) => (v) => sparseOf(p, v).toDense() },
  {
    op: "SparseMatrix.transpose",
    arity: 2,
    domain: "real",
    cases: sparseCases("spmm").map((c) => ({ shapes: [c.shapes[0], [c.params.rows, c.shapes[1][1]]], params: c.params })),
    fn: (p: SparseParams) => (v, x) => T.spmm(sparseOf(p, v).transpose(), x),
  },
  // Composites: shape
  {
    op: "transpose",
    arity: 1,
    domain: "real",
    cases: transposeCases,
    fn: (p: { axes: [number, number] | undefined }) => (x) => (p.axes ? T.transpose(x, p.axes[0], p.axes[1]) : T.transpose(x)),
  },
  { op: "expandDims", arity: 1, domain: "real", cases: expandCases, fn: (p: { axis: number }) => (x) => T.expandDims(x, p.axis) },
  { op: "squeeze", arity: 1, domain: "real", cases: squeezeCases, fn: (p: { axis: number | undefined }) => (x) => T.squeeze(x, p.axis) },
  { op: "index", arity: 1, domain: "real", cases: indexCases, fn: (p: { i: number; axis: number }) => (x) => T.index(x, p.i, p.axis) },
  { op: "stack", arity: 3, domain: "real", cases: stackCases, fn: (p: { axis: number }) => (...xs) => T.stack(xs, p.axis) },
  { op: "flip", arity: 1, domain: "real", cases: flipCases, fn: (p: { axis: number[] | undefined }) => (x) => T.flip(x, p.axis) },
  { op: "tile", arity: 1, domain: "real", cases: tileCases, fn: (p: { reps: number[] }) => (x) => T.tile(x, p.reps) },
  // Convolutions: the three convolution primitives (each one's rule is the other two)
  { op: "conv2d", arity: 2, domain: "real", cases: convCases, fn: (p: ConvParams) => (x, w) => T.conv2d(x, w, p) },
  {
    op: "conv2d(bias)",
    arity: 3,
    domain: "real",
    cases: convCases.map((c) => ({ shapes: [...c.shapes, [c.params.w[0]]], params: c.params })),
    fn: (p: ConvParams) => (x, w, bias) => T.conv2d(x, w, { ...p, bias }),
  },
  {
    op: "conv2dBackwardInput",
    arity: 2,
    domain: "real",
    cases: convCases.map((c) => ({ shapes: [c.params.y, c.params.w], params: c.params })),
    fn: (p: ConvParams) => (g, w) => T.conv2dBackwardInput(g, w, [p.x[2], p.x[3]], p),
  },
  {
    op: "conv2dBackwardWeight",
    arity: 2,
    domain: "real",
    cases: convCases.map((c) => ({ shapes: [c.params.x, c.params.y], params: c.params })),
    fn: (p: ConvParams) => (x, g) => T.conv2dBackwardWeight(x, g, [p.w[2], p.w[3]], p),
  },
  // Pools: maxPool2d is maxPool2dIndices (no gradient) then gather; distinct values avoid ties.
  { op: "maxPool2d", arity: 1, domain: "distinct", covers: ["gather"], cases: poolCases, fn: (p: PoolParams) => (x) => T.maxPool2d(x, p.kernel, p) },
  { op: "avgPool2d", arity: 1, domain: "real", cases: poolCases, fn: (p: PoolParams) => (x) => T.avgPool2d(x, p.kernel, p) },
  { op: "avgPool2d(tiling)", arity: 1, domain: "real", cases: tilingPoolCases, fn: (p: PoolParams) => (x) => T.avgPool2d(x, p.kernel, p) },
  // Normalization and structured dropout (composites). In training the gradient flows
  // through the batch statistics; eps 1e-2 keeps 1/σ moderate for nearly constant channels.
  {
    op: "batchNorm(training)",
    arity: 3,
    domain: "real",
    cases: batchNormCases,
    fn: () => (x, w, bias) => T.batchNorm(x, T.zeros([x.shape[1]], { dtype: x.dtype }), T.ones([x.shape[1]], { dtype: x.dtype }), w, bias, { training: true, eps: 1e-2 }),
  },
  {
    op: "batchNorm(eval)",
    arity: 3,
    domain: "real",
    cases: batchNormCases,
    fn: () => (x, w, bias) => T.batchNorm(x, T.full([x.shape[1]], 0.25, { dtype: x.dtype }), T.full([x.shape[1]], 2, { dtype: x.dtype }), w, bias),
  },
  { op: "dropout2d", arity: 1, domain: "real", cases: nchw, fn: () => (x) => T.dropout2d(x, 0.4, new T.Generator(5)) },
  { op: "dropPath", arity: 1, domain: "real", cases: nchw, fn: () => (x) => T.dropPath(x, 0.4, new T.Generator(9)) },
  { op: "adaptiveAvgPool2d", arity: 1, domain: "real", cases: adaptiveCases, fn: (p: { size: [number, number] }) => (x) => T.adaptiveAvgPool2d(x, p.size) },
];
