import { type CsrMatrix, density } from "@fcn/kron";
import { describe, expect, it } from "vitest";
import { type Config, type RunRecord, applyReadings, configHash, executeConfig, findExperiment, selectReadings } from "../src/index.js";
import { GRAPH_FAMILIES, buildGraph } from "../src/experiments/graphs.js";
import { EXP1_READINGS } from "../src/experiments/graphReadings.js";
import {
  densityEdgeBound, familyMinimumDensityContradiction, familyRecords, kroneckerDensityContradiction, kroneckerDiameterContradiction, sparseDiameterContradiction,
} from "../src/experiments/exp1Evidence.js";
import { accuracyCells, largestChanceTestSize } from "../src/experiments/attention.js";

async function run(id: string, config: Record<string, unknown>): Promise<RunRecord> {
  const record = await executeConfig(findExperiment(id), config as never, "quick");
  if (record.status !== "ok") throw new Error(record.error);
  return record;
}

/** Independent BFS eccentricity maximum (the oracle for Exp1's diameter). */
function bfsDiameter(g: CsrMatrix): number {
  let widest = 0;
  for (let s = 0; s < g.rows; s++) {
    const dist = new Array<number>(g.rows).fill(-1);
    dist[s] = 0;
    const queue = [s];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      for (let q = g.rowPointer[u]; q < g.rowPointer[u + 1]; q++) {
        const v = g.colIndex[q];
        if (dist[v] < 0) { dist[v] = dist[u] + 1; queue.push(v); }
      }
    }
    widest = Math.max(widest, ...dist);
  }
  return widest;
}

describe("exp1", () => {
  it("measures every family; the diameter equals a BFS over the same graph", async () => {
    for (const family of GRAPH_FAMILIES) {
      const r = await run("exp1", { family, depth: 5, noise: 1e-3, seed: 11 });
      const g = buildGraph(family, 5, 11);
      expect(r.metrics.diameter_largest_component).toBe(bfsDiameter(g));
      expect(r.metrics.density).toBeCloseTo(g.values.length / (32 * 31), 12);
      const staircase = r.metrics.staircase as number[];
      expect(staircase).toHaveLength(32);
      for (let i = 1; i < 32; i++) expect(staircase[i]).toBeGreaterThanOrEqual(staircase[i - 1]);
      expect(staircase[0]).toBeGreaterThan(-1e-9);
      expect(staircase[31]).toBeLessThanOrEqual(2 + 1e-9);
      // The number of zero eigenvalues of L is the number of components (isolated nodes included).
      expect(staircase.filter((v) => Math.abs(v) < 1e-8).length).toBe(r.metrics.components);
    }
  });

  it("the binarized Sierpinski power has 3^k − 1 stored entries; loops removed from K₀ first give a perfect matching", async () => {
    const r = await run("exp1", { family: "kronecker_deterministic", depth: 6, noise: 1e-3, seed: 1 });
    expect(r.metrics.stored_entries).toBe(3 ** 6 - 1);
    expect(r.metrics.density).toBe(density(buildGraph("kronecker_deterministic", 6, 1)));
    const loopFree = await run("exp1", { family: "kronecker_deterministic", depth: 6, noise: 1e-3, seed: 1, reading: { kroneckerBinarization: "initiatorLoops" } });
    expect(loopFree.metrics.stored_entries).toBe(2 ** 6);
    expect(loopFree.metrics.components).toBe(2 ** 5);
  });

  it("the Kronecker row's contradiction is computed: eq. 4 and the measured density and diameter of K₀^{⊗7}", async () => {
    const records = [
      await run("exp1", { family: "kronecker_deterministic", depth: 7, noise: 1e-3, seed: 1 }),
      await run("exp1", { family: "kronecker_deterministic", depth: 7, noise: 1e-3, seed: 1, reading: { kroneckerBinarization: "initiatorLoops" } }),
    ];
    expect(records[0].metrics.density).toBe((3 ** 7 - 1) / (128 * 127));
    expect(records[0].metrics.max_degree).toBe(127);
    const data = familyRecords(records, "kronecker_deterministic", EXP1_READINGS);
    const densityEvidence = kroneckerDensityContradiction(data, 0.0078, 7);
    expect(densityEvidence).toContain("= 0.1345");
    expect(densityEvidence).toContain("2,186 stored entries");
    expect(densityEvidence).toContain("at most 64 of the 8,128 possible edges (under either density reading)");
    expect(densityEvidence).toContain("kroneckerBinarization=initiatorLoops) has density 0.007874");
    // A printed density equal to eq. 4's is no contradiction.
    expect(kroneckerDensityContradiction(data, 0.1345, 2)).toBeUndefined();
    const diameterEvidence = kroneckerDiameterContradiction(data, 7, 0.0078);
    expect(diameterEvidence).toContain("D_k = k + 1 gives 8 at k = 7");
    expect(diameterEvidence).toContain("has diameter 2 in 1/1 runs");
  });

  it("a printed density below 2/N cannot go with a finite diameter; our ER graphs at that density are disconnected", async () => {
    // 0.00785 · 128² / 2 = 64.3 (the mean of A allows more edges than 2|E|/(N(N − 1)), which allows 63).
    expect(densityEdgeBound(0.0078, 128)).toEqual({ maxEdges: 64, pairs: 8128, belowConnected: true });
    expect(densityEdgeBound(0.0156, 128).belowConnected).toBe(false);
    const er = [101, 202].map((seed) => ({ family: "erdos_renyi", depth: 7, noise: 1e-3, seed }));
    const records = await Promise.all(er.map((c) => run("exp1", c)));
    const data = familyRecords(records, "erdos_renyi", EXP1_READINGS);
    expect(sparseDiameterContradiction(data, 5, 0.0078, "G(N, p)")).toContain("disconnected in 2/2 runs");
    expect(sparseDiameterContradiction(data, 5, 0.05, "G(N, p)")).toBeUndefined();
    const ba = familyRecords([await run("exp1", { family: "barabasi_albert", depth: 7, noise: 1e-3, seed: 3 })], "barabasi_albert", EXP1_READINGS);
    expect(ba.defaults[0].metrics.edges).toBe(127);
    expect(familyMinimumDensityContradiction(ba, 0.0078, 127, "BA")).toContain("at least 0.01563 (2|E|/(N(N − 1))) or 0.0155 (2|E|/N²)");
    expect(familyMinimumDensityContradiction(ba, 0.0156, 127, "BA")).toBeUndefined();
  });

  it("readings are part of the hash and change what is measured", async () => {
    const exp1 = findExperiment("exp1");
    const base: Config = { family: "barabasi_albert", depth: 7, noise: 1e-3, seed: 5 };
    const standard = applyReadings(exp1, [base], selectReadings(exp1, "standard"));
    expect(standard).toHaveLength(18); // baEdgesPerNode × spectralGap × densityDefinition
    expect(new Set(standard.map((c) => configHash("exp1", c))).size).toBe(18);
    const quick = applyReadings(exp1, [base], selectReadings(exp1, "quick"));
    expect(quick).toEqual([{ ...base, reading: { baEdgesPerNode: "1", spectralGap: "normalizedLaplacian", densityDefinition: "pairs" } }]);
    const complete = { family: "complete", depth: 7, noise: 1e-3, seed: 1 };
    expect((await run("exp1", { ...complete, reading: { spectralGap: "adjacency" } })).metrics.spectral_gap).toBeCloseTo(128, 9);
    expect((await run("exp1", complete)).metrics.spectral_gap).toBeCloseTo(128 / 127, 9);
    expect((await run("exp1", { ...base, reading: { baEdgesPerNode: "2" } })).metrics.edges).toBe(2 * 126);
    // A Watts–Strogatz graph with k = 2 keeps N edges: 2N/(N(N − 1)) = 0.01575 or, as the mean of A, 2N/N² = 0.015625.
    const ws = { family: "watts_strogatz", depth: 7, noise: 1e-3, seed: 2 };
    expect((await run("exp1", ws)).metrics.density).toBeCloseTo(256 / (128 * 127), 12);
    expect((await run("exp1", { ...ws, reading: { densityDefinition: "entries" } })).metrics.density).toBeCloseTo(256 / 128 ** 2, 12);
  });
});

describe("exp3", () => {
  it("records entropy and variance curves of the right length and bounds", async () => {
    for (const family of ["kronecker_deterministic", "complete", "watts_strogatz"]) {
      const r = await run("exp3", { family, depth: 5, alpha: 0.5, steps: 60, seed: 2 });
      const entropy = r.metrics.entropy as number[];
      expect(entropy).toHaveLength(61);
      expect(entropy[0]).toBe(0);
      for (const h of entropy) expect(h).toBeLessThanOrEqual(Math.log(32) + 1e-9);
      for (const v of r.metrics.global_variance as number[]) expect(v).toBeGreaterThanOrEqual(0);
      expect((r.metrics.total_variation as number[]).at(-1)).toBeLessThanOrEqual((r.metrics.total_variation as number[])[0]);
    }
    const complete = await run("exp3", { family: "complete", depth: 5, alpha: 0.5, steps: 60, seed: 2 });
    expect(complete.metrics.mixing_step_tv_0_01).not.toBeNull();
    expect(complete.metrics.distinct_timescales).toBe(1);
  });

  it("equilibration steps grow with the entropy threshold and match the entropy curve", async () => {
    const r = await run("exp3", { family: "kronecker_deterministic", depth: 7, alpha: 0.5, steps: 100, seed: 1 });
    const steps = [0.9, 0.95, 0.99].map((q) => r.metrics[`entropy_equilibration_step_${String(q).replace(".", "_")}`] as number);
    expect(steps[0]).toBeLessThanOrEqual(steps[1]);
    expect(steps[1]).toBeLessThanOrEqual(steps[2]);
    const entropy = r.metrics.entropy as number[];
    expect(entropy[steps[2]]).toBeGreaterThanOrEqual(0.99 * Math.log(128));
    expect(entropy[steps[2] - 1]).toBeLessThan(0.99 * Math.log(128));
  });
});

function attentionRecord(attention: string, seed: number, testAccuracy: number, testSize = 256): RunRecord {
  return {
    hash: `${attention}-${seed}`, experiment: "exp6", mode: "standard", seed, status: "ok", wallTimeMs: 1, engine: {}, finishedAt: "",
    machine: { platform: "linux", arch: "x64", cpus: 1, cpuModel: "test", node: "v20" },
    config: { attention, branching: 4, depth: 3, trainSize: 512, validationSize: 256, testSize, maxEpochs: 30, patience: 6, lrs: [0.003], batchSize: 32, model: 16, seed },
    metrics: {
      tokens: 64,
      test_accuracy: testAccuracy,
      test_size: testSize,
      test_majority_share: 0.5,
      validation_accuracy: 0.5,
      train_accuracy: 0.6,
      kept_epoch: 4,
      selected_lr: 0.003,
      raw_params: 4594,
      loss_curve: [0.7, 0.69],
      samples_per_second: 1000,
    },
  };
}

describe("exp6 and exp7", () => {
  it("the chance rule at our test size gives 'both at chance' for hand-made records, and a diagnosed miss when ours learned", () => {
    const atChance = [0.51, 0.49, 0.52].map((a, i) => attentionRecord("fractal", i, a));
    expect(String(accuracyCells(atChance, 0.539)[4])).toMatch(/^both at chance \(0.5 ± 0.063, two binomial SEs at 256 test examples\)/);
    const learned = [0.9, 0.92, 0.91].map((a, i) => attentionRecord("fractal", i, a));
    const verdict = String(accuracyCells(learned, 0.539)[4]);
    expect(verdict).toMatch(/^miss: ours: test 0.91/);
    expect(verdict).toContain("1.248 SEs from chance"); // |0.539 − 0.5| / (0.5/√256)
    // The same published figure is not at chance at a larger test set.
    expect(String(accuracyCells([0.5, 0.5].map((a, i) => attentionRecord("fractal", i, a, 1024)), 0.559)[4])).toMatch(/^miss/);
    expect(largestChanceTestSize(0.438)).toBe(260);
    const table = findExperiment("exp6").tables(["fractal", "dense"].flatMap((k) => [0.5, 0.48].map((a, i) => attentionRecord(k, i, a))));
    expect(table.tables[0].rows.map((r) => String(r[5]).split(" (")[0])).toEqual(["both at chance", "both at chance"]);
    expect(table.notes.join(" ")).toContain("2 of 4 runs score exactly their test split's majority-class share");
    expect(table.notes.join(" ")).toContain("above chance on the training split"); // train 0.6 at 512 sequences
  });

  it("a run selects the learning rate on validation and scores a separate test split", async () => {
    const config = { attention: "fractal", branching: 2, depth: 3, trainSize: 48, validationSize: 24, testSize: 40, maxEpochs: 2, patience: 2, lrs: [0.001, 0.03], batchSize: 16, model: 8, seed: 3 };
    const r = await run("exp7", config);
    expect(r.metrics.test_size).toBe(40);
    const losses = r.metrics.lr_grid_validation_loss as number[];
    expect(losses).toHaveLength(2);
    expect(r.metrics.selected_lr).toBe(config.lrs[losses.indexOf(Math.min(...losses))]);
    expect(r.metrics.validation_loss).toBeCloseTo(Math.min(...losses), 12);
    expect(Number(r.metrics.test_accuracy) * 40).toBeCloseTo(Math.round(Number(r.metrics.test_accuracy) * 40), 9);
  }, 60_000);

  it("standard mode uses the seed's learning-rate grid and a held-out test split; quick stays small", () => {
    for (const id of ["exp6", "exp7"]) {
      const e = findExperiment(id);
      const standard = e.grid("standard", [1])[0];
      expect(standard.lrs).toEqual([0.001, 0.003, 0.01, 0.03]);
      expect(standard.testSize).toBeGreaterThan(0);
      const quick = e.grid("quick", [1])[0];
      expect(Number(quick.trainSize) + Number(quick.validationSize) + Number(quick.testSize)).toBe(384);
      expect(e.estimate("standard")).toBeGreaterThan(e.estimate("quick"));
    }
  });
});
