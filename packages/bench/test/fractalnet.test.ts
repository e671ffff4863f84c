import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type FractalRunConfig, type FractalVariant, type RunRecord, type SweepEvent, buildProgram, canonicalVariant, configHash, enumerateVariants,
  executeConfig, fractalTables, fractalnet, parseBackend, generateVariants, modelConfig, planJobs, readVariantFiles, runConfigs,
  runSweep, trainSettings, variantHash, writeVariantFiles,
} from "../src/index.js";
import type { Experiment } from "../src/framework/types.js";
import { tinyFractal } from "./fixtures/tinyFractal.js";
import { inferFractalNet } from "@fcn/nn";
import { ArgumentError } from "@fcn/tensor";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-fractal-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const small: FractalVariant = { N: 1, columns: 2, blocks: 2, channels: 16, kernel: 3, norm: "batch", activation: "relu", dropout: 0.2, dropPath: 0, join: "mean" };
const tinyTrain = { trainSize: 32, validationSize: 16, testSize: 16, channels: 2, epochs: 1 };

const tinyFractalnet = () => tinyFractal(tinyTrain);

/** Runs the CLI with stdout and stderr captured; returns the stdout lines. */
async function cli(...argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  const stderr = process.stderr.write;
  const stdout = process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.stdout.write = ((text: string) => { lines.push(...text.split("\n").filter(Boolean)); return true; }) as typeof process.stdout.write;
  try {
    await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", ...argv]);
  } finally {
    process.stderr.write = stderr;
    process.stdout.write = stdout;
  }
  return lines;
}

describe("fractalnet generator", () => {
  it("enumerates ≥ 1,200 unique canonical variants, deterministically", () => {
    const a = enumerateVariants();
    const b = enumerateVariants();
    expect(a.length).toBeGreaterThanOrEqual(1200);
    expect(a).toEqual(b);
    const hashes = a.map(variantHash);
    expect(new Set(hashes).size).toBe(a.length);
    // Canonical: one-column variants have no join, so join and drop-path do not multiply them.
    expect(a.filter((v) => v.columns === 1).every((v) => v.join === "mean" && v.dropPath === 0)).toBe(true);
    expect(variantHash({ ...small, columns: 1, join: "sum", dropPath: 0.15 })).toBe(variantHash({ ...small, columns: 1 }));
    expect(variantHash({ ...small, join: "sum" })).not.toBe(variantHash(small));
    expect(a.length).toBe(2280);
    // Shape inference accepts every variant and its plain twin at 32×32 (CIFAR-10) and at quick mode's 8×8.
    for (const mode of ["full", "quick"] as const) {
      for (const c of runConfigs(a, trainSettings(mode), 1)) expect(() => inferFractalNet(modelConfig(c))).not.toThrow();
    }
  });

  it("a seeded sample is reproducible and differs between seeds; run --dry-run --option variantsOut writes one file per variant and trains nothing", async () => {
    const s1 = generateVariants({ limit: 20, seed: 7 });
    expect(generateVariants({ limit: 20, seed: 7 })).toEqual(s1);
    expect(generateVariants({ limit: 20, seed: 8 })).not.toEqual(s1);
    expect(generateVariants({ limit: 5 })).toEqual(enumerateVariants().slice(0, 5));
    const dir = tempDir();
    const out = tempDir();
    const planned = await cli("run", "fractalnet", "--dry-run", "--out", out, "--option", "limit=20", "--option", "sampleSeed=7", "--option", `variantsOut=${dir}`);
    const files = readdirSync(dir).filter((n) => n.endsWith(".json"));
    expect(files.length).toBe(20);
    expect(new Set(readVariantFiles(dir).map(variantHash))).toEqual(new Set(s1.map(variantHash)));
    expect(files.sort()).toEqual(s1.map((v) => `${variantHash(v)}.json`).sort());
    expect(JSON.parse(readFileSync(join(dir, files[0]), "utf8"))).toEqual(canonicalVariant(readVariantFiles(dir)[0]));
    // Each variant and, with ≥ 2 columns, its plain twin; nothing trained.
    expect(planned.length).toBe(20 + s1.filter((v) => v.columns > 1).length);
    expect(readdirSync(out)).toEqual([]);
    // The files are the runner's input: --option configs trains the same variants.
    const again = await cli("run", "fractalnet", "--dry-run", "--option", `configs=${dir}`);
    expect(new Set(again.map((l) => l.split(" ")[1]))).toEqual(new Set(planned.map((l) => l.split(" ")[1])));
  });
});

describe("fractalnet runner", () => {
  it("records params, per-epoch loss and accuracy, peak memory; a broken config and a NaN are failures and the sweep goes on", async () => {
    const train = trainSettings("quick", { ...tinyTrain, epochs: 2 });
    const good: FractalRunConfig = { seed: 1, arm: "fractal", variant: small as FractalRunConfig["variant"], train: train as FractalRunConfig["train"] };
    const broken: FractalRunConfig = { ...good, variant: { ...small, blocks: 6 } as FractalRunConfig["variant"] };
    const exploding: FractalRunConfig = { ...good, variant: { ...small, norm: "none" } as FractalRunConfig["variant"], train: { ...train, lr: 1e30 } as FractalRunConfig["train"] };
    const out = tempDir();
    const experiment: Experiment = { ...(fractalnet as unknown as Experiment), grid: () => [broken, exploding, good] };
    const { records } = await runSweep([experiment], { mode: "quick", seeds: [1], out, workers: 1 });
    expect(records.map((r) => r.status)).toEqual(["failed", "failed", "ok"]);
    expect(records[0].error).toMatch(/ArgumentError: FractalNet: blocks = 6/);
    expect(records[1].error).toMatch(/non-finite training loss/);
    const ok = records[2];
    expect(ok.metrics.params).toBeGreaterThan(0);
    expect((ok.metrics.trainLoss as number[]).length).toBe(2);
    expect((ok.metrics.valAccuracy as number[]).length).toBe(2);
    expect(ok.metrics.finalTestAccuracy).toBeGreaterThanOrEqual(0);
    expect(ok.metrics.finalTestAccuracy).toBeLessThanOrEqual(1);
    expect(ok.metrics.peakTensorBytes).toBeGreaterThan(0);
    expect(ok.metrics.backend).toBe("cpu");
    expect(ok.metrics.trainTimeMs).toBeGreaterThan(0);
    expect(ok.metrics.trainTimeMs).toBeLessThan(ok.wallTimeMs);
    // Throughput leaves out the first step (kernel compilation): 2 epochs × 32 images − one batch of 16.
    expect(ok.metrics.warmupStepMs).toBeGreaterThan(0);
    expect(ok.metrics.trainImagesPerSecond).toBeCloseTo((2 * 32 - 16) / (((ok.metrics.trainTimeMs as number) - (ok.metrics.warmupStepMs as number)) / 1000), 6);
    expect(ok.wallTimeMs).toBeGreaterThan(0);
    expect(ok.hash).toMatch(/^[0-9a-f]{64}$/);
    // The report counts both crashes apart from the failure rate (variants at chance).
    const section = fractalTables(records);
    const published = section.tables[0];
    expect(published.rows.find((r) => String(r[0]).startsWith("crash rate"))![1]).toBe("2/3 = 66.7%");
    expect(section.tables.find((t) => t.title.startsWith("Crashes by reason"))!.rows.length).toBe(2);
  }, 60_000);

  it("--dataset cifar10 without the files stops before any run and says where to put them", async () => {
    const previous = process.env.FCN_CIFAR10_DIR;
    process.env.FCN_CIFAR10_DIR = tempDir();
    try {
      const out = tempDir();
      await expect(runSweep([fractalnet as unknown as Experiment], { mode: "quick", seeds: [1], workers: 1, out, resume: true, options: [{ id: "dataset", value: "cifar10" }] }))
        .rejects.toThrow(/Put the CIFAR-10 binary files in/);
      expect(readdirSync(out).length).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.FCN_CIFAR10_DIR;
      else process.env.FCN_CIFAR10_DIR = previous;
    }
  });

  it("resumes an interrupted sweep without re-running finished variants", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [small, { ...small, join: "sum" }, { ...small, columns: 1 }]);
    const out = tempDir();
    const base = { mode: "quick" as const, workers: 1, seeds: [3], out, resume: true, options: [{ id: "configs", value: configs }] };
    const sweep = (extra: { onEvent?: (e: SweepEvent) => void } = {}) => runSweep([tinyFractalnet()], { ...base, ...extra });
    // Interrupt after the first finished run.
    await expect(sweep({ onEvent: (e: SweepEvent) => { if (e.type === "done") throw new Error("interrupted"); } })).rejects.toThrow("interrupted");
    const first = readdirSync(join(out, "fractalnet"));
    expect(first.length).toBe(1);
    const firstRecord = readFileSync(join(out, "fractalnet", first[0]), "utf8");
    const started: string[] = [];
    const result = await sweep({ onEvent: (e: SweepEvent) => { if (e.type === "start") started.push(e.hash); } });
    expect(result.skipped).toBe(1);
    expect(started).not.toContain(first[0].replace(".json", ""));
    expect(started.length).toBe(4); // 3 fractal variants + 2 plain twins − 1 finished
    expect(readFileSync(join(out, "fractalnet", first[0]), "utf8")).toBe(firstRecord);
    expect(readdirSync(join(out, "fractalnet")).length).toBe(5);
    // A third run has nothing left to do.
    const again = await sweep();
    expect(again.records.length).toBe(0);
    expect(again.skipped).toBe(5);
  }, 60_000);

  it("checkpointed training gives the same record metrics as unchecked training", async () => {
    const train = trainSettings("quick", tinyTrain);
    const a: FractalRunConfig = { seed: 2, arm: "fractal", variant: { ...small, dropPath: 0.15 } as FractalRunConfig["variant"], train: train as FractalRunConfig["train"] };
    const b: FractalRunConfig = { ...a, train: { ...train, checkpoint: true } as FractalRunConfig["train"] };
    const ra: RunRecord = await executeConfig(fractalnet as unknown as Experiment, a, "quick");
    const rb: RunRecord = await executeConfig(fractalnet as unknown as Experiment, b, "quick");
    expect(rb.status, rb.error).toBe("ok");
    expect((rb.metrics.trainLoss as number[])[0]).toBeCloseTo((ra.metrics.trainLoss as number[])[0], 4);
    expect(rb.metrics.valAccuracy).toEqual(ra.metrics.valAccuracy);
  }, 60_000);

  it("--amp trains under autocast with loss scaling: the record has the flag, the final scale and the skipped steps, close to the float32 run", async () => {
    const train = trainSettings("quick", tinyTrain);
    const plain: FractalRunConfig = { seed: 2, arm: "fractal", variant: small as FractalRunConfig["variant"], train: train as FractalRunConfig["train"] };
    const amp: FractalRunConfig = { ...plain, train: trainSettings("quick", { ...tinyTrain, amp: true }) as FractalRunConfig["train"] };
    const both: FractalRunConfig = { ...plain, train: trainSettings("quick", { ...tinyTrain, amp: true, checkpoint: true }) as FractalRunConfig["train"] };
    const records: RunRecord[] = [];
    for (const config of [plain, amp, both]) records.push(await executeConfig(fractalnet as unknown as Experiment, config, "quick"));
    const [a, b, c] = records;
    expect(b.status, b.error).toBe("ok");
    expect(c.status, c.error).toBe("ok");
    expect(a.metrics).toMatchObject({ amp: false, lossScale: 1, skippedSteps: 0 });
    // 2 steps (32 images, batch 16), no overflow: the scale stays at 2^16.
    expect(b.metrics).toMatchObject({ amp: true, lossScale: 65536, skippedSteps: 0 });
    // float16 activations: the epoch loss within 0.01 of the float32 run's.
    expect(Math.abs((b.metrics.trainLoss as number[])[0] - (a.metrics.trainLoss as number[])[0])).toBeLessThan(0.01);
    // --amp with --checkpoint: the recomputation runs under the same autocast, so the same numbers.
    expect(c.metrics.trainLoss).toEqual(b.metrics.trainLoss);
    expect(c.metrics.valAccuracy).toEqual(b.metrics.valAccuracy);
    expect(c.metrics).toMatchObject({ amp: true, lossScale: 65536, skippedSteps: 0 });
    // The report prints the setting and the scaler's outcome.
    const section = fractalTables([a, b]);
    expect(section.tables.find((t) => t.title.startsWith("Final test accuracy"))!.caption).toMatch(/mixed precision \(float16 autocast, dynamic loss scaling\)/);
    expect(section.notes.join(" ")).toMatch(/1 run\(s\) used it: 0 skipped step\(s\) in all .* final loss scales 2\^16/);
  }, 60_000);

  it("amp is part of a run's identity: an amp sweep and a plain sweep in one folder do not resume each other; plain hashes are unchanged", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [{ ...small, columns: 1 }]);
    const out = tempDir();
    // Each run's plan event (--json progress on stdout) says how many runs resumed from records.
    const plans: { total: number; skipped: number }[] = [];
    for (const flags of [["--option", "amp=true"], [], ["--option", "amp"], []]) {
      const lines = await cli("run", "fractalnet", "--option", `configs=${configs}`, "--workers", "1", "--seeds", "4", "--out", out, "--resume", "--json", ...flags,
        "--option", "checkpoint=true", "--option", "epochs=1");
      plans.push(lines.map((l) => JSON.parse(l) as SweepEvent).find((e) => e.type === "plan") as { total: number; skipped: number });
    }
    // amp, then plain (not resumed from the amp record), then both again: nothing left to run.
    expect(plans.map((p) => p.skipped)).toEqual([0, 0, 1, 1]);
    const records = readdirSync(join(out, "fractalnet")).map((f) => JSON.parse(readFileSync(join(out, "fractalnet", f), "utf8")) as RunRecord);
    expect(records.length).toBe(2);
    const ampRecord = records.find((r) => r.metrics.amp === true)!;
    const plainRecord = records.find((r) => r.metrics.amp === false)!;
    expect((ampRecord.config as FractalRunConfig).train.amp).toBe(true);
    expect("amp" in (plainRecord.config as FractalRunConfig).train).toBe(false);
    expect(ampRecord.status).toBe("ok");
    expect(ampRecord.hash).not.toBe(plainRecord.hash);
    // A plain config hashes as it did before amp existed (records written then are still found).
    const { amp: _, ...withoutAmp } = (ampRecord.config as FractalRunConfig).train;
    expect(plainRecord.hash).toBe(configHash("fractalnet", { ...ampRecord.config, train: withoutAmp } as FractalRunConfig));
    const csv = readFileSync(join(out, "results.csv"), "utf8");
    expect(csv.split("\n")[0]).toMatch(/lossScale/);
  }, 60_000);
});

describe("fractalnet --backend", () => {
  it("cpu leaves no trace in the config (hashes unchanged); webgpu is part of it; an unknown name lists the valid ones", async () => {
    const experiment = fractalnet as unknown as Experiment;
    const cpu = planJobs([experiment], "quick", [1]);
    const both = planJobs([experiment], "quick", [1], undefined, ["cpu", "webgpu"]);
    expect(both.length).toBe(2 * cpu.length);
    const cpuJobs = both.filter((j) => j.config.backend === undefined);
    expect(cpuJobs.map((j) => j.hash)).toEqual(cpu.map((j) => j.hash));
    const gpuJobs = both.filter((j) => j.config.backend === "webgpu");
    expect(gpuJobs.length).toBe(cpu.length);
    expect(gpuJobs.every((j) => !cpu.some((c) => c.hash === j.hash))).toBe(true);
    expect(() => parseBackend("cuda")).toThrow(ArgumentError);
    expect(() => parseBackend("cuda")).toThrow('backend must be one of cpu, webgpu, got "cuda"');
    await expect(cli("run", "fractalnet", "--backend", "cuda", "--out", tempDir())).rejects.toThrow(/backend must be one of cpu, webgpu, got "cuda"/);
  });

});

