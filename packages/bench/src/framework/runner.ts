/**
 * A sweep: expand each experiment's grid, keep this shard's configurations, skip existing
 * records with `--resume`, run the rest in-process (`workers: 1`) or on worker threads, and
 * write each record atomically as it arrives.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { configHash, shardOf } from "./hash.js";
import { executeConfig } from "./execute.js";
import { applyReadings, checkReadingIds, selectReadings, type ReadingSelection } from "./readings.js";
import { hasRecord, writeRecord } from "./store.js";
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
  | { type: "end"; ok: number; failed: number; skipped: number; wallTimeMs: number };

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly mode: Mode;
  readonly seeds: readonly number[];
  readonly out: string;
  readonly workers: number;
  readonly resume?: boolean;
  readonly shard?: { index: number; count: number };
  /** Tensor backend of the runs; "webgpu" is recorded in each config (and so in its hash). */
  readonly backend?: Backend;
  /** Reading values to run (`--reading id=a,b`); the rest follow the mode (see selectReadings). */
  readonly readings?: ReadingSelection;
  readonly onEvent?: (event: SweepEvent) => void;
}

/** Result of a sweep. */
export interface SweepResult {
  readonly records: RunRecord[];
  readonly skipped: number;
}

/** The jobs of a sweep after sharding (resume is applied by {@link runSweep}). */
export function planJobs(
  experiments: readonly Experiment[], mode: Mode, seeds: readonly number[], shard?: { index: number; count: number }, backend: Backend = "cpu",
  readings: ReadingSelection = {},
): Job[] {
  checkReadingIds(experiments, readings);
  const jobs: Job[] = [];
  for (const experiment of experiments) {
    const seen = new Set<string>();
    const selected = selectReadings(experiment, mode, readings);
    for (const grid of applyReadings(experiment, experiment.grid(mode, seeds), selected)) {
      // CPU configs keep their historical hashes; other backends are part of the config.
      const config = backend === "cpu" ? grid : { ...grid, backend };
      const hash = configHash(experiment.id, config);
      if (seen.has(hash)) continue; // identical configurations run once
      seen.add(hash);
      if (shard && shardOf(hash, shard.count) !== shard.index) continue;
      jobs.push({ experiment, config, hash });
    }
  }
  return jobs;
}

/** Runs a sweep and returns the new records. */
export async function runSweep(experiments: readonly Experiment[], options: SweepOptions): Promise<SweepResult> {
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();
  const all = planJobs(experiments, options.mode, options.seeds, options.shard, options.backend, options.readings);
  const jobs = options.resume ? all.filter((j) => !hasRecord(options.out, j.experiment.id, j.hash)) : all;
  for (const experiment of experiments) {
    const total = all.filter((j) => j.experiment === experiment).length;
    const pending = jobs.filter((j) => j.experiment === experiment).length;
    emit({ type: "plan", experiment: experiment.id, total, skipped: total - pending });
  }
  const records: RunRecord[] = [];
  const finish = (record: RunRecord) => {
    writeRecord(options.out, record);
    records.push(record);
    emit({ type: "done", experiment: record.experiment, hash: record.hash, status: record.status, wallTimeMs: record.wallTimeMs, ...(record.error ? { error: record.error } : {}) });
  };
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  if (workers <= 1) {
    for (const job of jobs) {
      emit({ type: "start", experiment: job.experiment.id, hash: job.hash, worker: 0 });
      finish(await executeConfig(job.experiment, job.config, options.mode, (fraction) =>
        emit({ type: "progress", experiment: job.experiment.id, hash: job.hash, fraction })));
    }
  } else {
    await runOnWorkers(jobs, workers, options.mode, emit, finish);
  }
  const ok = records.filter((r) => r.status === "ok").length;
  emit({ type: "end", ok, failed: records.length - ok, skipped: all.length - jobs.length, wallTimeMs: performance.now() - started });
  return { records, skipped: all.length - jobs.length };
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
