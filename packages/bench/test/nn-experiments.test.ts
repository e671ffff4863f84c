import { describe, expect, it } from "vitest";
import { executeConfig, findExperiment } from "../src/index.js";
import { FAMILIES, frontier, paretoPoints, selectFrontier } from "../src/experiments/frontier.js";

describe("nn experiments (tiny smoke runs)", () => {
  it("exp8–exp11 train a model and report score and parameter counts", async () => {
    for (const [id, model, dataset] of [["exp8", "fractal_T5", "moons"], ["exp9", "dense_mlp", "sine"], ["exp10", "hsn", "circles"], ["exp11", "dense_p0.2", "moons"]]) {
      const config = { model, dataset, lr: 0.02, epochs: 2, trainSize: 64, validationSize: 32, batchSize: 32, seed: 1 };
      const r = await executeConfig(findExperiment(id), config, "quick");
      expect(r.status, r.error).toBe("ok");
      expect(r.metrics.raw_params).toBeGreaterThan(0);
      expect(r.metrics.effective_params as number).toBeLessThanOrEqual(r.metrics.raw_params as number);
      if (dataset === "sine") expect(r.metrics.score).toBeGreaterThanOrEqual(0);
      else expect((r.metrics.score as number) >= 0 && (r.metrics.score as number) <= 1).toBe(true);
    }
    const hsn = await executeConfig(findExperiment("exp10"), { model: "hsn", dataset: "moons", lr: 0.02, epochs: 1, trainSize: 64, validationSize: 32, batchSize: 32, seed: 2 }, "quick");
    expect(hsn.metrics.raw_params).toBe(897);
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
    expect(() => selectFrontier({ families: ["nope"] })).toThrow(/valid families: dense/);
    expect(() => selectFrontier({ datasets: ["mnist"] })).toThrow(/valid data sets: friedman1/);
    const r = await executeConfig(frontier, { dataset: "iris", family: "kronecker_reservoir", width: 8, epochs: 2, lr: 0.02, seed: 1 }, "quick");
    expect(r.status, r.error).toBe("ok");
    expect(r.metrics.task).toBe("multiclass");
  }, 60_000);
});
