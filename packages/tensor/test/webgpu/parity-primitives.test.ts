/**
 * Primitives at larger shapes (up to 256 per axis) and in every dtype WebGPU stores
 * (float32, int32, bool), against the CPU: float ops against the float64 oracle with the
 * tolerance stated in each test, integer and bool ops exactly. Shapes and values come from
 * fast-check with a fixed seed; the sizes stay small because software adapters run at
 * about 1 GFLOP/s.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { PROPERTY_SEED } from "../helpers.js";
import { expectParity, hasGpu, on, read } from "./gpu.js";

const RUNS = Number(process.env.FCN_WEBGPU_RUNS ?? 4);
const options = { numRuns: RUNS, seed: PROPERTY_SEED, endOnFailure: true };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
/** Values on a 1/256 grid in [lo, hi] (exact in float32), oversampling 0 and ±1. */
const values = (n: number, lo = -2, hi = 2) =>
  fc.array(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: lo * 256, max: hi * 256 }).map((k) => k / 256) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, -1) }), {
    minLength: n,
    maxLength: n,
  });
const input = (shape: number[], lo = -2, hi = 2) => values(size(shape), lo, hi).map((v) => ({ shape, values: v }));
const ints = (shape: number[], lo = -9, hi = 9) => fc.array(
  fc.integer({ min: lo, max: hi }),
  { minLength: size(shape), maxLength: size(shape) },
).map((v) => ({ shape, values: v, dtype: "int32" as const }));
const dim = (max: number, min = 1) => fc.integer({ min, max });

describe.skipIf(!hasGpu)("WebGPU primitives at larger shapes", () => {
  it("matmul: all transposed forms, broadcast batches, M, N, K ≤ 80 (atol 1e-4, rtol 1e-4)", async () => {
    const cases = fc.record({ m: dim(80), k: dim(80), n: dim(80), ta: fc.boolean(), tb: fc.boolean(), ba: fc.constantFrom([], [2], [1], [2, 1]), bb: fc.constantFrom([], [2], [1]) });
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => fc.tuple(fc.constant(c), input([...c.ba, ...(c.ta ? [c.k, c.m] : [c.m, c.k])], -1, 1), input([...c.bb, ...(c.tb ? [c.n, c.k] : [c.k, c.n])], -1, 1))),
        async ([c, a, b]) => expectParity(`matmul ${JSON.stringify(c)}`, (x, y) => T.matmul(x, y, { transposeA: c.ta, transposeB: c.tb }), [a, b], { atol: 1e-4, rtol: 1e-4 }),
      ),
      options,
    );
  });

  it("matmul 256×256·256×256 and its gradients (atol 2e-4, rtol 1e-4)", async () => {
    const [a, b] = fc.sample(fc.tuple(input([256, 256], -1, 1), input([256, 256], -1, 1)), { numRuns: 1, seed: PROPERTY_SEED })[0];
    await expectParity("matmul 256", (x, y) => T.matmul(x, y), [a, b], { atol: 2e-4, rtol: 1e-4 });
  });

  it("broadcast arithmetic on [≤4, ≤32, ≤256] (atol 1e-5, rtol 1e-5)", async () => {
    const shapes = fc.tuple(dim(4), dim(32), dim(256)).chain(([p, q, r]) => fc.tuple(fc.constant([p, q, r]), fc.constantFrom<number[]>([q, 1], [1, r], [p, 1, r], [])));
    await fc.assert(
      fc.asyncProperty(
        shapes.chain(([a, b]) => fc.tuple(input([...a]), input([...b], 0.5, 2))),
        async ([a, b]) => expectParity(`binary ${a.shape} ${b.shape}`, (x, y) => T.add(T.mul(x, y), T.div(T.maximum(x, y), y)).sub(T.minimum(x, y)), [a, b], { atol: 1e-5, rtol: 1e-5 }),
      ),
      options,
    );
  });

  it("reductions over [≤64, ≤256] on random axes: workgroup and per-output paths (atol 2e-4, rtol 1e-4)", async () => {
    const cases = fc.tuple(dim(64), dim(256), fc.constantFrom<number[] | undefined>([0], [1], [0, 1], undefined), fc.boolean());
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => fc.tuple(fc.constant(c), input([c[0], c[1]]))),
        async ([[, , axes, keepDims], x]) => {
          const f = (t: T.Tensor) => T.add(T.add(T.sum(t, axes, keepDims), T.max(t, axes, keepDims)), T.mean(t, axes, keepDims)).sub(T.min(t, axes, keepDims));
          await expectParity(`reduce ${x.shape} ${axes}`, f, [x], { atol: 2e-4, rtol: 1e-4 });
        },
      ),
      options,
    );
  });

  it("two-pass reductions past 16384 elements per output (atol 1e-3, rtol 1e-4)", async () => {
    const [x] = fc.sample(input([3, 40000]), { numRuns: 1, seed: PROPERTY_SEED });
    const f = (t: T.Tensor) => T.concat([T.sum(t, 1), T.max(t, 1), T.min(t.reshape([120000]), 0, true), T.sum(t).reshape([1])]);
    await expectParity("two-pass reduce", f, [x], { atol: 1e-3, rtol: 1e-4 });
  });

  it("softmax, logSoftmax and crossEntropy on [≤32, ≤256] (atol 1e-5, rtol 1e-4)", async () => {
    const cases = fc.tuple(dim(32), dim(256), fc.constantFrom(0, 1, -1));
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => fc.tuple(fc.constant(c), input([c[0], c[1]], -4, 4))),
        async ([[, , axis], x]) => {
          await expectParity(`softmax ${x.shape} ${axis}`, (t) => T.softmax(t, axis).mul(T.logSoftmax(t, axis)), [x], { atol: 1e-5, rtol: 1e-4 });
          await expectParity(`crossEntropy ${x.shape}`, (t) => T.crossEntropy(t, T.softmax(t.mul(0.5), 1)), [x], { atol: 1e-5, rtol: 1e-4 });
        },
      ),
      options,
    );
  });

  it("gather and scatterAdd along each axis, repeated indices (atol 1e-5, rtol 1e-5)", async () => {
    const cases = fc.tuple(dim(64), dim(32), fc.constantFrom(0, 1), dim(96, 0));
    await fc.assert(
      fc.asyncProperty(
        cases.chain(([p, q, axis, m]) =>
          fc.tuple(fc.constant(axis), input([p, q]), fc.array(fc.nat({ max: (axis === 0 ? p : q) - 1 }), { minLength: m, maxLength: m }), input(axis === 0 ? [m, q] : [p, m])),
        ),
        async ([axis, x, idx, u]) => {
          const indices = () => T.tensor(Int32Array.from(idx));
          await expectParity(`gather ${x.shape} axis ${axis}`, (t) => T.gather(t, indices(), axis), [x], { atol: 1e-5, rtol: 1e-5 });
          await expectParity(`scatterAdd ${x.shape} axis ${axis}`, (t, v) => T.scatterAdd(t, indices(), v, axis), [x, u], { atol: 1e-5, rtol: 1e-5 });
        },
      ),
      options,
    );
  });

  it("spmm and sddmm on random CSR patterns up to 128×128 (atol 1e-5, rtol 1e-5)", async () => {
    const cases = fc.tuple(dim(128), dim(128), dim(16)).chain(([rows, cols, n]) =>
      fc.tuple(fc.constant([rows, cols, n]), fc.array(fc.tuple(fc.nat({ max: rows - 1 }), fc.nat({ max: cols - 1 })), { maxLength: 400 })),
    );
    await fc.assert(
      fc.asyncProperty(
        cases.chain(([[rows, cols, n], entries]) => fc.tuple(fc.constant({ rows, cols, n, entries }), input([entries.length]), input([cols, n]), input([rows, n]))),
        async ([c, v, x, g]) => {
          const sparse = (values: T.Tensor) => T.SparseMatrix.fromCOO(c.entries.map((e) => e[0]), c.entries.map((e) => e[1]), values, [c.rows, c.cols]);
          await expectParity(`spmm ${c.rows}×${c.cols}`, (vals, dense) => T.spmm(sparse(vals), dense), [v, x], { atol: 1e-5, rtol: 1e-5 });
          await expectParity(`spmmᵀ ${c.rows}×${c.cols}`, (vals, dense) => T.spmm(sparse(vals).transpose(), dense), [v, g], { atol: 1e-5, rtol: 1e-5 });
          await expectParity(`sddmm ${c.rows}×${c.cols}`, (gg, xx) => T.sddmm(sparse(T.zerosLike(gg).sum().add(T.ones([c.entries.length]))).structure, gg, xx), [g, x], { atol: 1e-5, rtol: 1e-5 });
        },
      ),
      options,
    );
  });

  it("permute, slice, pad, concat, broadcastTo, where on rank-3 tensors ≤ [16, 16, 32] (atol 1e-6, rtol 1e-6: float32 rounding only)", async () => {
    const cases = fc.tuple(dim(16), dim(16), dim(32), fc.constantFrom([2, 0, 1], [1, 2, 0], [0, 2, 1]), fc.nat({ max: 2 }));
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => fc.tuple(fc.constant(c), input([c[0], c[1], c[2]]), input([c[0], c[1], 1]))),
        async ([[p, q, r, perm, axis], x, y]) => {
          const exact = { atol: 1e-6, rtol: 1e-6 };
          await expectParity("permute", (t) => T.permute(t, perm), [x], exact);
          await expectParity("slice", (t) => T.slice(t, [p >> 1, 0, 1], [p, q, r]), [x], exact);
          await expectParity("pad", (t) => T.pad(t, [[1, 0], [0, 2], [3, 1]], 0.5), [x], exact);
          await expectParity("concat", (t) => T.concat([t, T.neg(t), t.mul(2)], axis), [x], exact);
          await expectParity("broadcastTo", (t) => T.broadcastTo(t, [p, q, r]), [y], exact);
          await expectParity("where", (t, u) => T.where(T.greater(t, u), t, u), [x, y], exact);
        },
      ),
      options,
    );
  });
});

describe.skipIf(!hasGpu)("WebGPU int32 and bool kernels match the CPU exactly", () => {
  const exact = { atol: 0, rtol: 0 };

  it("int32 arithmetic, comparisons, reductions and matmul", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(dim(8), dim(40)).chain(([p, q]) => fc.tuple(ints([p, q]), ints([1, q]), ints([q, 3], -3, 3))),
        async ([a, b, c]) => {
          const f = (x: T.Tensor, y: T.Tensor) =>
            T.concat([T.add(x, y), T.sub(x, y), T.mul(x, y), T.neg(x), T.abs(x), T.sign(x), T.relu(x), T.maximum(x, y), T.minimum(x, y)], 1);
          await expectParity("int32 elementwise", f, [a, b], exact, false);
          const g = (x: T.Tensor, y: T.Tensor) => T.concat([T.equal(x, y), T.notEqual(x, y), T.less(x, y), T.lessEqual(x, y), T.greater(x, y), T.greaterEqual(x, y)], 1);
          await expectParity("int32 comparisons → bool", g, [a, b], exact, false);
          for (const axis of [0, 1]) {
            const r = (x: T.Tensor) => T.concat([T.sum(x, axis), T.max(x, axis), T.min(x, axis), T.prod(T.clamp(x, -2, 2), axis), T.argmax(x, axis), T.argmin(x, axis)]);
            await expectParity(`int32 reductions axis ${axis}`, r, [a], exact, false);
          }
          await expectParity("int32 matmul", (x, y) => T.matmul(x, y), [a, c], exact, false);
        },
      ),
      options,
    );
  });

  it("float argmax/argmin (first index of ties) and casts between float32, int32 and bool", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(dim(16), dim(64)).chain(([p, q]) => input([p, q], -3, 3)),
        async (x) => {
          await expectParity(
            "argmax/argmin",
            (t) => T.concat([T.argmax(t, 0), T.argmin(t, 0), T.argmax(t).reshape([1]), T.argmin(t).reshape([1])]),
            [{ ...x, values: x.values.map((v) => Math.round(v)) }],
            exact,
            false,
          );
          const casts = (t: T.Tensor) => {
            const i = T.cast(t, "int32");
            const b = T.cast(t, "bool");
            return T.concat([T.cast(i, "float32"), T.cast(b, "float32"), T.cast(T.cast(i, "bool"), "int32").cast("float32"), T.cast(T.cast(b, "int32"), "float32")], 1);
          };
          await expectParity("casts", casts, [x], exact, false);
        },
      ),
      options,
    );
  });

  it("bool tensors through movement kernels and where", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(dim(8), dim(24)).chain(([p, q]) => fc.tuple(input([p, q]), fc.array(fc.nat({ max: p - 1 }), { maxLength: 10 }))),
        async ([x, idx]) => {
          const f = (t: T.Tensor) => {
            const b = T.greater(t, 0);
            const moved = T.concat([T.pad(T.slice(b, [0, 1]), [[0, 0], [1, 0]], 1), T.gather(b, T.tensor(Int32Array.from(idx)), 0).broadcastTo([idx.length, b.shape[1]]).slice([0, 0])], 0);
            return T.cast(T.permute(T.permute(moved, [1, 0]), [1, 0]), "float32");
          };
          await expectParity("bool movement", f, [x], exact, false);
        },
      ),
      options,
    );
  });

  it("float32 on both: identical bits for exact ops, and readback keeps each dtype's array type", async () => {
    const t = on("webgpu", () => T.tensor([[1, 0], [3, -4]]));
    expect(await t.greater(0).data()).toBeInstanceOf(Uint8Array);
    expect(await t.cast("int32").data()).toBeInstanceOf(Int32Array);
    expect(await t.data()).toBeInstanceOf(Float32Array);
    expect(await read(t.greater(0))).toEqual([1, 0, 1, 0]);
    expect(await t.greater(0).array()).toEqual([[true, false], [true, false]]);
  });
});
