/**
 * The benchmark's measuring and reporting machinery, independent of any engine: the timing
 * loop, its statistics, the report model (cases, peers, ratios, targets) and the JSON and
 * Markdown writers. `run.ts` wires engines into it; `test/bench-harness.test.ts` checks it
 * on fake measurements.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, unlinkSync } from "node:fs";
import path from "node:path";
import { type PeakEstimate, type SuspectFlag, peakGflops, suspectFlag } from "./peers";

// ---------------------------------------------------------------------------------------------
// Statistics

/** Median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile q ∈ [0, 1] of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile: empty list");
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Interquartile range relative to the median: a unitless noise figure (0 = perfectly steady). */
export function relativeSpread(values: readonly number[]): number {
  const m = median(values);
  if (m === 0) return 0;
  return (quantile(values, 0.75) - quantile(values, 0.25)) / m;
}

/** Summary of repeated timings: each sample is the mean seconds per call over one repetition. */
export interface Timing {
  /** Median over repetitions of seconds per call. */
  secondsPerOp: number;
  /** 1 / secondsPerOp. */
  opsPerSec: number;
  /** Number of repetitions (samples). */
  reps: number;
  /** Calls per repetition. */
  callsPerRep: number;
  /** Seconds spent in the timed repetitions (warm-up excluded). */
  totalSeconds: number;
  /** Fastest repetition, seconds per call. */
  minSecondsPerOp: number;
  /** Interquartile range over the median. */
  spread: number;
}

/** Builds a Timing from per-repetition samples (seconds per call). */
export function summarize(samples: readonly number[], callsPerRep: number): Timing {
  const secondsPerOp = median(samples);
  return {
    secondsPerOp,
    opsPerSec: 1 / secondsPerOp,
    reps: samples.length,
    callsPerRep,
    totalSeconds: samples.reduce((s, x) => s + x * callsPerRep, 0),
    minSecondsPerOp: Math.min(...samples),
    spread: relativeSpread(samples),
  };
}

export interface MeasureOptions {
  /** Seconds of warm-up calls before timing (at least `minWarmupCalls` calls). */
  warmupSeconds: number;
  /** Timed seconds per case: repetitions continue until at least this much has run. */
  minSeconds: number;
  /** At least this many repetitions (samples for the median). */
  minReps: number;
  /**
   * Slow cases stop after 3 repetitions once this many seconds have run, and after any
   * repetition once twice this has run (a call slower than that is timed once).
   */
  maxSeconds: number;
}

export const FULL_OPTIONS: MeasureOptions = { warmupSeconds: 0.2, minSeconds: 0.5, minReps: 7, maxSeconds: 4 };
export const QUICK_OPTIONS: MeasureOptions = { warmupSeconds: 0.03, minSeconds: 0.1, minReps: 3, maxSeconds: 1 };

const MIN_WARMUP_CALLS = 1;
const SLOW_REPS = 3;

/** Seconds since an arbitrary origin, high resolution. */
export type Clock = () => number;
export const hrClock: Clock = () => Number(process.hrtime.bigint()) / 1e9;

/**
 * Times `fn`: warm-up, then repetitions of `callsPerRep` calls each, sized so that one
 * repetition takes about minSeconds / minReps, until at least minSeconds and minReps are
 * reached (for slow calls: maxSeconds and 3 repetitions, or 2·maxSeconds). Reports the median.
 */
export function measure(fn: () => void, options: MeasureOptions, clock: Clock = hrClock): Timing {
  // Warm-up (JIT, caches, buffer pools) and a first estimate of the cost of one call.
  let calls = 0;
  const w0 = clock();
  let elapsed: number;
  do {
    fn();
    calls++;
    elapsed = clock() - w0;
  } while (calls < MIN_WARMUP_CALLS || elapsed < options.warmupSeconds);
  const estimate = Math.max(elapsed / calls, 1e-9);

  const perRep = options.minSeconds / options.minReps;
  const callsPerRep = Math.max(1, Math.round(perRep / estimate));
  const samples: number[] = [];
  let total = 0;
  for (;;) {
    const t0 = clock();
    for (let i = 0; i < callsPerRep; i++) fn();
    const dt = clock() - t0;
    samples.push(dt / callsPerRep);
    total += dt;
    if (samples.length >= options.minReps && total >= options.minSeconds) break;
    if (samples.length >= SLOW_REPS && total >= options.maxSeconds) break;
    if (total >= 2 * options.maxSeconds) break; // very slow calls: one or two repetitions
  }
  return summarize(samples, callsPerRep);
}

// ---------------------------------------------------------------------------------------------
// Report model

/** The engines compared: ours first, then the peers. */
export const ENGINES = ["ours", "tfjs-cpu", "tfjs-wasm", "torch"] as const;
export type EngineName = (typeof ENGINES)[number];
export const PEERS = ["tfjs-cpu", "tfjs-wasm", "torch"] as const;
export type PeerName = (typeof PEERS)[number];

export const ENGINE_LABELS: Record<EngineName, string> = {
  ours: "@fcn/tensor",
  "tfjs-cpu": "tfjs-cpu",
  "tfjs-wasm": "tfjs-wasm",
  torch: "PyTorch",
};

export type CaseGroup = "matmul" | "elementwise" | "reduction" | "softmax" | "training" | "conv";

/** One benchmark case, the same for every engine. */
export interface CaseSpec {
  /** Stable identifier, e.g. `matmul-f32-AtB-512`, shared with the PyTorch script. */
  id: string;
  group: CaseGroup;
  /** Human label for tables. */
  label: string;
  /** Floating-point operations per call (GFLOP/s is reported when set). */
  flops?: number;
  /** Elements processed per call (Melem/s is reported when set). */
  elements?: number;
  /** Unit for "ops/s" in tables (e.g. "steps/s"). */
  opUnit?: string;
  params: MatmulParams | ElementwiseParams | MlpParams | ConvParams;
}

/** A conv2d layer forward (float32, stride 1): x [batch, inChannels, size, size], w [outChannels, inChannels, kernel, kernel]. */
export interface ConvParams {
  kind: "conv2d";
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  padding: number;
}

export interface MatmulParams {
  kind: "matmul";
  dtype: "float32" | "float64";
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

export type ElementwiseOp = "add" | "mul" | "exp" | "erf" | "addRow" | "sum" | "sumAxis0" | "sumAxis1" | "max" | "softmax";
export interface ElementwiseParams {
  kind: "elementwise";
  op: ElementwiseOp;
  /** Shape of the main operand ([rows, cols]; rows·cols elements). */
  rows: number;
  cols: number;
  /** "fast": @fcn/tensor runs the case in fast float32 math mode (setMathMode); peers run it as usual. */
  mathMode?: "fast";
}

export interface MlpParams {
  kind: "mlp";
  batch: number;
  layers: number[];
  learningRate: number;
}

/** One engine's result for one case. */
export interface EngineResult {
  /** Median repetition. */
  secondsPerOp: number;
  opsPerSec: number;
  /** Fastest repetition (less sensitive to a busy machine than the median). */
  minSecondsPerOp: number;
  /** Present for cases with `flops`. */
  gflops?: number;
  /** Present for cases with `elements`: millions of elements per second. */
  melemsPerSec?: number;
  reps: number;
  callsPerRep: number;
  spread: number;
  /** Set on a native peer's figure far below the machine's peak: no ratio is taken against it. */
  suspect?: SuspectFlag;
}

export interface CaseResult extends CaseSpec {
  /** Per engine: a result, or a string saying why there is none (unsupported, skipped, failed). */
  results: Partial<Record<EngineName, EngineResult | string>>;
  /** ours.opsPerSec / peer.opsPerSec (> 1: ours is faster); null when either is missing. */
  ratios: Partial<Record<PeerName, number | null>>;
}

export type TargetStatus = "PASS" | "MISS" | "N/A" | "SUSPECT";
export interface TargetResult {
  id: string;
  /** The issue that set the target (3: first speed targets; 14: SIMD kernels, honest peers). */
  issue?: number;
  description: string;
  /** What is compared (e.g. "ours/tfjs-wasm" or "time(AᵀB)/time(AB)"). */
  metric: string;
  measured: number | null;
  /** Threshold and direction: measured must be ≥ (or ≤) this. */
  required: number;
  direction: ">=" | "<=";
  status: TargetStatus;
}

export interface PeerInfo {
  available: boolean;
  version?: string;
  note?: string;
  [key: string]: unknown;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryGiB: number;
  platform: string;
  arch: string;
  node: string;
  v8: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
}

export interface BenchReport {
  schema: 1;
  generatedAt: string;
  command: string;
  quick: boolean;
  machine: MachineInfo;
  /** `threads`: the thread count of every engine in the main table (1). */
  method: MeasureOptions & { statistic: string; threads?: number };
  engines: Record<EngineName, PeerInfo>;
  /** Checks made before timing (e.g. the MLP trains, memory stays flat). */
  checks: Record<string, unknown>;
  cases: CaseResult[];
  targets: TargetResult[];
  /** The machine's float32 FMA peak (see peers.ts), the reference for suspect peer figures. */
  peak?: PeakInfo;
  /** matmul at 1 and 2 threads: ours, PyTorch and NumPy. */
  threads?: ThreadsReport;
  notes: string[];
}

export interface PeakInfo {
  estimate: PeakEstimate | null;
  /** A measured lower bound: the best float32 GFLOP/s of our wasm SIMD gemm at 1 thread in this run. */
  measuredLowerBoundGflops?: number;
  /** Peers whose figures are checked (native BLAS peers; tfjs's figures are its own kernels' speed). */
  checkedPeers: string[];
  suspectFraction: number;
}

/** Engines of the threads section: `ours@1`, `torch@2`, `numpy@1`, ... */
export type ThreadedEngine = `${"ours" | "torch" | "numpy"}@${number}`;

export interface ThreadsCase extends CaseSpec {
  results: Partial<Record<ThreadedEngine, EngineResult | string>>;
  /** ours@t / peer@t in speed, for every peer and thread count t; null when missing or suspect. */
  ratios: Partial<Record<ThreadedEngine, number | null>>;
}

export interface ThreadsReport {
  threadCounts: number[];
  engines: Record<string, PeerInfo>;
  cases: ThreadsCase[];
  targets: TargetResult[];
}

/** Turns a timing into a result, adding throughput figures the case defines. */
export function toEngineResult(spec: CaseSpec, timing: Timing): EngineResult {
  const r: EngineResult = {
    secondsPerOp: timing.secondsPerOp,
    opsPerSec: timing.opsPerSec,
    minSecondsPerOp: timing.minSecondsPerOp,
    reps: timing.reps,
    callsPerRep: timing.callsPerRep,
    spread: round(timing.spread, 4),
  };
  if (spec.flops !== undefined) r.gflops = spec.flops / timing.secondsPerOp / 1e9;
  if (spec.elements !== undefined) r.melemsPerSec = spec.elements / timing.secondsPerOp / 1e6;
  return r;
}

export function isResult(r: EngineResult | string | undefined): r is EngineResult {
  return typeof r === "object" && r !== null;
}

/** ours/peer speed: null where either side is missing or the peer's figure is suspect. */
export function speedRatio(ours: EngineResult | string | undefined, peer: EngineResult | string | undefined): number | null {
  return isResult(ours) && isResult(peer) && peer.suspect === undefined ? ours.opsPerSec / peer.opsPerSec : null;
}

/** ours/peer speed ratios for a case's results. */
export function computeRatios(results: CaseResult["results"]): CaseResult["ratios"] {
  const ratios: CaseResult["ratios"] = {};
  for (const peer of PEERS) ratios[peer] = speedRatio(results.ours, results[peer]);
  return ratios;
}

/** Native peers (their kernels are BLAS/oneDNN builds that can be misconfigured): the figures checked against the peak. */
export const NATIVE_PEERS: readonly PeerName[] = ["torch"];

/**
 * Flags every native peer's GFLOP/s figure below SUSPECT_FRACTION of the machine's peak on
 * the peer's thread count (see peers.ts). Returns the number flagged; ratios must be
 * recomputed afterwards.
 */
export function flagSuspects(results: Partial<Record<string, EngineResult | string>>, spec: CaseSpec, peer: string, threads: number, peak: PeakEstimate | null): number {
  const r = results[peer];
  if (!isResult(r) || r.gflops === undefined || spec.flops === undefined) return 0;
  const p = spec.params;
  const dtype = p.kind === "matmul" ? p.dtype : "float32";
  const flag = suspectFlag(r.gflops, dtype, threads, peak);
  if (flag === null) {
    delete r.suspect;
    return 0;
  }
  r.suspect = flag;
  return 1;
}

/** The share of the peak a figure reaches (for the report), or null. */
export function fractionOfPeak(r: EngineResult | string | undefined, spec: CaseSpec, threads: number, peak: PeakEstimate | null): number | null {
  if (!isResult(r) || r.gflops === undefined || peak === null) return null;
  const p = spec.params;
  return r.gflops / peakGflops(peak, p.kind === "matmul" ? p.dtype : "float32", threads);
}

function status(measured: number | null, required: number, direction: ">=" | "<="): TargetStatus {
  if (measured === null || !Number.isFinite(measured)) return "N/A";
  return (direction === ">=" ? measured >= required : measured <= required) ? "PASS" : "MISS";
}

/**
 * The issue's speed targets evaluated on a set of case results:
 * matmul f32 ≥ 1.5× tfjs-wasm and ≥ 30× tfjs-cpu; AᵀB/ABᵀ within 1.2× of AB (ours);
 * MLP step ≥ 5× tfjs-wasm; elementwise and reductions at 1M ≥ tfjs-wasm.
 */
export function evaluateTargets(cases: readonly CaseResult[]): TargetResult[] {
  const out: TargetResult[] = [];
  const byId = new Map(cases.map((c) => [c.id, c]));
  const ratioTarget = (c: CaseResult, peer: PeerName, required: number, what: string, issue = 3, idSuffix = "") => {
    const measured = c.ratios[peer] ?? null;
    const p = c.results[peer];
    const suspect = isResult(p) && p.suspect !== undefined;
    out.push({
      id: `${c.id}:${peer}${idSuffix}`,
      issue,
      description: `${c.label}: ${what}`,
      metric: `ours/${peer}`,
      measured,
      required,
      direction: ">=",
      status: suspect ? "SUSPECT" : status(measured, required, ">="),
    });
  };
  for (const c of cases) {
    const p = c.params;
    if (p.kind === "matmul" && p.dtype === "float32") {
      ratioTarget(c, "tfjs-wasm", 1.5, "≥ 1.5× tfjs-wasm");
      ratioTarget(c, "tfjs-cpu", 30, "≥ 30× tfjs-cpu");
      if (p.transposeA || p.transposeB) {
        const ab = byId.get(`matmul-f32-AB-${p.n}`);
        const mine = c.results.ours;
        const base = ab?.results.ours;
        const measured = isResult(mine) && isResult(base) ? mine.secondsPerOp / base.secondsPerOp : null;
        out.push({
          id: `${c.id}:vsAB`,
          issue: 3,
          description: `${c.label}: time within 1.2× of AB`,
          metric: `time(${p.transposeA ? "AᵀB" : "ABᵀ"})/time(AB)`,
          measured,
          required: 1.2,
          direction: "<=",
          status: status(measured, 1.2, "<="),
        });
      }
      if (p.n === 512 && !p.transposeA && !p.transposeB) ratioTarget(c, "torch", 0.5, "≥ 0.5× PyTorch, 1 thread each", 14);
    } else if (p.kind === "mlp") {
      ratioTarget(c, "tfjs-wasm", 5, "≥ 5× tfjs-wasm steps/s");
      ratioTarget(c, "tfjs-wasm", 6, "≥ 6× tfjs-wasm steps/s", 14, ":6x");
      ratioTarget(c, "torch", 2.5, "≥ 2.5× PyTorch steps/s", 14);
    } else if (p.kind === "conv2d") {
      ratioTarget(c, "tfjs-wasm", 1, "≥ tfjs-wasm");
    } else if (p.kind === "elementwise" && (c.group === "elementwise" || c.group === "reduction")) {
      ratioTarget(c, "tfjs-wasm", 1, "≥ tfjs-wasm");
      ratioTarget(c, "torch", 0.5, "≥ 0.5× PyTorch", 14);
    } else if (p.kind === "elementwise" && c.group === "softmax") {
      ratioTarget(c, "torch", 0.5, "≥ 0.5× PyTorch", 14);
    }
  }
  return out;
}

/** Issue 14's threaded matmul target: f32 A·B 512 on 2 threads ≥ 0.8× PyTorch on 2 threads. */
export function evaluateThreadTargets(cases: readonly ThreadsCase[]): TargetResult[] {
  const out: TargetResult[] = [];
  for (const c of cases) {
    const p = c.params;
    if (p.kind !== "matmul" || p.n !== 512 || p.dtype !== "float32") continue;
    const peer = c.results["torch@2"];
    const measured = c.ratios["torch@2"] ?? null;
    if (c.results["ours@2"] === undefined && peer === undefined) continue;
    out.push({
      id: `${c.id}:torch@2`,
      issue: 14,
      description: `${c.label}: ≥ 0.8× PyTorch, 2 threads each`,
      metric: "ours@2/torch@2",
      measured,
      required: 0.8,
      direction: ">=",
      status: isResult(peer) && peer.suspect !== undefined ? "SUSPECT" : status(measured, 0.8, ">="),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Three significant figures, plain notation for typical magnitudes. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString("en-US");
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return "0";
  return x.toPrecision(3);
}

export function fmtRatio(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2)}×`;
}

/** The figure a table shows for one engine's result: GFLOP/s, Melem/s or ops/s. */
export function headline(c: CaseSpec, r: EngineResult | string | undefined): string {
  if (!isResult(r)) return "—";
  if (r.gflops !== undefined) return r.suspect ? `${fmt(r.gflops)} (suspect)` : fmt(r.gflops);
  if (r.melemsPerSec !== undefined) return fmt(r.melemsPerSec);
  return fmt(r.opsPerSec);
}

export function headlineUnit(c: CaseSpec): string {
  if (c.flops !== undefined) return "GFLOP/s";
  if (c.elements !== undefined) return "Melem/s";
  return c.opUnit ?? "ops/s";
}

function targetsFor(caseId: string, targets: readonly TargetResult[]): TargetResult[] {
  return targets.filter((t) => t.id.startsWith(`${caseId}:`));
}

function shortTarget(t: TargetResult): string {
  const peer = t.metric.startsWith("ours/") ? t.metric.slice(5) : "";
  const what = t.metric.startsWith("time(") ? `≤${t.required}×AB` : `≥${t.required}× ${peer}`;
  const measured = t.status === "MISS" ? ` (${t.metric.startsWith("time(") ? `${t.measured?.toFixed(2)}×` : fmtRatio(t.measured)})` : "";
  return `${what}: ${t.status}${measured}`;
}

/** A ratio cell: the ratio, or "suspect" where the peer's figure was flagged. */
function ratioCell(ratio: number | null | undefined, peer: EngineResult | string | undefined): string {
  return isResult(peer) && peer.suspect !== undefined ? "suspect" : fmtRatio(ratio);
}

/** A markdown table row: a `|` inside a cell (a bound written Σ|x|) is escaped, or it would split the cell. */
function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
}

function targetRow(t: TargetResult): string {
  const measured = t.metric.startsWith("time(") ? (t.measured === null ? "—" : `${t.measured.toFixed(2)}×`) : fmtRatio(t.measured);
  const issue = t.issue === undefined ? "" : ` (issue ${t.issue})`;
  return tableRow([`${t.description}${issue}`, t.metric, measured, `${t.direction} ${t.required}×`, t.status]);
}

function countMet(targets: readonly TargetResult[]): string {
  const counted = targets.filter((t) => t.status === "PASS" || t.status === "MISS");
  const passed = counted.filter((t) => t.status === "PASS").length;
  const suspect = targets.filter((t) => t.status === "SUSPECT").length;
  const na = targets.filter((t) => t.status === "N/A").length;
  const extra = [na > 0 ? `${na} not measurable in this run` : "", suspect > 0 ? `${suspect} against a suspect peer figure` : ""].filter(Boolean);
  return `${passed} of ${counted.length} met${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

/** One line about a native peer's kernel configuration (BLAS, threads), from its recorded config. */
function peerConfigLine(name: string, e: PeerInfo | undefined): string | null {
  if (!e?.available) return null;
  const cfg = (e.config ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof cfg.blasInfo === "string") parts.push(`BLAS_INFO=${cfg.blasInfo}`);
  if (typeof cfg.cpuCapability === "string") parts.push(`CPU capability ${cfg.cpuCapability}`);
  if (Array.isArray(cfg.blasLibraries) && cfg.blasLibraries.length > 0) {
    parts.push(`libraries mapped: ${cfg.blasLibraries.map((x) => `\`${x}\``).join(", ")}${typeof cfg.blasKind === "string" ? ` — ${cfg.blasKind}` : ""}`);
  }
  const scrubbed = cfg.scrubbedEnv as Record<string, unknown> | undefined;
  if (scrubbed) {
    const seen = Object.entries(scrubbed).filter(([, v]) => v !== null);
    parts.push(seen.length === 0 ? "OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset in its process" : `still set: ${seen.map(([k, v]) => `${k}=${String(v)}`).join(", ")}`);
  }
  return parts.length === 0 ? null : `${name}: ${parts.join("; ")}.`;
}

function peakLines(report: BenchReport): string[] {
  const pk = report.peak;
  if (!pk) return [];
  if (!pk.estimate) return [`Peak: unknown (no /proc/cpuinfo clock): peer figures were not checked.`, ""];
  const e = pk.estimate;
  const lower = pk.measuredLowerBoundGflops === undefined ? "" : `; our wasm SIMD gemm reached ${fmt(pk.measuredLowerBoundGflops)} GFLOP/s on 1 thread in this run (a measured lower ` +
    `bound, 128-bit vectors only)`;
  return [
    `Peak (float32 FMA, from /proc/cpuinfo): ${e.formula}${e.physicalCores > 1 ? `, ×${e.physicalCores} cores = ${fmt(e.perCoreGflopsF32 * e.physicalCores)} GFLOP/s` : ""}; ` +
      `float64 is half${lower}. ` +
      `A figure of ${pk.checkedPeers.map((p) => (p === "numpy" ? "NumPy" : (ENGINE_LABELS[p as EngineName] ?? p))).join(" or ")} ` +
        `below ${100 * pk.suspectFraction}% of the peak on its thread count is marked **suspect** and no ratio or target ` +
        `is taken against it.`,
    "",
  ];
}

function threadsLines(t: ThreadsReport): string[] {
  const lines: string[] = [];
  const counts = t.threadCounts;
  const engines = ["ours", "torch", "numpy"] as const;
  const label = { ours: "@fcn/tensor", torch: "PyTorch", numpy: "NumPy" } as const;
  lines.push(`**matmul on ${counts.join(" and ")} thread${counts.length > 1 ? "s" : ""}** (GFLOP/s; ours/peer at the same thread count):`, "");
  const header = ["Case"];
  for (const n of counts) for (const e of engines) header.push(`${label[e]} ${n}t`);
  for (const n of counts) for (const e of engines.slice(1)) header.push(`ours/${label[e]} ${n}t`);
  lines.push(`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i === 0 ? "---" : "--:")).join("|")}|`);
  for (const c of t.cases) {
    const row = [c.label];
    for (const n of counts) for (const e of engines) row.push(headline(c, c.results[`${e}@${n}`]));
    for (const n of counts) for (const e of engines.slice(1)) row.push(ratioCell(c.ratios[`${e}@${n}`], c.results[`${e}@${n}`]));
    lines.push(tableRow(row));
  }
  if (t.targets.length > 0) {
    lines.push("", "| Target | Metric | Measured | Required | Status |", "|---|---|--:|--:|---|");
    for (const x of t.targets) lines.push(targetRow(x));
  }
  const cfg = [peerConfigLine("NumPy", t.engines.numpy)].filter((x): x is string => x !== null);
  if (cfg.length > 0) lines.push("", ...cfg);
  return lines;
}

/** The Markdown that goes between the doc's markers: machine, results table, targets. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const eng = report.engines;
  const lines: string[] = [];
  const peerVersion = (name: EngineName) => {
    const e = eng[name];
    if (!e?.available) return `${ENGINE_LABELS[name]}: not measured${e?.note ? ` (${e.note})` : ""}`;
    if (name === "ours") {
      const at = typeof e.commit === "string" ? ` at ${e.commit}${e.localChanges ? " with uncommitted changes in src/" : ""}` : "";
      return `${ENGINE_LABELS[name]} ${e.version ?? ""}${at}`;
    }
    const extra = typeof e.threads === "number" ? `, ${e.threads} thread${e.threads === 1 ? "" : "s"}` : "";
    return `${ENGINE_LABELS[name]} ${e.version ?? ""}${extra}`.trim();
  };
  lines.push(
    `Measured ${report.generatedAt.slice(0, 16).replace("T", " ")} UTC${report.quick ? " (quick run: fewer sizes, shorter timing)" : ""} with \`${report.command}\`.`,
    "",
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}/${m.arch}, Node ${m.node}. ` +
      `Load average at start ${m.loadAverageStart.map((x) => x.toFixed(2)).join(" ")}` +
      (m.loadAverageEnd ? `, at end ${m.loadAverageEnd.map((x) => x.toFixed(2)).join(" ")}` : "") +
      ".",
    "",
    `Engines: ${ENGINES.map(peerVersion).join("; ")}.`,
    "",
    ...[peerConfigLine("PyTorch", eng.torch)].filter((x): x is string => x !== null).flatMap((x) => [x, ""]),
    ...peakLines(report),
    ...(report.method.threads === undefined
      ? []
      : [
          `Threads: every engine in the first table runs on ${report.method.threads} thread${report.method.threads === 1 ? "" : "s"} ` +
            `(our gemm through \`setGemmThreads\`, PyTorch through \`torch.set_num_threads\` and its BLAS/OpenMP thread variables)` +
            (report.threads ? `; the matmul table after the targets runs on ${report.threads.threadCounts.join(" and ")} threads.` : "."),
          "",
        ]),
    `Method: ${report.method.warmupSeconds} s warm-up, then repetitions until ≥ ${report.method.minSeconds} s and ≥ ` +
      `${report.method.minReps} repetitions per case; the ${report.method.statistic} repetition is reported. ` +
      "Throughput is GFLOP/s for matmul (2·n³ per product), millions of input elements per second for elementwise ops, reductions and softmax, and steps per second for the training step. " +
      "A ratio is ours/peer in speed: above 1× means @fcn/tensor is faster.",
    "",
  );
  const header = ["Case", "Unit", "@fcn/tensor", "tfjs-cpu", "tfjs-wasm", "PyTorch", "ours/tfjs-cpu", "ours/tfjs-wasm", "ours/PyTorch", "Targets"];
  lines.push(`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < 2 || i === header.length - 1 ? "---" : "--:")).join("|")}|`);
  for (const c of report.cases) {
    const ts = targetsFor(c.id, report.targets);
    const row = [
      c.label,
      headlineUnit(c),
      headline(c, c.results.ours),
      headline(c, c.results["tfjs-cpu"]),
      headline(c, c.results["tfjs-wasm"]),
      headline(c, c.results.torch),
      ratioCell(c.ratios["tfjs-cpu"], c.results["tfjs-cpu"]),
      ratioCell(c.ratios["tfjs-wasm"], c.results["tfjs-wasm"]),
      ratioCell(c.ratios.torch, c.results.torch),
      ts.length === 0 ? "—" : ts.map(shortTarget).join("; "),
    ];
    lines.push(tableRow(row));
  }
  lines.push("", `Targets: ${countMet(report.targets)}.`, "");
  lines.push("| Target | Metric | Measured | Required | Status |", "|---|---|--:|--:|---|");
  for (const t of report.targets) lines.push(targetRow(t));
  if (report.threads) lines.push("", ...threadsLines(report.threads));
  if (report.notes.length > 0) {
    lines.push("", "Notes:", "");
    for (const n of report.notes) lines.push(`- ${n}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Writers

export const MARKER_START = "<!-- tensor-bench:start -->";
export const MARKER_END = "<!-- tensor-bench:end -->";

/** Writes `content` to `file` atomically: a temporary file in the same folder, then rename. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw error;
  }
}

/** The report as pretty JSON (numbers rounded to 6 significant figures), newline-terminated. */
export function reportJson(report: BenchReport): string {
  return `${JSON.stringify(report, (_key, value) => (typeof value === "number" && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value), 2)}\n`;
}

export function writeJsonReport(file: string, report: BenchReport): void {
  writeFileAtomic(file, reportJson(report));
}

/**
 * Replaces what lies between the markers in `doc` with `body`. A doc without the markers
 * gets `section` (its fixed text) and the markers with the body appended. Throws when the
 * markers are out of order or repeated.
 */
export function replaceBetweenMarkers(doc: string, body: string, section = "", name = "tensor-bench"): string {
  const open = `<!-- ${name}:start -->`;
  const close = `<!-- ${name}:end -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  if (start === -1 && end === -1) {
    const before = doc.trim() === "" ? "" : `${doc.replace(/\s*$/, "")}\n\n`;
    return `${before}${section.trim() === "" ? "" : `${section.trim()}\n\n`}${block}\n`;
  }
  if (start === -1 || end === -1 || end < start) throw new Error("performance doc: benchmark markers are missing or out of order");
  if (doc.indexOf(open, start + 1) !== -1 || doc.indexOf(close, end + 1) !== -1) {
    throw new Error("performance doc: benchmark markers appear more than once");
  }
  return doc.slice(0, start) + block + doc.slice(end + close.length);
}

/**
 * Updates the Markdown doc with the report's table, between the markers. A missing doc is
 * created from `header`; a doc without the markers (other packages write their own sections
 * in the same file) gets `section` and the markers appended.
 */
export function writeMarkdownReport(file: string, report: BenchReport, text: { header: string; section: string }): void {
  const doc = existsSync(file) ? readFileSync(file, "utf8") : text.header;
  writeFileAtomic(file, replaceBetweenMarkers(doc, renderMarkdown(report), text.section));
}
