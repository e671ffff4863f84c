/**
 * Every row of the gradient-check table (every primitive and composite), run on the CPU
 * in float64 (the oracle) and on WebGPU in float32: the forward values and the gradients
 * of Σ w ⊙ f(x) must agree within the row's tolerance below. Values come from the table's
 * domains (a 1/1024 grid, exact in float32), shapes from its fast-check cases (≤ 4 per axis,
 * including empty and scalar shapes).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import * as T from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Domain, GRAD_TABLE, type GradRow, domainValues } from "../gradcheck-table.js";
import { PROPERTY_SEED } from "../helpers.js";
import { expectClose, hasGpu, on } from "./gpu.js";

const RUNS = Number(process.env.FCN_WEBGPU_RUNS ?? 6);

/** f32 tolerance per op: atol + rtol·|expected| (default for rows not listed). */
const DEFAULT_TOL = { atol: 2e-5, rtol: 2e-5 };
export const TOLERANCE: Record<string, { atol: number; rtol: number }> = {
  // Transcendentals: GPU exp/log/sin/tanh are accurate to a few ulp, erf to 1.5e-7.
  exp: { atol: 1e-5, rtol: 1e-5 },
  pow: { atol: 1e-4, rtol: 5e-5 },
  "pow(scalar exponent)": { atol: 1e-4, rtol: 5e-5 },
  prod: { atol: 1e-4, rtol: 5e-5 },
  // Differences of nearly equal sums lose digits in float32.
  variance: { atol: 1e-4, rtol: 1e-4 },
  std: { atol: 1e-4, rtol: 1e-4 },
  "gelu(tanh)": { atol: 5e-5, rtol: 5e-5 },
  // Convolutions sum up to 36 products in a different order than the CPU's gemm.
  conv2d: { atol: 5e-5, rtol: 5e-5 },
  "conv2d(bias)": { atol: 5e-5, rtol: 5e-5 },
  conv2dBackwardInput: { atol: 5e-5, rtol: 5e-5 },
  conv2dBackwardWeight: { atol: 5e-5, rtol: 5e-5 },
  // Batch statistics: a variance in float32, as for `variance`.
  "batchNorm(training)": { atol: 1e-4, rtol: 1e-4 },
};

/**
 * Rows left to other tests here, because they build float64 tensors inside the function
 * (float64 does not exist in WGSL): `cast` (float64 → float32 → float64) and `sddmm`
 * (its structure comes from a float64 SparseMatrix). Both primitives are covered in
 * parity-primitives.test.ts.
 */
const ELSEWHERE = new Set(["cast", "sddmm"]);

type Result = { value: number[]; grads: number[][] };

/** Value of f and gradients of Σ w ⊙ f(x), computed on `device`. */
async function evaluate(device: "cpu" | "webgpu", row: GradRow, params: unknown, shapes: number[][], data: number[][], weights: number[]): Promise<Result> {
  const dtype = device === "cpu" ? "float64" : "float32";
  const f = row.fn(params);
  const { value, grads } = on(device, () =>
    T.tidy(() => {
      const xs = shapes.map((s, i) => T.tensor(data[i], { shape: s, dtype }));
      const out = T.noGrad(() => f(...xs));
      const w = T.tensor(weights, { shape: out.shape.slice(), dtype });
      const { grads } = T.valueAndGrad((...ys: Tensor[]) => T.sum(T.mul(f(...ys), w)))(...xs);
      return { value: out, grads };
    }),
  );
  const result = { value: Array.from(await value.data()), grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))) };
  T.dispose([value, grads]);
  return result;
}

describe.skipIf(!hasGpu)("WebGPU matches the CPU float64 oracle on every gradient-table row", () => {
  for (const row of GRAD_TABLE) {
    if (ELSEWHERE.has(row.op)) continue;
    const tol = TOLERANCE[row.op] ?? DEFAULT_TOL;
    it(`${row.op} (atol ${tol.atol}, rtol ${tol.rtol})`, async () => {
      const domains: readonly Domain[] = typeof row.domain === "string" ? [row.domain] : row.domain;
      const arbitrary = row.cases.chain((c) =>
        fc.tuple(
          fc.constant(c),
          fc.tuple(...c.shapes.map((s, i) => domainValues(domains[Math.min(i, domains.length - 1)], s.reduce((a, b) => a * b, 1)))),
          fc.array(fc.integer({ min: -1024, max: 1024 }).map((k) => k / 1024), { minLength: 64, maxLength: 64 }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ([c, data, w]) => {
          const outSize = on("cpu", () => T.noGrad(() => row.fn(c.params)(...c.shapes.map((s) => T.zeros(s, { dtype: "float64" })))).size);
          const weights = Array.from({ length: outSize }, (_, i) => w[i % w.length]);
          const cpu = await evaluate("cpu", row, c.params, c.shapes, data, weights);
          const gpu = await evaluate("webgpu", row, c.params, c.shapes, data, weights);
          const where = `${row.op} shapes ${JSON.stringify(c.shapes)} params ${JSON.stringify(c.params)}`;
          expectClose(`${where} value`, gpu.value, cpu.value, tol.atol, tol.rtol);
          cpu.grads.forEach((g, i) => expectClose(`${where} grad ${i}`, gpu.grads[i], g, tol.atol, tol.rtol));
        }),
        { numRuns: RUNS, seed: PROPERTY_SEED, endOnFailure: true },
      );
    });
  }
});
