/**
 * fcn-bench: list, run, report, verify and merge. Every experiment goes through the same `run`
 * and `report`; what one lets you choose beyond mode, seeds and readings is its declared
 * options (`--option id=value`, framework/options.ts).
 */
import { ArgumentError } from "@fcn/tensor";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import benchManifest from "../package.json";
import { recordsToCsv } from "./framework/csv.js";
import { MissingFolderError } from "./framework/errors.js";
import { withFolderLock } from "./framework/lock.js";
import { parseShard } from "./framework/hash.js";
import { defaultWorkers } from "./framework/machine.js";
import { barProgress, jsonProgress } from "./framework/progress.js";
import { planJobs, prepareJobs, runSweep } from "./framework/runner.js";
import { sampleRecords, verifyRecords } from "./framework/verify.js";
import { describeBadRecord, scanRecords, writeFileAtomic } from "./framework/store.js";
import { mergeResults } from "./framework/merge.js";
import { MODES, type Backend, type Mode } from "./framework/types.js";
import { parseReadingOptions } from "./framework/readings.js";
import { optionsHelp, parseOptionAssignments } from "./framework/options.js";
import { BACKENDS, parseBackend } from "./framework/device.js";
import { callerDirectory, callerPath, PATH_OPTIONS } from "./framework/paths.js";
import { EXPERIMENTS, experimentIds, selectExperiments } from "./experiments/registry.js";
import { writeReportFiles } from "./report/report.js";

/** Default seeds of every sweep (001's five seeds). */
export const DEFAULT_SEEDS = [101, 202, 303, 404, 505];

/** The workspace root (folder with pnpm-workspace.yaml) above `from`, or `from` itself. */
export function workspaceRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

function parseMode(value: string): Mode {
  if (!(MODES as readonly string[]).includes(value)) throw new InvalidArgumentError(`mode must be one of ${MODES.join(", ")}, got "${value}"`);
  return value as Mode;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSeeds(value: string): number[] {
  const seeds = value.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isSafeInteger(s))) throw new InvalidArgumentError(`seeds must be comma-separated integers, got "${value}"`);
  return seeds;
}

function parseBackends(value: string): Backend[] {
  try {
    return [...new Set(value.split(",").map((b) => parseBackend(b.trim())))];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`workers must be a positive integer, got "${value}"`);
  return n;
}

/** What `run` parses. */
interface RunCommandOptions {
  mode: Mode; seeds: number[]; reading: string[]; option: string[]; backend: Backend[]; workers: number; out: string;
  resume?: boolean; shard?: string; json?: boolean; dryRun?: boolean;
}

/**
 * Builds the command-line program (exported for tests). With `embedded`, errors throw instead of
 * exiting and commander prints nothing (set before the subcommands, which inherit it).
 */
export function buildProgram(options: { embedded?: boolean } = {}): Command {
  const program = new Command();
  program.name("fcn-bench").description("Reproduces the FCN seed experiments and reports them beside the published numbers").showHelpAfterError();
  program.version(benchManifest.version, "-V, --version", "the version of @fcn/bench");
  if (options.embedded) program.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  // Paths typed on the command line resolve against the caller's folder (see framework/paths.ts).
  program.hook("preAction", (_program, action) => {
    const base = callerDirectory();
    for (const name of PATH_OPTIONS) {
      const value: unknown = action.getOptionValue(name);
      if (typeof value === "string") action.setOptionValueWithSource(name, resolve(base, value), action.getOptionValueSource(name) ?? "default");
    }
  });

  program.command("list").description("every experiment with its id, seed section and estimated time").option("--json", "machine-readable output").action((options: { json?: boolean }) => {
    const rows = EXPERIMENTS.map((e) => ({
      id: e.id, title: e.title, seedRef: e.seedRef,
      ...Object.fromEntries(MODES.flatMap((m) => [[`${m}Seconds`, e.estimate(m)], [`${m}Runs`, planJobs([e], m, DEFAULT_SEEDS).length]])),
      readings: (e.readings ?? []).map((r) => ({ id: r.id, values: Object.keys(r.values), default: r.default })),
      runOptions: (e.runOptions ?? []).map((o) => o.id),
      reportOptions: (e.reportOptions ?? []).map((o) => o.id),
    })) as { id: string; title: string; seedRef: string; [key: string]: unknown }[];
    if (options.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
      return;
    }
    const line = (cells: string[]) => cells.map((c, i) => (c.length > 50 ? `${c.slice(0, 49)}…` : c).padEnd([9, 51, 18, 18, 18, 18][i] ?? 10)).join(" ");
    process.stdout.write(`${line(["id", "title", "seed section", "quick (est.)", "standard (est.)", "full (est.)"])}\n`);
    process.stdout.write("Estimates are single-core run time; --workers divides the wall time.\n");
    for (const r of rows) process.stdout.write(`${line([r.id, r.title, r.seedRef, ...MODES.map((m) => `${r[`${m}Seconds`]} s, ${r[`${m}Runs`]} runs`)])}\n`);
  });

  program.command("run").description("run experiments (ids or all) and write one JSON record per configuration")
    .argument("[ids...]", "experiment ids, or all (required: a bare run does not start every sweep)")
    .option("--mode <mode>", "quick (default: CI-sized), standard (the seeds' protocol, about an hour on 2 cores) or full", parseMode, "quick" as Mode)
    .option("--seeds <list>", "comma-separated seeds", parseSeeds, DEFAULT_SEEDS)
    .option("--reading <id=values>", "run these values of a reading (repeatable, e.g. --reading swissRollLabels=halves,arms); default: quick runs each " +
      "reading's default, standard and full every value", collect, [] as string[])
    .option("--option <id=value>", "an experiment option (repeatable, e.g. --option limit=20 or fractalnet.amp=true; listed below)", collect, [] as string[])
    .option("--backend <list>", `tensor backend(s), comma-separated to run each configuration on each: ${BACKENDS.join(", ")}`
      + " (webgpu is part of each config; no adapter stops the sweep before any run)", parseBackends, ["cpu"] as Backend[])
    .option("--workers <n>", "worker threads (default: number of cores)", parseWorkers, defaultWorkers())
    .option("--out <dir>", "records folder", "results")
    .option("--resume", "skip configurations whose record exists")
    .option("--shard <i/n>", "run only shard i of n (by config hash)")
    .option("--json", "JSON-lines progress on stdout")
    .option("--dry-run", "print the planned configurations and exit")
    .addHelpText("after", () => optionsHelp(EXPERIMENTS, "run"))
    .action(async (ids: string[], options: RunCommandOptions) => {
      if (ids.length === 0) throw new ArgumentError(`name the experiments to run, or all; valid experiments: ${experimentIds().join(", ")}`);
      const experiments = selectExperiments(ids);
      const shard = options.shard ? parseShard(options.shard) : undefined;
      const readings = parseReadingOptions(options.reading);
      const experimentOptions = parseOptionAssignments(options.option);
      if (options.dryRun) {
        const jobs = planJobs(experiments, options.mode, options.seeds, shard, options.backend, readings, experimentOptions);
        await prepareJobs(experiments, jobs, experimentOptions, true);
        for (const job of jobs) process.stdout.write(`${job.experiment.id} ${job.hash.slice(0, 12)} ${JSON.stringify(job.config)}\n`);
        return;
      }
      const reporter = options.json ? jsonProgress() : barProgress();
      const result = await runSweep(experiments, {
        mode: options.mode, seeds: options.seeds, out: options.out, workers: options.workers, resume: options.resume, shard, backend: options.backend, readings, options: experimentOptions,
        onEvent: (e) => reporter.onEvent(e),
      });
      reporter.stop();
      // runSweep has kept <out>/results.csv up to date as records landed.
      if (result.records.some((r) => r.status === "failed") && !options.json) process.stderr.write(`failed runs are recorded with their error in ${options.out}/<experiment>/<hash>.json\n`);
    });

  program.command("report").description("write the Markdown report with plots: ours beside the published tables")
    .option("--results <dir>", "records folder", "results")
    .option("--out <dir>", "report folder (default: <workspace>/docs/results)")
    .option("--command <text>", "the command that produced the records, printed in the report")
    .option("--no-plots", "skip SVG plots")
    .option("--option <id=value>", "an experiment's report option (repeatable, e.g. --option slice=true; listed below)", collect, [] as string[])
    .argument("[ids...]", "experiment ids (default all)", ["all"])
    .addHelpText("after", () => optionsHelp(EXPERIMENTS, "report"))
    .action(async (ids: string[], options: { results: string; out?: string; command?: string; plots: boolean; option: string[] }) => {
      const out = options.out ?? join(workspaceRoot(), "docs", "results");
      const experiments = selectExperiments(ids);
      const experimentOptions = parseOptionAssignments(options.option);
      requireFolder("report", options.results);
      const written = await writeReportFiles({ results: options.results, out, experiments, command: options.command, plots: options.plots, options: experimentOptions });
      process.stderr.write(`report written to ${written.readme}\n`);
      for (const file of written.files) process.stderr.write(`${file} written\n`);
    });

  program.command("verify").description("rerun a sample of stored records with the current code and compare them metric by metric (times and memory left out)")
    .argument("[ids...]", "experiment ids (default all)", ["all"])
    .option("--results <dir>", "records folder", "results")
    .option("--sample <n>", "records to rerun, spread evenly over the folder", parseWorkers, 20)
    .action(async (ids: string[], options: { results: string; sample: number }) => {
      const experiments = selectExperiments(ids);
      requireFolder("verify", options.results);
      const scan = scanRecords(options.results);
      for (const bad of scan.bad) process.stderr.write(`BAD     ${describeBadRecord(bad)}\n`);
      const stored = scan.records.filter((r) => experiments.some((e) => e.id === r.experiment));
      if (stored.length === 0) throw new ArgumentError(`no records of ${ids.join(", ")} in ${options.results}`);
      const sample = sampleRecords(stored, options.sample);
      const result = await verifyRecords(experiments, sample, (record, differing) =>
        process.stderr.write(`${differing.length ? "DIFFERS" : "same   "} ${record.experiment}/${record.hash.slice(0, 12)}${differing.length ? ` (${differing.join(", ")})` : ""}\n`));
      process.stdout.write(`${JSON.stringify({ checked: result.checked, identical: result.identical, mismatches: result.mismatches, badRecords: scan.bad }, null, 1)}\n`);
      if (result.mismatches.length || scan.bad.length) process.exitCode = 2;
    });

  program.command("merge").description("combine result folders (duplicates detected by config hash); checks everything first and writes nothing on a conflict, a bad record or missing shards")
    .argument("<dirs...>", "result folders to merge")
    .requiredOption("--out <dir>", "merged folder")
    .option("--allow-partial", "merge although shards are missing or records are bad (bad ones are moved aside and left out)")
    .action(async (dirs: string[], options: { out: string; allowPartial?: boolean }) => {
      const warn = (message: string) => process.stderr.write(`fcn-bench: ${message}\n`);
      await withFolderLock(options.out, { onMessage: warn, command: "merge" }, () => {
        const summary = mergeResults(dirs.map((dir) => callerPath(dir)), options.out, { allowPartial: options.allowPartial, lock: false });
        for (const bad of summary.bad) warn(`left out ${describeBadRecord(bad)}`);
        for (const s of summary.shards) if (s.missing.length) warn(`partial merge: shards ${s.missing.map((i) => `${i}/${s.count}`).join(", ")} missing`);
        for (const u of summary.unfinished) warn(`partial merge: shard ${u.shard} lacks ${u.missing.length} planned records`);
        process.stderr.write(`merged ${summary.copied} records into ${options.out}; ${summary.duplicates} identical duplicates skipped\n`);
        writeFileAtomic(join(options.out, "results.csv"), recordsToCsv(scanRecords(options.out).records));
      });
    });

  return program;
}

/** A results folder a command reads: missing (or not a folder) is an error naming it, not an empty result. */
function requireFolder(command: string, folder: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new MissingFolderError(command, folder);
}

/** Runs the program; errors print their message (not a stack) and exit with their `exitCode` (merge conflicts: 2) or 1. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv as string[]);
  } catch (error) {
    process.stderr.write(`fcn-bench: ${error instanceof Error ? error.message : String(error)}\n`);
    const code = (error as { exitCode?: unknown } | null)?.exitCode;
    process.exitCode = typeof code === "number" && code > 0 ? code : 1;
  }
}
