import { describe, expect, it } from "vitest";
import { executeConfig, findExperiment } from "../src/index.js";
import { FAMILIES, frontier, frontierGrid, paretoPoints } from "../src/experiments/frontier.js";

describe("nn experiments (tiny smoke runs)", () => {
  it("exp8–exp11 train a model and report score and parameter counts", async () => {
    for (const [id, model, dataset] of [["exp8", "fractal_T5", "moons"], ["exp9", "dense_mlp", "sine"], ["exp10", "hsn", "circles"], ["exp11", "dense_p0.2", "moons"]]) {
      const config = { model, dataset, lr: 0.02, epochs: 2, trainSize: 64, validationSize: 32, testSize: 32, batchSize: 32, seed: 1 };
      const r = await executeConfig(findExperiment(id), config, "quick");
      expect(r.status, r.error).toBe("ok");
      expect(r.metrics.raw_params).toBeGreaterThan(0);
      expect(r.metrics.effective_params as number).toBeLessThanOrEqual(r.metrics.raw_params as number);
      if (dataset === "sine") expect(r.metrics.score).toBeGreaterThanOrEqual(0);
      else expect((r.metrics.score as number) >= 0 && (r.metrics.score as number) <= 1).toBe(true);
    }
    const hsn = await executeConfig(findExperiment("exp10"), { model: "hsn", dataset: "moons", lr: 0.02, epochs: 1, trainSize: 64, validationSize: 32, testSize: 32, batchSize: 32, seed: 2 }, "quick");
    expect(hsn.metrics.raw_params).toBe(897);
    const matched = await executeConfig(
      findExperiment("exp11"),
      { model: "dense_matched_p0.2", dataset: "moons", lr: 0.02, epochs: 1, trainSize: 64, validationSize: 32, testSize: 32, batchSize: 32, seed: 2 },
      "quick",
    );
    expect(matched.metrics.raw_params as number).toBeLessThanOrEqual(897);
    expect(matched.metrics.raw_params as number).toBeGreaterThan(700);
  }, 60_000);

  it("exp6 and exp7 train 2-layer transformers on hierarchical parity", async () => {
    for (const [id, attention, branching, depth] of [["exp6", "fractal", 4, 2], ["exp7", "dense", 2, 3]] as const) {
      const r = await executeConfig(
        findExperiment(id),
        { attention, branching, depth, trainSize: 32, validationSize: 16, testSize: 16, maxEpochs: 1, patience: 1, lrs: [0.003], batchSize: 32, model: 8, seed: 1 },
        "quick",
      );
      expect(r.status, r.error).toBe("ok");
      expect(r.metrics.tokens).toBe(branching ** depth);
      expect((r.metrics.loss_curve as number[]).length).toBe(1);
      expect((r.metrics.test_accuracy as number) >= 0 && (r.metrics.test_accuracy as number) <= 1).toBe(true);
    }
    // Fractal attention's learned factors are k·m² per layer: fewer parameters than dense attention at the same width.
    const f = await executeConfig(
      findExperiment("exp6"),
      { attention: "fractal", branching: 4, depth: 2, trainSize: 16, validationSize: 8, testSize: 8, maxEpochs: 0, patience: 1, lrs: [0.003], batchSize: 32, model: 8, seed: 1 },
      "quick",
    );
    const d = await executeConfig(
      findExperiment("exp6"),
      { attention: "dense", branching: 4, depth: 2, trainSize: 16, validationSize: 8, testSize: 8, maxEpochs: 0, patience: 1, lrs: [0.003], batchSize: 32, model: 8, seed: 1 },
      "quick",
    );
    expect(f.metrics.raw_params as number).toBeLessThan(d.metrics.raw_params as number);
  }, 60_000);

  it("the scale study times factor-wise and dense circulation and attention paths", async () => {
    const scale = findExperiment("scale");
    for (const config of [
      { part: "circulation", method: "factorwise", size: 256, repeats: 1, seed: 1 },
      { part: "circulation", method: "dense", size: 256, repeats: 1, seed: 1 },
      { part: "attention", method: "streaming", size: 64, repeats: 1, seed: 1 },
      { part: "attention", method: "factored", size: 64, repeats: 1, seed: 1 },
    ]) {
      const r = await executeConfig(scale, config, "quick");
      expect(r.status, r.error).toBe("ok");
      expect((r.metrics.ms_per_step ?? r.metrics.ms_per_forward) as number).toBeGreaterThan(0);
    }
    expect(scale.grid("quick", [1]).some((c) => c.part === "circulation" && c.size === 2 ** 16)).toBe(true);
    expect(scale.grid("quick", [1]).some((c) => c.part === "attention" && c.size === 4096)).toBe(true);
  }, 60_000);

  it("the frontier covers 14 data sets and every family; Pareto points are non-dominated", async () => {
    const grid = frontier.grid("full", [1]);
    expect(new Set(grid.map((c) => c.dataset)).size).toBe(14);
    expect(new Set(grid.map((c) => c.family))).toEqual(new Set(Object.keys(FAMILIES)));
    const points = paretoPoints([
      { family: "a", width: 1, effectiveParams: 10, rawParams: 10, score: 0.5, std: 0, seeds: 1 },
      { family: "b", width: 1, effectiveParams: 20, rawParams: 20, score: 0.4, std: 0, seeds: 1 },
      { family: "c", width: 1, effectiveParams: 30, rawParams: 30, score: 0.9, std: 0, seeds: 1 },
      { family: "d", width: 1, effectiveParams: 30, rawParams: 30, score: 0.8, std: 0, seeds: 1 },
    ], false);
    expect(points.filter((p) => p.pareto).map((p) => p.family)).toEqual(["a", "c"]);
    expect(paretoPoints(points, true).filter((p) => p.pareto).map((p) => p.family)).toEqual(["a", "b"]);
    expect(() => frontierGrid("quick", [1], { families: ["nope"] })).toThrow(/valid families: dense/);
    expect(() => frontierGrid("quick", [1], { datasets: ["mnist"] })).toThrow(/valid data sets: friedman1/);
    // The options narrow the grid (standard mode: the chosen ones at every width instead of the published subset).
    const narrowed = frontierGrid("standard", [1, 2], { datasets: ["sine"], families: ["dense", "hsn"] });
    expect(new Set(narrowed.map((c) => `${c.dataset}/${c.family}`))).toEqual(new Set(["sine/dense", "sine/hsn"]));
    expect(narrowed.length).toBe((FAMILIES.dense.widths.length + FAMILIES.hsn.widths.length) * 2);
    expect(frontierGrid("standard", [1])).toEqual(frontier.grid("standard", [1]));
    const r = await executeConfig(frontier, { dataset: "iris", family: "kronecker_reservoir", width: 8, epochs: 2, lr: 0.02, seed: 1 }, "quick");
    expect(r.status, r.error).toBe("ok");
    expect(r.metrics.task).toBe("multiclass");
  }, 60_000);
});
