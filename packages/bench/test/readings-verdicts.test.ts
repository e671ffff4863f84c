import { describe, expect, it } from "vitest";
import {
  applyReadings, type Config, configHash, type Experiment, findExperiment, judge, parseReadingOptions, planJobs, type Reading, readingOf,
  type RunRecord, selectReadings, UnitsError, verdictCells, verdictSummary,
} from "../src/index.js";
import { regressionUnits } from "../src/experiments/training.js";

const labels: Reading = {
  id: "labels", values: { a: "first", b: "second" }, default: "a", basis: "the seed says so",
  appliesTo: (c: Config) => c.dataset === "roll",
};
const toy: Experiment = {
  id: "toy", title: "toy", seedRef: "—", estimate: () => 0, readings: [labels],
  grid: (_m, seeds) => seeds.flatMap((seed) => ["roll", "ring"].map((dataset) => ({ dataset, seed }))),
  run: () => ({}), tables: () => ({ tables: [], plots: [], notes: [] }),
};

describe("readings", () => {
  it("expand only the configurations they apply to, and quick mode runs the default only", () => {
    expect(selectReadings(toy, "quick")).toEqual({ labels: ["a"] });
    expect(selectReadings(toy, "standard")).toEqual({ labels: ["a", "b"] });
    const configs = applyReadings(toy, toy.grid("standard", [1]), selectReadings(toy, "standard"));
    expect(configs).toEqual([{ dataset: "roll", seed: 1, reading: { labels: "a" } }, { dataset: "roll", seed: 1, reading: { labels: "b" } }, { dataset: "ring", seed: 1 }]);
    expect(readingOf(configs[1], labels)).toBe("b");
    expect(readingOf(configs[2], labels)).toBe("a");
  });
  it("are part of the configuration hash", () => {
    const jobs = planJobs([toy], "standard", [1]);
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.hash)).size).toBe(3);
    expect(jobs[0].hash).toBe(configHash("toy", { dataset: "roll", seed: 1, reading: { labels: "a" } }));
    expect(jobs[0].hash).not.toBe(configHash("toy", { dataset: "roll", seed: 1 }));
  });
  it("--reading selects values and rejects unknown ids and values", () => {
    expect(parseReadingOptions(["labels=b", "labels=a,b"])).toEqual({ labels: ["b", "a", "b"] });
    expect(planJobs([toy], "quick", [1], undefined, "cpu", { labels: ["b"] }).map((j) => j.config.reading)).toEqual([{ labels: "b" }, undefined]);
    expect(() => planJobs([toy], "quick", [1], undefined, "cpu", { labels: ["c"] })).toThrow(/unknown value "c"; valid values: a, b/);
    expect(() => planJobs([toy], "quick", [1], undefined, "cpu", { label: ["a"] })).toThrow(/--reading label: no selected experiment/);
    expect(() => parseReadingOptions(["labels"])).toThrow(/id=value/);
  });
  it("the nn experiments read the Swiss-roll labelling and the regression units from the configuration", () => {
    const exp10 = findExperiment("exp10");
    const jobs = planJobs([exp10], "standard", [1]);
    const swiss = jobs.filter((j) => j.config.dataset === "swissRoll" && j.config.model === "cen_H512");
    expect(swiss.map((j) => (j.config.reading as Record<string, string>).swissRollLabels).sort()).toEqual(["arms", "arms", "halves", "halves"]);
    const hsn = jobs.filter((j) => j.config.dataset === "circles" && j.config.model === "hsn");
    expect(hsn.map((j) => (j.config.reading as Record<string, string>).hsnDgDensity).sort()).toEqual(["dense", "dense", "sparse", "sparse"]);
    expect(jobs.filter((j) => j.config.dataset === "circles" && j.config.model === "dense_mlp").every((j) => j.config.reading === undefined)).toBe(true);
  });
});

describe("verdicts", () => {
  const ours = (values: number[], label = "") => ({ label, values });
  it("reproduced, reproduced under another reading, or a miss with its diagnosis", () => {
    expect(judge({ published: 0.98, ours: ours([0.975, 0.985]) }).kind).toBe("reproduced");
    const v = judge({ published: 0.977, ours: ours([0.64, 0.62]), others: [ours([0.9, 0.91], "x=far"), ours([0.976, 0.978], "x=near")] });
    expect(v).toMatchObject({ kind: "reproduced under reading", reading: "x=near" });
    expect(judge({ published: 0.977, ours: ours([0.64, 0.62]), diagnosis: "underfits" }).text).toBe("miss: underfits");
    expect(judge({ published: 0.977, ours: ours([0.64, 0.62]) }).text).toBe("miss: undiagnosed");
  });
  it("a contradiction of the seed's definitions wins over agreement", () => {
    expect(judge({ published: 7, ours: ours([7]), contradiction: "eq. 4 gives 0.1345" }).kind).toBe("contradicts the seed's own definitions");
  });
  it("chance rule: both within two binomial standard errors of chance, and only then", () => {
    // 2·sqrt(0.25/96) = 0.102
    expect(judge({ published: 0.539, ours: ours([0.51, 0.5]), chance: { level: 0.5, testSize: 96 } }).kind).toBe("both at chance");
    expect(judge({ published: 0.75, ours: ours([0.51, 0.5]), chance: { level: 0.5, testSize: 96 }, diagnosis: "d" }).kind).toBe("miss");
    expect(judge({ published: 0.539, ours: ours([0.9, 0.91]), chance: { level: 0.5, testSize: 96 }, diagnosis: "d" }).kind).toBe("miss");
    // A bigger test set narrows the band: 2·sqrt(0.25/10000) = 0.01.
    expect(judge({ published: 0.539, ours: ours([0.5]), chance: { level: 0.5, testSize: 10_000 }, diagnosis: "d" }).kind).toBe("miss");
  });
  it("units rule: a figure is never compared across units; converted MSEs compare", () => {
    expect(() => judge({ published: 0.417, unit: "raw", ours: { label: "", values: [0.85], unit: "standardized" } })).toThrow(UnitsError);
    // Standardized MSE 0.85 with var(y) = 0.51 is 0.4335 in units of y².
    const { testMseRaw } = regressionUnits(0.85, "standardized", 0.51);
    expect(testMseRaw).toBeCloseTo(0.4335, 12);
    expect(regressionUnits(0.4335, "raw", 0.51).testMseStandardized).toBeCloseTo(0.85, 12);
    expect(judge({ published: 0.417, unit: "raw", ours: { label: "", values: [testMseRaw, 0.40], unit: "raw" } }).kind).toBe("reproduced");
  });
});

function record(dataset: string, model: string, score: number, seed: number, reading?: Record<string, string>): RunRecord {
  return {
    hash: `${dataset}${model}${seed}${JSON.stringify(reading)}`, experiment: "exp10", mode: "standard", seed, status: "ok", wallTimeMs: 1, engine: {}, finishedAt: "",
    machine: { platform: "linux", arch: "x64", cpus: 2, cpuModel: "cpu", node: "v20" },
    config: { model, dataset, lr: 0.01, epochs: 100, trainSize: 512, validationSize: 256, testSize: 256, batchSize: 64, seed, ...(reading ? { reading } : {}) },
    metrics: { task: "binary", score, val_score: score, train_score: score, raw_params: 513, effective_params: 513, train_seconds: 1, best_epoch: 50 },
  };
}

describe("the report groups by reading", () => {
  it("shows the default reading's figure, the other readings beside it, and a verdict from all of them", () => {
    const exp10 = findExperiment("exp10");
    const records = [101, 202, 303].flatMap((seed, i) => [
      record("swissRoll", "cen_H512", 0.62 + i / 100, seed, { swissRollLabels: "arms" }),
      record("swissRoll", "cen_H512", 0.975 + i / 500, seed, { swissRollLabels: "halves" }),
    ]);
    const section = exp10.tables(records);
    const table = section.tables[0];
    const row = table.rows.find((r) => r[0] === "swissRoll" && r[1] === "cen_H512")!;
    const at = (name: string) => row[table.columns.indexOf(name)];
    expect(at("reading")).toBe("swissRollLabels=halves");
    expect(String(at("ours under other readings"))).toMatch(/^swissRollLabels=arms: 0\.63 ± 0\.01/);
    expect(at("verdict")).toBe("reproduced");
    // Swap the figures: the default misses, the other reading reproduces.
    const swapped = records.map((r) => ({ ...r, metrics: { ...r.metrics, score: (r.config.reading as Record<string, string>).swissRollLabels === "arms" ? 0.977 : 0.62 } }));
    const again = exp10.tables(swapped).tables[0];
    const cell = again.rows.find((r) => r[0] === "swissRoll" && r[1] === "cen_H512")![again.columns.indexOf("verdict")];
    expect(cell).toBe("reproduced under reading swissRollLabels=arms");
    const verdicts = verdictCells("exp10", exp10.tables(swapped));
    expect(verdicts.map((v) => v.kind)).toEqual(["reproduced under reading"]);
    const summary = verdictSummary(verdicts).join("\n");
    expect(summary).toMatch(/- reproduced under reading: 1/);
    expect(summary).toMatch(/Every miss has a diagnosis/);
  });
});

describe("published sampling error", () => {
  it("an accuracy measured on n points carries its binomial standard error", () => {
    // √(0.984·0.016/256) = 0.00784: 0.9922 is 0.0082 away — a miss; 0.991 is inside.
    const base = { published: 0.984, publishedSampleSize: 256, diagnosis: "d" };
    expect(judge({ ...base, ours: { label: "", values: [0.9922] } }).kind).toBe("miss");
    expect(judge({ ...base, ours: { label: "", values: [0.991] } }).kind).toBe("reproduced");
    expect(judge({ published: 0.984, diagnosis: "d", ours: { label: "", values: [0.991] } }).kind).toBe("miss");
  });
});

describe("verify", () => {
  it("reruns stored records and names the metrics that changed, leaving measured ones out", async () => {
    const { differingMetrics, isMeasuredMetric, sampleRecords, verifyRecords, executeConfig } = await import("../src/index.js");
    expect(isMeasuredMetric("train_seconds")).toBe(true);
    expect(isMeasuredMetric("ms_per_step")).toBe(true);
    expect(isMeasuredMetric("score")).toBe(false);
    expect(isMeasuredMetric("trainImagesPerSecond")).toBe(true);
    expect(isMeasuredMetric("warmupStepMs")).toBe(true);
    expect(isMeasuredMetric("peak_extra_mb")).toBe(true);
    expect(isMeasuredMetric("items")).toBe(false);
    expect(isMeasuredMetric("finalTestAccuracy")).toBe(false);
    expect(differingMetrics({ score: 1, train_seconds: 2, curve: [1, 2] }, { score: 1, train_seconds: 3, curve: [1, 2] })).toEqual([]);
    expect(differingMetrics({ score: 1, curve: [1, 2] }, { score: 1, curve: [1, 3] })).toEqual(["curve"]);
    let shift = 0;
    const exp: Experiment = {
      id: "det", title: "det", seedRef: "—", estimate: () => 0, grid: (_m, seeds) => seeds.map((seed) => ({ seed })),
      run: (c) => ({ value: c.seed * 2 + shift, elapsed_seconds: Math.random() }), tables: () => ({ tables: [], plots: [], notes: [] }),
    };
    const records = await Promise.all([1, 2, 3, 4].map((seed) => executeConfig(exp, { seed }, "quick")));
    expect(sampleRecords(records, 2).map((r) => r.seed)).toEqual(sampleRecords(records, 2).map((r) => r.seed));
    expect(sampleRecords(records, 2)).toHaveLength(2);
    const same = await verifyRecords([exp], records);
    expect(same).toMatchObject({ checked: 4, identical: 4, mismatches: [] });
    shift = 1; // the code changed: every value moves
    const changed = await verifyRecords([exp], records);
    expect(changed.identical).toBe(0);
    expect(changed.mismatches.map((m) => m.metric)).toEqual(["value", "value", "value", "value"]);
    expect(changed.mismatches[0]).toMatchObject({ stored: records[0].metrics.value, rerun: (records[0].metrics.value as number) + 1 });
  });
});

describe("wide spreads", () => {
  it("a figure reproduced only through a wide spread over seeds says so, with the range", () => {
    const wide = judge({ published: 0.984, publishedSampleSize: 256, ours: { label: "", values: [0.71, 0.99, 0.99, 0.98, 0.975] } });
    expect(wide.kind).toBe("reproduced");
    expect(wide.text).toBe("reproduced, within a wide spread over seeds (0.71–0.99; 3 of 5 within the published figure's own tolerance)");
    expect(judge({ published: 0.984, publishedSampleSize: 256, ours: { label: "", values: [0.98, 0.99, 0.985] } }).text).toBe("reproduced");
  });
});

describe("ordinary scatter", () => {
  it("a few seeds' scatter around a figure printed to many digits is not called wide", () => {
    // Digits, dense h = 8: 0.9217 ± 0.0041 against 0.923 printed to three decimals.
    expect(judge({ published: 0.923, ours: { label: "", values: [0.9167, 0.9206, 0.9222, 0.9211, 0.9278] } }).text).toBe("reproduced");
  });
});

describe("diagnoses read off the records", () => {
  const rec = (score: number, train: number, best = 50): RunRecord => ({ ...record("moons", "hsn", score, 1), metrics: { task: "binary", score, train_score: train, best_epoch: best } });
  it("names underfitting, a generalization gap, a late best epoch and which side is better", async () => {
    const { diagnoseMiss } = await import("../src/experiments/diagnosis.js");
    expect(diagnoseMiss([rec(0.8, 0.81), rec(0.82, 0.8)], 0.97, false)).toMatch(/^underfits: train accuracy 0\.805 is already below the published 0\.97/);
    expect(diagnoseMiss([rec(0.9, 0.99), rec(0.91, 1)], 0.97, false)).toMatch(/generalization gap: train accuracy 0\.995 vs test 0\.905/);
    expect(diagnoseMiss([rec(0.99, 0.99, 99), rec(0.99, 0.99, 98)], 0.97, false)).toMatch(/^ours is better than published.*validation loss still falling at the end in 2\/2 seeds/);
  });
});
