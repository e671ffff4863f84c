import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Config, type Experiment, compare, configHash, executeConfig, mergeResults, parseShard, planJobs, readRecords,
  recordsToCsv, runSweep, shardOf, stableStringify, summarize, findExperiment, selectExperiments, buildProgram, MergeError,
} from "../src/index.js";

const folders: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-bench-"));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

interface ToyConfig extends Config { readonly x: number; readonly behaviour: "ok" | "throw" | "nan" }

function toy(calls: number[] = []): Experiment<ToyConfig> {
  return {
    id: "toy", title: "toy", seedRef: "—", estimate: () => 0,
    grid: (_mode, seeds) => seeds.flatMap((seed) => [1, 2, 3, 4, 5, 6].map((x) => ({ x, seed, behaviour: x === 5 ? "throw" : x === 6 ? "nan" : "ok" } as ToyConfig))),
    run(config) {
      calls.push(config.x);
      if (config.behaviour === "throw") throw new RangeError(`bad x ${config.x}`);
      return { value: config.behaviour === "nan" ? Number.NaN : config.x * config.seed, curve: [config.x, config.seed] };
    },
    tables: () => ({ tables: [], plots: [], notes: [] }),
  };
}

describe("hashing", () => {
  it("stable JSON sorts keys at every level and rejects non-finite numbers", () => {
    expect(stableStringify({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(() => stableStringify({ a: Number.NaN })).toThrow(/JSON/);
  });
  it("config hash ignores key order and depends on the experiment and every value", () => {
    const a = configHash("e", { seed: 1, b: 2, a: 1 });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash("e", { a: 1, b: 2, seed: 1 })).toBe(a);
    expect(configHash("f", { a: 1, b: 2, seed: 1 })).not.toBe(a);
    expect(configHash("e", { a: 1, b: 3, seed: 1 })).not.toBe(a);
  });
  it("shards partition hashes and parse i/n", () => {
    expect(parseShard("1/3")).toEqual({ index: 1, count: 3 });
    expect(() => parseShard("3/3")).toThrow();
    expect(() => parseShard("x")).toThrow(/i\/n/);
    const h = configHash("e", { seed: 5 });
    expect(shardOf(h, 4)).toBeGreaterThanOrEqual(0);
    expect(shardOf(h, 4)).toBeLessThan(4);
  });
});

describe("statistics", () => {
  it("summarizes with sample std and a t interval", () => {
    const s = summarize([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(s.ci95).toBeCloseTo((3.182 * Math.sqrt(5 / 3)) / 2, 10);
    expect(summarize([7]).ci95).toBe(0);
  });
  it("compares within the larger of our std, the published std and the printed rounding", () => {
    expect(compare(summarize([0.13447]), 0.13).withinSpread).toBe(true);
    expect(compare(summarize([0.1345]), 0.0078).withinSpread).toBe(false);
    expect(compare(summarize([1.4, 1.6]), 1).withinSpread).toBe(true); // printed "1": ±0.5
    expect(compare(summarize([1.4, 1.6]), 1, 0, 1).withinSpread).toBe(false); // printed "1.0"
    expect(compare(summarize([5.0]), 6.8, 1.2).withinSpread).toBe(false);
    expect(compare(summarize([5.7]), 6.8, 1.2).withinSpread).toBe(true);
  });
});

describe("sweeps", () => {
  it("records throws and NaN as failures and goes on; records are written atomically", async () => {
    const out = temp();
    const { records } = await runSweep([toy() as unknown as Experiment], { mode: "quick", seeds: [1, 2], out, workers: 1 });
    expect(records).toHaveLength(12);
    const failed = records.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.config.x).sort()).toEqual([5, 5, 6, 6]);
    expect(failed.find((r) => r.config.x === 5)?.error).toMatch(/RangeError: bad x 5/);
    expect(failed.find((r) => r.config.x === 6)?.error).toMatch(/non-finite metric: value = NaN/);
    const files = readdirSync(join(out, "toy"));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(files.sort()).toEqual(records.map((r) => `${r.hash}.json`).sort());
    const onDisk = readRecords(out, "toy");
    expect(onDisk.find((r) => r.config.x === 3 && r.seed === 2)?.metrics.value).toBe(6);
    expect(onDisk[0].machine.cpus).toBeGreaterThan(0);
    expect(onDisk[0].engine["@fcn/bench"]).toBeDefined();
  });

  it("--resume skips configurations whose record exists", async () => {
    const out = temp();
    await runSweep([toy() as unknown as Experiment], { mode: "quick", seeds: [1], out, workers: 1 });
    rmSync(join(out, "toy", `${configHash("toy", { x: 2, seed: 1, behaviour: "ok" })}.json`));
    const calls: number[] = [];
    const { records, skipped } = await runSweep([toy(calls) as unknown as Experiment], { mode: "quick", seeds: [1], out, workers: 1, resume: true });
    expect(calls).toEqual([2]);
    expect(records).toHaveLength(1);
    expect(skipped).toBe(5);
  });

  it("the union of n shards equals the unsharded run, and merge detects duplicates and conflicts", async () => {
    const experiments = [toy() as unknown as Experiment];
    const whole = temp();
    await runSweep(experiments, { mode: "quick", seeds: [1, 2, 3], out: whole, workers: 1 });
    const shards = [0, 1, 2].map(() => temp());
    for (let i = 0; i < 3; i++) await runSweep(experiments, { mode: "quick", seeds: [1, 2, 3], out: shards[i], workers: 1, shard: { index: i, count: 3 } });
    const sizes = shards.map((s) => readRecords(s).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(18);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(1);
    const merged = temp();
    const summary = mergeResults([...shards, shards[0]], merged);
    expect(summary.copied).toBe(18);
    expect(summary.duplicates).toBe(sizes[0]);
    expect(summary.conflicts).toEqual([]);
    const strip = (dir: string) => readRecords(dir).map((r) => [r.hash, r.status, r.metrics]);
    expect(strip(merged)).toEqual(strip(whole));
    // A record with other metrics under the same hash is a conflict.
    const altered = temp();
    const [first] = readRecords(whole);
    const { writeRecord } = await import("../src/framework/store.js");
    writeRecord(altered, { ...first, metrics: { value: -1 } });
    const target = temp();
    const refused = (() => { try { mergeResults([whole, altered], target); } catch (error) { return error; } })();
    expect(refused).toBeInstanceOf(MergeError);
    expect((refused as MergeError).problems.conflicts).toHaveLength(1);
    expect((refused as MergeError).exitCode).toBe(2);
    expect(readdirSync(target)).toEqual([]); // nothing written, lock released
  });

  it("same seed gives the same numbers; CSV has one row per record", async () => {
    const experiment = findExperiment("exp2");
    const [config] = experiment.grid("quick", [7]);
    const a = await executeConfig(experiment, config, "quick");
    const b = await executeConfig(experiment, config, "quick");
    expect(a.status).toBe("ok");
    expect(b.metrics).toEqual(a.metrics);
    const other = await executeConfig(experiment, { ...config, seed: 8 }, "quick");
    expect(other.metrics.relative_error).not.toBe(a.metrics.relative_error);
    const csv = recordsToCsv([a, other]);
    expect(csv.trim().split("\n")).toHaveLength(3);
    expect(csv.split("\n")[0]).toContain("metric.relative_error");
  });

  it("runs on worker threads from TypeScript sources and gives the in-process numbers", async () => {
    const experiments = selectExperiments(["exp2"]);
    const threaded = temp();
    const inline = temp();
    await runSweep(experiments, { mode: "quick", seeds: [3], out: threaded, workers: 2 });
    await runSweep(experiments, { mode: "quick", seeds: [3], out: inline, workers: 1 });
    const strip = (dir: string) => readRecords(dir).map((r) => [r.hash, r.status, r.metrics]);
    expect(strip(threaded)).toHaveLength(5);
    expect(strip(threaded)).toEqual(strip(inline));
  }, 60_000);

  it("plans each distinct configuration once", () => {
    const jobs = planJobs(selectExperiments(["all"]), "quick", [1, 1]);
    expect(new Set(jobs.map((j) => `${j.experiment.id}/${j.hash}`)).size).toBe(jobs.length);
  });
});

describe("names", () => {
  it("unknown experiments list the valid names", () => {
    expect(() => findExperiment("exp99")).toThrow(/valid experiments: exp1, exp2/);
  });
  it("the CLI reports unknown experiments and bad options with the valid values", async () => {
    const program = buildProgram({ embedded: true });
    await expect(program.parseAsync(["node", "fcn-bench", "run", "nope", "--out", temp()])).rejects.toThrow(/valid experiments/);
    const again = buildProgram({ embedded: true });
    await expect(again.parseAsync(["node", "fcn-bench", "run", "exp1", "--mode", "fast"])).rejects.toThrow(/one of quick, standard, full/);
  });
  it("atomic writes leave no temporary files", async () => {
    const dir = temp();
    const { writeFileAtomic } = await import("../src/framework/store.js");
    writeFileAtomic(join(dir, "a.json"), "{}");
    expect(readdirSync(dir)).toEqual(["a.json"]);
    expect(existsSync(join(dir, "a.json")) && readFileSync(join(dir, "a.json"), "utf8")).toBe("{}");
  });
});
