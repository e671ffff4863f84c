import { kron, createRandom, zeros, type Matrix } from "@fcn/kron";
import { delayedInput } from "@fcn/data";
import { describe, expect, it } from "vitest";
import { type RunRecord, executeConfig, findExperiment, planJobs } from "../src/index.js";
import { attentionPattern, kroneckerError, parameterRatio } from "../src/experiments/exp2.js";
import { rescaledSnrDb, scalePart, signalOperator } from "../src/experiments/exp4.js";
import { zeroCrossing } from "../src/experiments/exp5.js";
import { nearestKroneckerFactors } from "../src/experiments/kroneckerFactors.js";
import { inputGradient, learnInputWeights } from "../src/experiments/learnedInput.js";
import { kroneckerProductCounts, nnzEvidence } from "../src/experiments/reservoirNnz.js";
import { inputWeights, lyapunovExponents, memoryCapacity, reservoirStates, reservoirWeights, ridgeReadout } from "../src/experiments/reservoir.js";

async function run(id: string, config: Record<string, unknown>): Promise<RunRecord> {
  const record = await executeConfig(findExperiment(id), config as never, "quick");
  if (record.status !== "ok") throw new Error(record.error);
  return record;
}

function randomMatrix(n: number, seed: number): Matrix {
  const random = createRandom(seed);
  const m = zeros(n, n);
  for (let q = 0; q < n * n; q++) m.data[q] = random.normal();
  return m;
}

describe("readings are part of the configuration hash", () => {
  it("a different value of each exp2/exp4/exp5 reading gives a different hash", () => {
    for (const id of ["exp2", "exp4", "exp5"]) {
      const e = findExperiment(id);
      for (const reading of e.readings ?? []) {
        const jobs = planJobs([e], "quick", [1], undefined, "cpu", { [reading.id]: Object.keys(reading.values) });
        const applicable = jobs.filter((j) => (reading.appliesTo?.(j.config) ?? true));
        const hashes = new Set(applicable.map((j) => j.hash));
        expect(hashes.size).toBe(applicable.length);
        expect(applicable.length).toBeGreaterThanOrEqual(Object.keys(reading.values).length);
      }
    }
  });
});

describe("exp2: k-factor nearest Kronecker product", () => {
  it("an exact 3-factor product is recovered to round-off; ALS never increases the residual", () => {
    const factors = [4, 4, 4].map((m, i) => randomMatrix(m, 10 + i));
    const a = kron(...factors);
    const fit = nearestKroneckerFactors(a, [4, 4, 4]);
    expect(fit.relativeError).toBeLessThan(1e-9);
    const noisy = attentionPattern("local_window", 4, 3, 2);
    const r = nearestKroneckerFactors(noisy, [4, 4, 4], { restarts: 0 });
    for (let i = 1; i < r.history.length; i++) expect(r.history[i]).toBeGreaterThanOrEqual(r.history[i - 1] - 1e-12);
  });
  it("the 3-factor error is never below either 2-factor split's (every 3-factor product is a 2-factor one)", () => {
    for (const p of ["multi_scale_block", "causal_hierarchical", "local_window", "random_noise"] as const) {
      const a = attentionPattern(p, 4, 3, 7);
      const three = kroneckerError(a, 4, 3, "k");
      const two = kroneckerError(a, 4, 3, "2");
      expect(three).toBeGreaterThanOrEqual(two - 1e-12);
      expect(three).toBeLessThan(1);
    }
  });
  it("the factor-count reading changes the compared error; eq. 10 is m^{2(k−1)}/k", async () => {
    const k = await run("exp2", { pattern: "local_window", branching: 4, depth: 3, seed: 5, reading: { kroneckerFactors: "k" } });
    const two = await run("exp2", { pattern: "local_window", branching: 4, depth: 3, seed: 5, reading: { kroneckerFactors: "2" } });
    expect(k.metrics.relative_error).toBe(k.metrics.relative_error_kfactor);
    expect(two.metrics.relative_error).toBe(two.metrics.relative_error_2factor_coarse);
    expect(k.metrics.relative_error as number).toBeGreaterThan((two.metrics.relative_error as number) + 1e-3);
    const exact = await run("exp2", { pattern: "exact_kronecker", branching: 4, depth: 3, seed: 5 });
    expect(exact.metrics.relative_error).toBeLessThan(1e-9);
    expect((exact.metrics.sweep_errors as number[]).every((e) => e < 1e-9)).toBe(true);
    expect(parameterRatio(2, 7)).toEqual({ n: 128, dense: 16384, kronecker: 28, ratio: 16384 / 28 });
  });
});

describe("exp4: SNR per scale", () => {
  it("the rescaled-component SNR of a hand-made case", () => {
    // v = 3·c + e with e ⟂ c and ‖e‖ = ‖c‖: signal 9‖c‖² over noise ‖e‖², SNR = 10·log10(9).
    const c = Float64Array.from([1, 1, -1, -1]);
    const e = Float64Array.from([1, -1, 1, -1]);
    const v = c.map((x, i) => 3 * x + e[i]);
    expect(rescaledSnrDb(v, c)).toBeCloseTo(10 * Math.log10(9), 10);
    // Scaling the signal does not change it; the clean component itself gives +∞.
    expect(rescaledSnrDb(v.map((x) => -7 * x), c)).toBeCloseTo(10 * Math.log10(9), 10);
    expect(rescaledSnrDb(c, c)).toBe(Infinity);
  });
  it("the block-average Kronecker operator raises the coarse SNR under the component reading; operators are matched", async () => {
    const r = await run("exp4", { operator: "kronecker", signals: 64, seed: 4, reading: { snrDefinition: "component", kroneckerWeights: "block_average", noiseLevel: "1" } });
    expect(r.metrics.snr_gain_coarse as number).toBeGreaterThan(3);
    const mats = (["kronecker", "dense_random", "random_sparse", "local_band"] as const).map((o) => signalOperator(o, 9));
    const nnz = mats.map((m) => m.data.filter((v) => v !== 0).length);
    expect(nnz[0]).toBe(1000);
    expect(nnz[2]).toBe(1000);
    for (const m of mats) expect(Math.hypot(...m.data)).toBeCloseTo(Math.hypot(...mats[0].data), 10);
    const v = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i) + i / 7);
    const parts = [0, 1, 2].map((s) => scalePart(v, s));
    for (let i = 0; i < 64; i++) expect(parts[0][i] + parts[1][i] + parts[2][i]).toBeCloseTo(v[i], 12);
  });
});

describe("exp5: reservoir", () => {
  it("Benettin's method recovers ln ρ for the undriven linearization; zero crossing interpolates", () => {
    const { weights } = reservoirWeights("dense", 4, 0.6, 3);
    const exponents = lyapunovExponents(weights, new Float64Array(16), new Float64Array(1200), 0, 2);
    expect(exponents[0]).toBeCloseTo(Math.log(0.6), 1);
    expect(zeroCrossing([{ radius: 1, value: -1 }, { radius: 2, value: 1 }])).toBe(1.5);
    expect(zeroCrossing([{ radius: 1, value: -1 }])).toBeNull();
  });
  it("masks: Sierpinski count, or the requested random-sparse count; MC lies in [0, maxDelay]", () => {
    const k = reservoirWeights("kronecker", 5, 0.9, 1);
    expect(k.nonzeros).toBe(3 ** 5 - 1);
    expect(reservoirWeights("random_sparse", 5, 0.9, 1).nonzeros).toBe(k.nonzeros);
    expect(reservoirWeights("random_sparse", 5, 0.9, 1, 300).nonzeros).toBe(300);
    const mc = memoryCapacity(k.weights, inputWeights(32, 1), { samples: 500, washout: 50, maxDelay: 64, ridge: 1e-6, testShare: 0.2, seed: 1 });
    expect(mc.perDelay[0]).toBeGreaterThan(0.5);
    expect(mc.total).toBeLessThanOrEqual(64);
  });
  it("7,056 is not reachable by the seed's constructions at N = 128, while 2,186 is", () => {
    expect(kroneckerProductCounts(7).has(2186)).toBe(true);
    expect(nnzEvidence(2186, 7).matches).toBe(true);
    expect(nnzEvidence(7056, 7).matches).toBe(false);
  });
  it("the W_in gradient matches finite differences", () => {
    const { weights } = reservoirWeights("dense", 3, 0.9, 2);
    const data = delayedInput({ n: 120, maxDelay: 4, seed: 2 });
    const task = { inputs: data.x.data, targets: data.y.data, outputs: 4, washout: 20, train: 60, validation: 40, ridge: 1e-9 };
    const win = inputWeights(8, 2, 1);
    const lossAt = (w: Float64Array) => learnInputWeights(weights, w, task, 0).trainLoss[0];
    const h = 1e-6;
    const numeric = Array.from(win, (_, i) => {
      const plus = Float64Array.from(win); plus[i] += h;
      const minus = Float64Array.from(win); minus[i] -= h;
      return (lossAt(plus) - lossAt(minus)) / (2 * h);
    });
    const analytic = gradientAt(weights, win, task);
    for (let i = 0; i < 8; i++) expect(Math.abs(analytic[i] - numeric[i])).toBeLessThan(1e-6 + 1e-4 * Math.abs(numeric[i]));
  });
  it("learning W_in improves the delay-task fit over the fixed draw on a tiny reservoir", async () => {
    const base = { part: "memory", structure: "dense", depth: 4, radius: 0.95, steps: 1500, count: 32, iterations: 6, seed: 3 };
    const fixed = await run("exp5", { ...base, reading: { inputScale: "1", inputWeights: "fixed" } });
    const learned = await run("exp5", { ...base, reading: { inputScale: "1", inputWeights: "learned" } });
    const train = learned.metrics.train_loss as number[];
    expect(train.at(-1)!).toBeLessThan(train[0]);
    expect(learned.metrics.memory_capacity as number).toBeGreaterThan(fixed.metrics.memory_capacity as number);
  }, 30_000);
});

function gradientAt(weights: Matrix, win: Float64Array, task: Parameters<typeof inputGradient>[1]): Float64Array {
  const d = weights.rows + 1;
  const end = task.washout + task.train + task.validation;
  const states = reservoirStates(weights, win, task.inputs, end);
  const beta = ridgeReadout(states, d, task.targets, task.outputs, task.washout, task.washout + task.train, task.ridge);
  return inputGradient(weights, task, { states, beta, trainLoss: 0, validationLoss: 0 });
}
