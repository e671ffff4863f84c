/**
 * A sweep: expand each experiment's grid, keep this shard's configurations, skip existing
 * records with `--resume` (a bad one is named, moved aside and run again), run the rest
 * in-process (`workers: 1`) or on worker threads, and write each record atomically, with its
 * checksum and shard, as it arrives. The output folder is locked for the sweep, and
 * `results.csv` follows the records as they land.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { configHash, shardOf } from "./hash.js";
import { executeConfig } from "./execute.js";
import { applyReadings, checkReadingIds, selectReadings, type ReadingSelection } from "./readings.js";
import { checkOptionIds, type OptionAssignment, resolveOptions } from "./options.js";
import { backendOf, checkDevice } from "./device.js";
import { prepareWebGPUWorkers } from "./webgpuWorkers.js";
import { csvWriter } from "./csv.js";
import { acquireFolderLock } from "./lock.js";
import type { StoredRecord } from "./record.js";
import { recordShardPlan } from "./shards.js";
import { checkRecordFile, describeBadRecord, recordPath, scanRecords, writeRecord } from "./store.js";
import type { Backend, Config, Experiment, Mode, RunRecord } from "./types.js";

/** One unit of work. */
export interface Job {
  readonly experiment: Experiment;
  readonly config: Config;
  readonly hash: string;
}

/** Events a sweep reports (to progress bars or `--json`). */
export type SweepEvent =
  | { type: "plan"; experiment: string; total: number; skipped: number }
  | { type: "start"; experiment: string; hash: string; worker: number }
  | { type: "progress"; experiment: string; hash: string; fraction: number }
  | { type: "done"; experiment: string; hash: string; status: RunRecord["status"]; wallTimeMs: number; error?: string }
  | { type: "end"; ok: number; failed: number; skipped: number; wallTimeMs: number }
  /** A bad record moved aside (and run again), or a stale lock taken over. */
  | { type: "warning"; message: string };

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly mode: Mode;
  readonly seeds: readonly number[];
  readonly out: string;
  readonly workers: number;
  readonly resume?: boolean;
  readonly shard?: { index: number; count: number };
  /** Tensor backend(s) of the runs (each configuration on each); "webgpu" is recorded in each config (and so in its hash). */
  readonly backend?: Backend | readonly Backend[];
  /** Reading values to run (`--reading id=a,b`); the rest follow the mode (see selectReadings). */
  readonly readings?: ReadingSelection;
  /** Experiment options (`--option id=value`; see framework/options.ts); the rest take their defaults. */
  readonly options?: readonly OptionAssignment[];
  readonly onEvent?: (event: SweepEvent) => void;
  /** Warnings (bad records, a stale lock taken over); default: a line on stderr. Also sent as "warning" events. */
  readonly onWarning?: (message: string) => void;
  /** Rewrite `<out>/results.csv` at most this often while records land (default 5000 ms), and at the end. */
  readonly csvIntervalMs?: number;
}

/** Result of a sweep. */
export interface SweepResult {
  readonly records: StoredRecord[];
  readonly skipped: number;
}

/** The jobs of a sweep after sharding (resume is applied by {@link runSweep}). */
export function planJobs(
  experiments: readonly Experiment[], mode: Mode, seeds: readonly number[], shard?: { index: number; count: number }, backend: Backend | readonly Backend[] = "cpu",
  readings: ReadingSelection = {}, options: readonly OptionAssignment[] = [],
): Job[] {
  checkReadingIds(experiments, readings);
  checkOptionIds(experiments, options, "run");
  const backends = typeof backend === "string" ? [backend] : [...new Set(backend)];
  const jobs: Job[] = [];
  for (const experiment of experiments) {
    const seen = new Set<string>();
    const selected = selectReadings(experiment, mode, readings);
    const grid = applyReadings(experiment, experiment.grid(mode, seeds, resolveOptions(experiment, "run", options)), selected);
    // CPU configs keep their historical hashes; other backends are part of the config.
    for (const config of grid.flatMap((c) => backends.map((b) => (b === "cpu" ? c : { ...c, backend: b })))) {
      const hash = configHash(experiment.id, config);
      if (seen.has(hash)) continue; // identical configurations run once
      seen.add(hash);
      if (shard && shardOf(hash, shard.count) !== shard.index) continue;
      jobs.push({ experiment, config, hash });
    }
  }
  return jobs;
}

/**
 * Each experiment's checks before its jobs run (`prepare`: data files, variant files) and, for
 * WebGPU, one start of the device: whatever fails stops the sweep before any run.
 */
export async function prepareJobs(experiments: readonly Experiment[], jobs: readonly Job[], options: readonly OptionAssignment[], dryRun: boolean): Promise<void> {
  for (const experiment of experiments) {
    const configs = jobs.filter((j) => j.experiment === experiment).map((j) => j.config);
    await experiment.prepare?.(configs, resolveOptions(experiment, "run", options), { dryRun });
  }
  if (dryRun) return;
  for (const backend of new Set(jobs.map((j) => backendOf(j.config)))) {
    if (backend === "webgpu") prepareWebGPUWorkers();
    await checkDevice(backend);
  }
}

/**
 * Runs a sweep and returns the new records. Holds `<out>/.lock` throughout (a second sweep on
 * the folder fails fast with FolderLockedError); released on return, throw, exit and Ctrl-C.
 */
export async function runSweep(experiments: readonly Experiment[], options: SweepOptions): Promise<SweepResult> {
  const emit = options.onEvent ?? (() => {});
  const warn = (message: string) => {
    (options.onWarning ?? ((m: string) => process.stderr.write(`fcn-bench: ${m}\n`)))(message);
    emit({ type: "warning", message });
  };
  const started = performance.now();
  const all = planJobs(experiments, options.mode, options.seeds, options.shard, options.backend, options.readings, options.options);
  await prepareJobs(experiments, all, options.options ?? [], false);
  const lock = acquireFolderLock(options.out, { onMessage: warn, command: "run" });
  try {
    // What this shard is to write, so merge can tell it ran (even with no records) and finished.
    if (options.shard) recordShardPlan(options.out, options.shard, all.map((j) => `${j.experiment.id}/${j.hash}`));
    const jobs = options.resume ? all.filter((j) => !resumable(options.out, j, warn)) : all;
    // results.csv covers the whole folder: its good records now, each new one as it lands.
    const existing = scanRecords(options.out);
    for (const bad of existing.bad) warn(describeBadRecord(bad));
    const csv = csvWriter(options.out, existing.records, options.csvIntervalMs ?? 5000);
    for (const experiment of experiments) {
      const total = all.filter((j) => j.experiment === experiment).length;
      const pending = jobs.filter((j) => j.experiment === experiment).length;
      emit({ type: "plan", experiment: experiment.id, total, skipped: total - pending });
    }
    const records: StoredRecord[] = [];
    const finish = (record: RunRecord) => {
      const stored: StoredRecord = options.shard ? { ...record, shard: { index: options.shard.index, count: options.shard.count } } : record;
      writeRecord(options.out, stored);
      records.push(stored);
      csv.add(stored);
      emit({ type: "done", experiment: record.experiment, hash: record.hash, status: record.status, wallTimeMs: record.wallTimeMs, ...(record.error ? { error: record.error } : {}) });
    };
    try {
      const workers = Math.max(1, Math.min(options.workers, jobs.length));
      if (workers <= 1) {
        for (const job of jobs) {
          emit({ type: "start", experiment: job.experiment.id, hash: job.hash, worker: 0 });
          finish(await executeConfig(job.experiment, job.config, options.mode, (fraction) =>
            emit({ type: "progress", experiment: job.experiment.id, hash: job.hash, fraction })));
          // A synchronous run starves the event loop; turn it so Ctrl-C (which releases the lock) is heard between runs.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } else {
        await runOnWorkers(jobs, workers, options.mode, emit, finish);
      }
    } finally {
      csv.flush();
    }
    const ok = records.filter((r) => r.status === "ok").length;
    emit({ type: "end", ok, failed: records.length - ok, skipped: all.length - jobs.length, wallTimeMs: performance.now() - started });
    return { records, skipped: all.length - jobs.length };
  } finally {
    lock.release();
  }
}

/**
 * Whether `--resume` may skip a job: its record exists and checks out (a legacy record without
 * a checksum included). A bad record is moved aside with a warning and the job runs again.
 */
function resumable(out: string, job: Job, warn: (message: string) => void): boolean {
  const check = checkRecordFile(recordPath(out, job.experiment.id, job.hash), { experiment: job.experiment.id, hash: job.hash }, true);
  if (check.state === "bad") warn(`${describeBadRecord(check.bad)}; running it again`);
  return check.state === "ok";
}

/**
 * How to start a worker: the built `worker.js` beside this bundle, or — when running from
 * TypeScript sources (tests, tsx) — a small ESM bootstrap that registers tsx's loader inside the
 * worker (Node 20 workers do not inherit `--import` hooks) and imports `worker.ts` with the
 * `@fcn/source` condition.
 */
export function workerEntry(): { url: URL | string; eval: boolean; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const require = createRequire(here);
    const manifestPath = require.resolve("tsx/package.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
    const api = pathToFileURL(join(dirname(manifestPath), manifest.exports["./esm/api"].import.default)).href;
    const worker = new URL("./worker.ts", here).href;
    const code = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(worker)});`;
    return { url: code, eval: true, execArgv: ["--conditions=@fcn/source"] };
  }
  return { url: new URL("./worker.js", here), eval: false, execArgv: [] };
}

async function runOnWorkers(
  jobs: readonly Job[], count: number, mode: Mode, emit: (event: SweepEvent) => void, finish: (record: RunRecord) => void,
): Promise<void> {
  const entry = workerEntry();
  let next = 0;
  await Promise.all(Array.from({ length: count }, (_, slot) => new Promise<void>((resolve, reject) => {
    const worker = new Worker(entry.url, { eval: entry.eval, execArgv: entry.execArgv });
    let current: Job | undefined;
    const feed = () => {
      if (next >= jobs.length) {
        void worker.terminate().then(() => resolve());
        return;
      }
      const id = next++;
      current = jobs[id];
      emit({ type: "start", experiment: current.experiment.id, hash: current.hash, worker: slot });
      worker.postMessage({ id, experiment: current.experiment.id, config: current.config, mode });
    };
    worker.on("message", (message: { id: number; progress?: number; record?: RunRecord }) => {
      if (message.record) {
        finish(message.record);
        feed();
      } else if (message.progress !== undefined && current) {
        emit({ type: "progress", experiment: current.experiment.id, hash: current.hash, fraction: message.progress });
      }
    });
    worker.on("error", reject);
    worker.on("exit", (code) => { if (code !== 0 && next < jobs.length) reject(new Error(`worker ${slot} exited with code ${code}`)); });
    feed();
  })));
}
