/**
 * The experiment contract and the record format: every experiment is a module of this shape,
 * every run of one configuration produces one {@link RunRecord}.
 */

/** Quick mode: the same code path at smaller sizes (all experiments in ≤ 15 min on 2 cores). Full: the seed's protocol. */
export type Mode = "quick" | "full";

/** A JSON value: what configurations and metrics are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One point of an experiment's grid. `seed` is always present; the rest is the experiment's own. */
/** Tensor backends a sweep can run on. */
export type Backend = "cpu" | "webgpu";

export interface Config {
  readonly seed: number;
  readonly [key: string]: Json;
}

/** What a run returns: named numbers, arrays of numbers (curves, spectra), strings or booleans. */
export type Metrics = { [name: string]: number | number[] | string | boolean | null };

/** What a run may use besides its configuration. */
export interface RunContext {
  readonly mode: Mode;
  /** Reports progress inside a long run (0..1); optional for the experiment to call. */
  progress(fraction: number): void;
}

/** A row of a report table: strings and numbers, formatted by the report. */
export type Cell = string | number | null;

/** A table of a report section. */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Shown under the table (definitions, sources). */
  readonly caption?: string;
}

/** A vega-lite plot: the spec is rendered to SVG by the report. */
export interface Plot {
  /** File name without extension, unique within the report. */
  readonly name: string;
  readonly title: string;
  readonly spec: Record<string, unknown>;
}

/** What `tables(records)` returns: our tables (with the published ones beside them), plots, notes. */
export interface ReportSection {
  readonly tables: readonly Table[];
  readonly plots: readonly Plot[];
  /** Notes with evidence, e.g. where a published figure contradicts the seed's definitions. */
  readonly notes: readonly string[];
}

/** An experiment module. */
export interface Experiment<C extends Config = Config> {
  /** Short name used on the command line, e.g. `exp1`. */
  readonly id: string;
  readonly title: string;
  /** Where the seed specifies it, e.g. "000 §4.1". */
  readonly seedRef: string;
  /** Estimated run time in seconds on one core for the whole grid with the default seeds (quick: measured on a 2-core container). */
  estimate(mode: Mode): number;
  /** The configurations to run. */
  grid(mode: Mode, seeds: readonly number[]): C[];
  /** Runs one configuration. A thrown error or a NaN metric records the run as failed. */
  run(config: C, context: RunContext): Metrics | Promise<Metrics>;
  /** Turns the records (successful and failed) into the report section. */
  tables(records: readonly RunRecord[]): ReportSection;
}

/** Where a record was produced. */
export interface MachineInfo {
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
}

/** One JSON file per run: `<out>/<experiment>/<hash>.json`. */
export interface RunRecord {
  /** sha256 of the stable JSON of {experiment, config}: the file name. */
  readonly hash: string;
  readonly experiment: string;
  readonly mode: Mode;
  readonly config: Config;
  readonly seed: number;
  readonly status: "ok" | "failed";
  readonly metrics: Metrics;
  readonly error?: string;
  /** Wall time of the run in milliseconds. */
  readonly wallTimeMs: number;
  /** Versions of the packages that computed it. */
  readonly engine: Record<string, string>;
  readonly machine: MachineInfo;
  readonly finishedAt: string;
}
