/** `fcn-bench fractalnet generate | run | report`: the FractalNet template pipeline of seeds 003/004. */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { loadCifar10 } from "@fcn/data";
import { recordsToCsv } from "./framework/csv.js";
import { defaultWorkers } from "./framework/machine.js";
import { barProgress, jsonProgress } from "./framework/progress.js";
import { type SweepEvent, runSweep } from "./framework/runner.js";
import { readRecords } from "./framework/store.js";
import { prepareWebGPUWorkers } from "./framework/webgpuWorkers.js";
import { type Experiment, MODES, type Mode } from "./framework/types.js";
import { EXPERIMENTS } from "./experiments/registry.js";
import {
  type FractalRunConfig, cifar10Directory, enumerateVariants, fractalnet, generateVariants, modeVariants, readVariantFiles, runConfigs, type TrainOverrides, trainSettings, writeVariantFiles,
} from "./experiments/fractalnet.js";
import { FRACTAL_DATASETS, type FractalDataset } from "./experiments/fractalnetData.js";
import { FRACTAL_BACKENDS, type FractalBackend, activateBackend, deactivateBackend, parseFractalBackend } from "./experiments/fractalnetBackend.js";
import { writeReport } from "./report/report.js";

function integer(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

function parseMode(v: string): Mode {
  if (!(MODES as readonly string[]).includes(v)) throw new InvalidArgumentError(`mode must be one of ${MODES.join(", ")}, got "${v}"`);
  return v as Mode;
}

function parseDataset(v: string): FractalDataset {
  if (!(FRACTAL_DATASETS as readonly string[]).includes(v)) throw new InvalidArgumentError(`dataset must be one of ${FRACTAL_DATASETS.join(", ")}, got "${v}"`);
  return v as FractalDataset;
}

/** Options of {@link runFractalSweep} (what `fractalnet run` parses). */
export interface FractalRunOptions {
  mode: Mode;
  dataset?: FractalDataset;
  epochs?: number;
  workers: number;
  checkpoint?: boolean;
  amp?: boolean;
  /** Tensor backend of every run (default cpu). */
  backend?: FractalBackend;
  configs?: string;
  limit?: number;
  sampleSeed?: number;
  seed: number;
  out: string;
  resume: boolean;
  /** Further training overrides (programmatic use, tests). */
  train?: TrainOverrides;
  onEvent?: (event: SweepEvent) => void;
}

/** The run configs of a sweep: variants from `configs` files, or the generator (quick, standard: the documented samples). */
export async function fractalSweepConfigs(options: FractalRunOptions): Promise<FractalRunConfig[]> {
  const train = trainSettings(options.mode, {
    ...options.train, dataset: options.dataset, epochs: options.epochs, checkpoint: options.checkpoint ?? false, ...(options.amp ? { amp: true as const } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  });
  if (train.dataset === "cifar10") await loadCifar10({ directory: cifar10Directory(), split: "test", limit: 1 }); // says where the files go
  const variants = options.configs
    ? readVariantFiles(options.configs).slice(0, options.limit)
    : options.mode !== "full" && options.limit === undefined && options.sampleSeed === undefined
      ? modeVariants(options.mode)
      : generateVariants({ limit: options.limit, seed: options.sampleSeed });
  return runConfigs(variants, train, options.seed);
}

/** Runs a FractalNet sweep (see {@link fractalSweepConfigs}); resumable, one record per run. */
export async function runFractalSweep(options: FractalRunOptions) {
  const configs = await fractalSweepConfigs(options);
  if (configs.some((c) => c.train.backend === "webgpu")) {
    if (options.workers > 1) prepareWebGPUWorkers();
    // No adapter stops the command before any run, as missing CIFAR-10 files do: failed
    // records would otherwise count as done and a later --resume would skip them.
    await activateBackend("webgpu");
    deactivateBackend();
  }
  // The command's configs carry their momentum in their training settings: no reading is applied.
  const experiment: Experiment = { ...(fractalnet as unknown as Experiment), grid: () => configs, readings: [] };
  return runSweep([experiment], { mode: options.mode, seeds: [options.seed], out: options.out, workers: options.workers, resume: options.resume, onEvent: options.onEvent });
}

/** The options that pick the variants and the training seed (shared by run and slice). */
function selection(command: Command): Command {
  return command
    .option("--configs <dir>", "variant files written by `fractalnet generate`")
    .option("--limit <n>", "only this many variants", integer("limit", 1))
    .option("--sample-seed <s>", "seeded sample of the space (with --limit)", integer("sample-seed", 0))
    .option("--seed <s>", "training seed", integer("seed", 0), 101);
}

export function fractalCommand(options: { embedded?: boolean } = {}): Command {
  const command = new Command("fractalnet").description("seeds 003/004: generate FractalNet variants, train them, report");
  if (options.embedded) command.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });

  command.command("generate").description("write one config file per unique FractalNet variant (deterministic; canonical-hash dedupe)")
    .option("--limit <n>", "only this many variants", integer("limit", 1))
    .option("--seed <s>", "a seeded sample instead of the first variants in enumeration order", integer("seed", 0))
    .option("--out <dir>", "folder of variant files", join("results", "fractalnet-configs"))
    .action((o: { limit?: number; seed?: number; out: string }) => {
      const variants = generateVariants({ limit: o.limit, seed: o.seed });
      writeVariantFiles(o.out, variants);
      process.stdout.write(`${variants.length} variant files in ${o.out} (full space: ${enumerateVariants().length} unique variants)\n`);
    });

  selection(command.command("run")).description("train FractalNet variants (and their plain twins); resumable, one record per run")
    .option("--mode <mode>", "quick (default: a small seeded sample on digits), standard (a larger sample on digits, 5 epochs) or full (every variant on CIFAR-10)", parseMode, "quick" as Mode)
    .option("--dataset <name>", `${FRACTAL_DATASETS.join(", ")} (default: digits in quick and standard mode, cifar10 in full)`, parseDataset)
    .option("--epochs <n>", "epochs per variant (default 2 quick, 5 standard and full)", integer("epochs", 1))
    .option("--workers <n>", "worker threads", integer("workers", 1), defaultWorkers())
    .option("--checkpoint", "gradient checkpointing of every block")
    .option("--amp", "mixed precision: float16 autocast, dynamic loss scaling, float32 master weights (emulated on the CPU)")
    .option("--backend <name>", `tensor backend: ${FRACTAL_BACKENDS.join(" or ")} (webgpu: one device per worker; part of each run's identity)`, (v: string) => {
      try {
        return parseFractalBackend(v);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    }, "cpu" as FractalBackend)
    .option("--out <dir>", "records folder", "results")
    .option("--no-resume", "re-run variants whose record exists")
    .option("--json", "JSON-lines progress")
    .action(async (o: FractalRunOptions & { json?: boolean }) => {
      const reporter = o.json ? jsonProgress() : barProgress();
      const result = await runFractalSweep({ ...o, onEvent: (e) => reporter.onEvent(e) });
      reporter.stop();
      mkdirSync(o.out, { recursive: true });
      writeFileSync(join(o.out, "results.csv"), recordsToCsv(readRecords(o.out)));
      const failed = result.records.filter((r) => r.status === "failed").length;
      process.stderr.write(`${result.records.length} runs (${failed} failed), ${result.skipped} skipped as already recorded; records in ${join(o.out, "fractalnet")}\n`);
    });

  selection(command.command("slice")).description("the same variants on each backend with and without --amp/--checkpoint: images/s and peak bytes per setting")
    .option("--backends <list>", `comma-separated: ${FRACTAL_BACKENDS.join(", ")}`, (v: string) => {
      try {
        return v.split(",").map((b) => parseFractalBackend(b.trim()));
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    }, [...FRACTAL_BACKENDS] as FractalBackend[])
    .option("--mode <mode>", "quick (default), standard or full", parseMode, "quick" as Mode)
    .option("--dataset <name>", `${FRACTAL_DATASETS.join(", ")} (default: digits in quick and standard mode, cifar10 in full)`, parseDataset)
    .option("--epochs <n>", "epochs per variant", integer("epochs", 1))
    .option("--workers <n>", "worker threads", integer("workers", 1), 1)
    .option("--out <dir>", "records folder (resumed)", "results")
    .option("--write-docs", "write the summary between the fractalnet-slice markers of <workspace>/docs/performance.md")
    .option("--command <text>", "the command printed in the section (default: this one)")
    .option("--json", "JSON-lines progress")
    .action(async (o: Omit<FractalRunOptions, "resume"> & { backends: FractalBackend[]; writeDocs?: boolean; command?: string; json?: boolean }) => {
      const { runFractalSlice, sliceSection, sliceTable, writeSliceSection, GPU_SLICE_COMMAND } = await import("./fractalnetSlice.js");
      const reporter = o.json ? jsonProgress() : barProgress();
      const start = loadavg()[0];
      let trained = 0;
      const rows = await runFractalSlice(o, (e) => {
        if (e.type === "done") trained++;
        reporter.onEvent(e);
      });
      // The load says something about the figures only when this command trained them.
      const load = trained > 0 ? { start, end: loadavg()[0] } : undefined;
      reporter.stop();
      process.stdout.write(`${sliceTable(rows)}\n`);
      if (o.writeDocs) {
        const { workspaceRoot } = await import("./cli.js");
        const doc = join(workspaceRoot(), "docs", "performance.md");
        writeSliceSection(doc, sliceSection(rows, o.command ?? `fcn-bench ${process.argv.slice(2).join(" ")}`, GPU_SLICE_COMMAND, load));
        process.stderr.write(`slice section written to ${doc}\n`);
      }
    });

  command.command("report").description("write the results report (all experiments, FractalNet section included)")
    .option("--results <dir>", "records folder", "results")
    .option("--out <dir>", "report folder (default: <workspace>/docs/results)")
    .option("--command <text>", "the command that produced the records")
    .option("--no-plots", "skip SVG plots")
    .action(async (o: { results: string; out?: string; command?: string; plots: boolean }) => {
      const { workspaceRoot } = await import("./cli.js");
      const out = o.out ?? join(workspaceRoot(), "docs", "results");
      const file = await writeReport({ results: o.results, out, experiments: EXPERIMENTS, command: o.command, plots: o.plots });
      process.stderr.write(`report written to ${file}\n`);
    });
  return command;
}
