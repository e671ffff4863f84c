/**
 * The experiment contract and the record format: every experiment is a module of this shape,
 * every run of one configuration produces one {@link RunRecord}.
 */
import type { ExperimentOption, OptionValues } from "./options.js";

/**
 * Quick: the same code path at smaller sizes (CI; all experiments in ≤ 15 min on 2 cores).
 * Standard: the seeds' protocol (epochs, seeds, sizes) sized to about an hour on 2 cores; the
 * committed report. Full: every configuration the seeds describe, at full size (days).
 */
export type Mode = "quick" | "standard" | "full";

/** The three modes, in increasing cost. */
export const MODES: readonly Mode[] = ["quick", "standard", "full"];

/** A JSON value: what configurations and metrics are made of. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Tensor backends a sweep can run on. */
export type Backend = "cpu" | "webgpu";

/**
 * One point of an experiment's grid. `seed` is always present; `reading` holds the value of
 * every reading (see framework/readings.ts) that applies to this configuration; the rest is the
 * experiment's own. All of it is hashed.
 */
export interface Config {
  readonly seed: number;
  readonly [key: string]: Json;
}

/** What a run returns: named numbers, arrays of numbers (curves, spectra), strings or booleans. */
export type Metrics = { [name: string]: number | number[] | string | boolean | null };

/** What a run may use besides its configuration. */
export interface RunContext {
  readonly mode: Mode;
  /** The device the run's tensors live on (already the default device: see framework/device.ts). */
  readonly backend: Backend;
  /** The WebGPU adapter's description; absent on the CPU. */
  readonly adapter?: string;
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
  /** The section's main findings, one sentence each, for the report's summary. */
  readonly findings?: readonly string[];
  /** What this section leaves out (listed under the report's "Not covered by this report"). */
  readonly notCovered?: readonly string[];
}

/** A file besides the report that an experiment's report options ask for (e.g. a section of docs/performance.md). */
export interface ReportFile {
  readonly path: string;
  /** The new content from the current one (null when the file does not exist). */
  update(current: string | null): string;
}

/** An experiment module. */
export interface Experiment<C extends Config = Config, R extends OptionValues = OptionValues, P extends OptionValues = OptionValues> {
  /** Short name used on the command line, e.g. `exp1`. */
  readonly id: string;
  readonly title: string;
  /** Where the seed specifies it, e.g. "000 §4.1". */
  readonly seedRef: string;
  /** Estimated run time in seconds on one core for the whole grid with the default seeds (quick: measured on a 2-core container). */
  estimate(mode: Mode): number;
  /**
   * The configurations to run (before readings are applied: see {@link Experiment.readings}),
   * given the values of {@link Experiment.runOptions} (the framework always passes them; callers
   * such as tests may leave them out for the defaults). An option that changes results must be
   * recorded in each config it affects (so in its hash).
   */
  grid(mode: Mode, seeds: readonly number[], options?: R): C[];
  /** Options of `fcn-bench run` for this experiment (`--option id=value`): see framework/options.ts. */
  readonly runOptions?: readonly ExperimentOption[];
  /** Options of `fcn-bench report` for this experiment, handed to {@link Experiment.tables} and {@link Experiment.reportFiles}. */
  readonly reportOptions?: readonly ExperimentOption[];
  /**
   * Checks (and side effects) before a sweep runs these configurations, e.g. that data files
   * exist; a throw stops the sweep before any run. Also called by `--dry-run` (with `dryRun`).
   */
  prepare?(configs: readonly C[], options: R, context: { readonly dryRun: boolean }): void | Promise<void>;
  /**
   * Choices the seeds leave open that move a published comparison. The sweep runs each
   * applicable configuration once per selected value and stores it in `config.reading`.
   */
  readonly readings?: readonly Reading[];
  /** Runs one configuration. A thrown error or a NaN metric records the run as failed. */
  run(config: C, context: RunContext): Metrics | Promise<Metrics>;
  /** Turns the records (successful and failed) into the report section. */
  tables(records: readonly RunRecord[], options?: P): ReportSection;
  /** Files besides the report that the report options ask for; written by `fcn-bench report`. */
  reportFiles?(records: readonly RunRecord[], options: P, context: { readonly command?: string }): readonly ReportFile[];
}

/** A choice the seeds leave open, with the values it can take; see framework/readings.ts. */
export interface Reading {
  /** Key in `config.reading` and on the command line, e.g. `swissRollLabels`. */
  readonly id: string;
  /** The values, each with what it means. */
  readonly values: Readonly<Record<string, string>>;
  /** The value the seeds' text supports best. */
  readonly default: string;
  /** Why the default: the sentence of the seed it rests on, quoted, with its section. */
  readonly basis: string;
  /** Whether this reading affects a configuration (default: every configuration). */
  appliesTo?(config: Config): boolean;
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
