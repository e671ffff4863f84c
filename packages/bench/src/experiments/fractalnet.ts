/**
 * Seeds 003/004: the FractalNet template pipeline. A generator enumerates the permutation space
 * (fractal depth N, columns, blocks, kernel, norm, activation, drop-path, join) deterministically,
 * dedupes it by canonical config hash, and writes one config file per variant; the runner trains
 * each variant (SGD, lr 0.01, batch 16, dropout 0.2; optionally mixed precision) and records
 * per-epoch train loss and validation accuracy, parameters, peak tensor memory, wall time and,
 * with `amp`, the final loss scale and the skipped steps; the report summarizes the
 * sweep and compares each fractal variant with the plain network of the same depth (its
 * deepest column alone, widened to about the same parameter count).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  FRACTAL_ACTIVATIONS, FRACTAL_JOINS, FRACTAL_NORMS, type FractalActivation, type FractalJoin, FractalNet, type FractalNetConfig, type FractalNorm, GradScaler, SGD,
  type Callback, evaluate, fit,
} from "@fcn/nn";
import { Generator, dispose, ArgumentError, FcnError } from "@fcn/tensor";
import { configHash, stableStringify } from "../framework/hash.js";
import { summarize } from "../framework/stats.js";
import { writeFileAtomic } from "../framework/store.js";
import type { Backend, Cell, Config, Experiment, Json, Metrics, Mode, Plot, ReportFile, ReportSection, RunContext, RunRecord, Table } from "../framework/types.js";
import { readingLabel } from "../framework/readings.js";
import { defineOptions, type OptionValues } from "../framework/options.js";
import { loadCifar10 } from "@fcn/data";
import { fmt, okRecords } from "../report/format.js";
import { type FractalBackend, finishDeviceWork, liveBytes } from "./fractalnetBackend.js";
import { cifar10Directory, DIGITS_SPLIT, FRACTAL_DATASETS, type FractalDataset, fractalData, imageChannels } from "./fractalnetData.js";
import { SLICE_SETTINGS, sliceRows, sliceSection, sliceTable, withSliceSection } from "./fractalnetSlice.js";
import { heldOutAccuracy, outcomeOf, variantLabel } from "./fractalnetFailures.js";
import { effectiveMomentum, SGD_MOMENTUM } from "./fractalnetMomentum.js";
import { publishedComparison } from "./fractalnetVerdicts.js";

export { cifar10Directory };

/** One point of the permutation space (what the generator writes, one file each). */
export interface FractalVariant {
  readonly N: number;
  readonly columns: number;
  readonly blocks: number;
  readonly channels: number;
  readonly kernel: number;
  readonly norm: FractalNorm;
  readonly activation: FractalActivation;
  readonly dropout: number;
  readonly dropPath: number;
  readonly join: FractalJoin;
}

/** The axes of the full space, in enumeration order (outermost first). */
export const FRACTAL_SPACE = {
  N: [1, 2],
  columns: [1, 2, 3, 4],
  blocks: [2, 3],
  channels: [16],
  kernel: [3, 5],
  norm: FRACTAL_NORMS,
  activation: FRACTAL_ACTIVATIONS,
  dropout: [0.2],
  dropPath: [0, 0.15],
  join: FRACTAL_JOINS,
} as const;

/** Quick mode: this many variants drawn with this seed from the canonical list (plus their plain twins). */
export const QUICK_SAMPLE = { count: 3, seed: 2026 } as const;

/** Standard mode: a larger sample with the same seed (so quick's variants are its first ones). */
export const STANDARD_SAMPLE = { count: 20, seed: 2026 } as const;

/** The variants a mode trains: quick and standard a seeded sample, full every variant. */
export function modeVariants(mode: Mode): FractalVariant[] {
  if (mode === "quick") return generateVariants({ limit: QUICK_SAMPLE.count, seed: QUICK_SAMPLE.seed });
  if (mode === "standard") return generateVariants({ limit: STANDARD_SAMPLE.count, seed: STANDARD_SAMPLE.seed });
  return enumerateVariants();
}

/**
 * The canonical form: with one column there is no join, so `join` and `dropPath` cannot change
 * the network and are set to "mean" and 0.
 */
export function canonicalVariant(v: FractalVariant): FractalVariant {
  return v.columns === 1 ? { ...v, join: "mean", dropPath: 0 } : { ...v };
}

/** Hash of a variant's canonical form (the generator's dedupe key and file name). */
export function variantHash(v: FractalVariant): string {
  return configHash("fractalnet-variant", canonicalVariant(v) as unknown as Config);
}

/** Every unique canonical variant of the full space, in deterministic enumeration order. */
export function enumerateVariants(): FractalVariant[] {
  const seen = new Set<string>();
  const out: FractalVariant[] = [];
  const s = FRACTAL_SPACE;
  for (const N of s.N) for (const columns of s.columns) for (const blocks of s.blocks) for (const channels of s.channels)
  for (const kernel of s.kernel) for (const norm of s.norm) for (const activation of s.activation) for (const dropout of s.dropout)
  for (const dropPath of s.dropPath) for (const join of s.join) {
    const v = canonicalVariant({ N, columns, blocks, channels, kernel, norm, activation, dropout, dropPath, join });
    const hash = variantHash(v);
    if (seen.has(hash)) continue;
    seen.add(hash);
    out.push(v);
  }
  return out;
}

/**
 * The generator: all variants, or `limit` of them — the first `limit` in enumeration order, or
 * with `seed` a seeded sample (a seeded permutation of the canonical list, first `limit`).
 */
export function generateVariants(options: { limit?: number; seed?: number } = {}): FractalVariant[] {
  let all = enumerateVariants();
  if (options.seed !== undefined) {
    const order = new Generator(options.seed).permutation(all.length);
    all = Array.from(order, (i) => all[i]);
  }
  return options.limit === undefined ? all : all.slice(0, options.limit);
}

/** Writes one `<hash>.json` per variant into `dir` (atomically) and returns the paths. */
export function writeVariantFiles(dir: string, variants: readonly FractalVariant[]): string[] {
  mkdirSync(dir, { recursive: true });
  return variants.map((v) => {
    const file = join(dir, `${variantHash(v)}.json`);
    writeFileAtomic(file, `${stableStringify(canonicalVariant(v) as unknown as Json)}\n`);
    return file;
  });
}

/** Reads the variant files of a folder (sorted by file name). */
export function readVariantFiles(dir: string): FractalVariant[] {
  if (!existsSync(dir)) throw new ArgumentError(`no variant folder ${dir}; run \`fcn-bench fractalnet generate --out ${dir}\` first`);
  return readdirSync(dir).filter((n) => n.endsWith(".json")).sort().map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")) as FractalVariant);
}

/** How a variant is trained (part of every run's config, so of its hash). */
export interface TrainSettings {
  readonly dataset: FractalDataset;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly momentum: number;
  /** Image side (synthetic; digits are 8, CIFAR-10 32). */
  readonly size: number;
  readonly classes: number;
  readonly trainSize: number;
  /** Watched per epoch; nothing is chosen on it (the seed fixes lr and epochs). */
  readonly validationSize: number;
  /** The held-out split the reported accuracy is measured on. */
  readonly testSize: number;
  /** Overrides the variant's width (quick mode keeps the networks small). */
  readonly channels: number | null;
  readonly checkpoint: boolean;
  /**
   * Mixed precision: forward and loss under float16 autocast, loss scaled by a GradScaler
   * (PyTorch's defaults), float32 master weights. Present only when true, so configs without
   * it keep the hashes (record names) they had before the option existed.
   */
  readonly amp?: true;
}

/** What callers may override: every setting. */
export type TrainOverrides = Partial<TrainSettings>;

/** Digits at the seed's optimizer settings; quick and standard differ in epochs and width. */
const DIGITS: Omit<TrainSettings, "epochs" | "channels"> = {
  dataset: "digits", batchSize: 16, lr: 0.01, momentum: 0, size: 8, classes: 10, ...DIGITS_SPLIT, checkpoint: false,
};

/** The defaults of each mode (see {@link trainSettings}). */
export const MODE_SETTINGS: Readonly<Record<Mode, TrainSettings>> = {
  quick: { ...DIGITS, epochs: 2, channels: 4 },
  // Width 4, as quick: width 8 would take about three times the standard budget.
  standard: { ...DIGITS, epochs: 5, channels: 4 },
  // CIFAR-10: validation is 5,000 of the 50,000 training images, the test file is the test split.
  full: {
    dataset: "cifar10", epochs: 5, batchSize: 16, lr: 0.01, momentum: 0, size: 32, classes: 10, trainSize: 45000, validationSize: 5000, testSize: 10000, channels: null, checkpoint: false,
  },
};

/**
 * Training defaults: the seed's SGD lr 0.01, batch 16 and 5 epochs (quick: 2), momentum 0
 * (PyTorch's SGD default; the seed gives none: see {@link SGD_MOMENTUM}). Quick and standard train on the shipped digits split 60/20/20
 * (both at width 4; full at the variant's width 16 on CIFAR-10).
 */
export function trainSettings(mode: Mode, overrides: TrainOverrides = {}): TrainSettings {
  const base = MODE_SETTINGS[mode];
  const merged = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as TrainSettings;
  // amp: false is the default and leaves no trace in the config (or its hash).
  const { amp, ...rest } = merged;
  const settings: TrainSettings = { ...rest, ...(amp ? { amp: true as const } : {}) };
  if (settings.dataset === "cifar10") return { ...settings, size: 32, classes: 10 };
  if (settings.dataset === "digits") return { ...settings, size: 8, classes: 10 };
  return settings;
}

/** The run config of one arm ("fractal", or "plain": the deepest column alone at about the same parameters). */
export interface FractalRunConfig extends Config {
  readonly arm: "fractal" | "plain";
  readonly variant: FractalVariant & { readonly [k: string]: Json };
  readonly train: TrainSettings & { readonly [k: string]: Json };
}

/** Conv units of a block: fractal N(2^C − 1), plain N·2^{C−1}. */
function convUnits(v: FractalVariant, arm: "fractal" | "plain"): number {
  return arm === "plain" ? v.N * 2 ** (v.columns - 1) : v.N * (2 ** v.columns - 1);
}

/** Width of the plain twin: conv parameters grow with width², so scale by √(fractal units / plain units). */
export function plainWidth(v: FractalVariant, width: number): number {
  return Math.max(1, Math.round(width * Math.sqrt(convUnits(v, "fractal") / convUnits(v, "plain"))));
}

/** Run configs for variants: each fractal variant, and a plain twin for every variant with ≥ 2 columns. */
export function runConfigs(variants: readonly FractalVariant[], train: TrainSettings, seed: number): FractalRunConfig[] {
  const out: FractalRunConfig[] = [];
  for (const v of variants) {
    const c = canonicalVariant(v) as FractalRunConfig["variant"];
    out.push({ seed, arm: "fractal", variant: c, train: train as FractalRunConfig["train"] });
    if (v.columns > 1) out.push({ seed, arm: "plain", variant: c, train: train as FractalRunConfig["train"] });
  }
  return out;
}

/** Builds the model of a run config. */
export function buildFractalModel(config: FractalRunConfig): FractalNet {
  return new FractalNet(modelConfig(config));
}

/** The `FractalNet` config of a run config. */
export function modelConfig(config: FractalRunConfig): FractalNetConfig {
  const { variant: v, train: t } = config;
  const width = t.channels ?? v.channels;
  return {
    N: v.N, columns: v.columns, blocks: v.blocks, channels: config.arm === "plain" ? plainWidth(v, width) : width,
    conv: { kernel: v.kernel }, norm: v.norm, activation: v.activation, dropout: v.dropout, dropPath: v.dropPath, join: v.join,
    input: [imageChannels(t.dataset), t.size, t.size], classes: t.classes, plain: config.arm === "plain", checkpoint: t.checkpoint, seed: config.seed,
  };
}

/**
 * Trains one arm on the run's device (already the default device: framework/device.ts); a
 * non-finite loss throws (the run is recorded as failed with the epoch and step). Every read
 * from the device is asynchronous (the loss once per step, the gradients' inf/NaN check of
 * `stepAsync`, the validation and test predictions): it is @fcn/nn's `fit`, on the CPU and on WebGPU alike.
 */
export async function runFractal(config: FractalRunConfig, context: RunContext): Promise<Metrics> {
  const backend: FractalBackend = context.backend;
  return { ...(await trainFractal(config, context, backend)), backend, ...(context.adapter === undefined ? {} : { adapter: context.adapter }) };
}

/**
 * Training throughput without the first step, which compiles the run's kernels (WebGPU
 * pipelines, JIT) and would dominate short runs; all steps when there is only one.
 */
function imagesPerSecond(images: number, firstBatch: number, totalMs: number, firstStepMs: number): number {
  const steady = images > firstBatch && totalMs > firstStepMs ? { images: images - firstBatch, ms: totalMs - firstStepMs } : { images, ms: totalMs };
  return steady.ms > 0 ? steady.images / (steady.ms / 1000) : 0;
}

/** What a FractalNet run measures while `fit` trains: peak step memory, training time, the first step's time. */
interface TrainingMeasures {
  peak: number;
  trainMs: number;
  warmupMs: number;
}

/**
 * Callbacks that measure a run and fail it on a non-finite loss (loss scaling cannot repair a
 * forward pass that overflowed): live bytes after the forward and after the backward pass,
 * the training steps' time (queued device work finished) without validation, and progress.
 */
function fractalCallbacks(backend: FractalBackend, context: RunContext, epochs: number, measures: TrainingMeasures): Callback {
  const baseline = liveBytes(backend);
  const sample = () => { measures.peak = Math.max(measures.peak, liveBytes(backend) - baseline); };
  let started = 0;
  return {
    onEpochBegin: () => { started = performance.now(); },
    onBeforeBackward: sample,
    onAfterBackward: sample,
    onBatchEnd: ({ epoch, batch, batches, loss }) => {
      if (!Number.isFinite(loss)) throw new FcnError(`non-finite training loss ${loss} at epoch ${epoch}, step ${batch + 1}`);
      if (epoch === 1 && batch === 0) measures.warmupMs = performance.now() - started;
      context.progress(((epoch - 1) * batches + batch + 1) / (epochs * batches));
    },
    onTrainEpochEnd: async () => {
      await finishDeviceWork(backend); // the last update is queued, not done, until here
      measures.trainMs += performance.now() - started;
    },
  };
}

/**
 * One arm of {@link runFractal} with `backend` already the default device: `fit` with the seed's
 * settings (SGD, a fixed number of epochs, no early stopping: the final model is the one tested).
 */
async function trainFractal(config: FractalRunConfig, context: RunContext, backend: FractalBackend): Promise<Metrics> {
  const t = config.train;
  const model = buildFractalModel(config); // invalid configs throw here, before any training
  const params = model.rawParams;
  const describe = model.describe();
  const { train, validation, test } = await fractalData(t, config.seed, backend);
  const optimizer = new SGD(model.parameters(), { lr: t.lr, momentum: effectiveMomentum(config) });
  // Disabled without amp: scale 1 and plain steps, so the records carry a scale either way.
  const amp = t.amp === true;
  const scaler = new GradScaler({ enabled: amp });
  const n = train.x.shape[0];
  const measures: TrainingMeasures = { peak: 0, trainMs: 0, warmupMs: 0 };
  try {
    const { history } = await fit(model, train, {
      epochs: t.epochs, batchSize: t.batchSize, seed: config.seed, optimizer, lossFn: "crossEntropy", amp: scaler,
      metrics: ["accuracy"], validation, validationBatchSize: 256, callbacks: [fractalCallbacks(backend, context, t.epochs, measures)],
    });
    const trainLoss = history.map((h) => h.loss);
    const valAccuracy = history.map((h) => h.validation!.metrics.accuracy);
    const { metrics } = await evaluate(model, test, { lossFn: "crossEntropy", metrics: ["accuracy"], batchSize: 256 });
    return {
      params,
      convUnitsPerBlock: describe[0].columnConvs.reduce((a, b) => a + b, 0),
      depth: Math.max(...describe[0].columnConvs) * config.variant.blocks,
      trainLoss,
      valAccuracy,
      finalValAccuracy: valAccuracy[valAccuracy.length - 1] ?? 0,
      bestValAccuracy: Math.max(0, ...valAccuracy),
      finalTestAccuracy: metrics.accuracy,
      peakTensorBytes: measures.peak,
      trainTimeMs: measures.trainMs,
      warmupStepMs: measures.warmupMs,
      trainImagesPerSecond: imagesPerSecond(n * t.epochs, Math.min(n, t.batchSize), measures.trainMs, measures.warmupMs),
      amp,
      lossScale: scaler.getScale(),
      skippedSteps: scaler.skippedSteps,
    };
  } finally {
    // Device memory is not garbage collected: free the weights, gradients and momentum.
    optimizer.zeroGrad();
    optimizer.dispose();
    dispose([...model.stateDict().values()]);
  }
}

// ----- report ---------------------------------------------------------------------------------

/** What the records say about mixed precision: how many runs used it, their final scales and skipped steps. */
function ampNote(records: readonly RunRecord[]): string {
  const amp = okRecords(records).filter((r) => (r.config as FractalRunConfig).train.amp === true);
  const how = "`--amp` trains under float16 autocast (matmul and conv2d in half precision, float32 master weights) with a GradScaler " +
    "(initial scale 2^16, ×0.5 and a skipped step on inf/NaN gradients, ×2 after 2,000 clean steps); on the CPU float16 " +
    "is emulated (values rounded to half, stored in 4 bytes), so it checks the numerics, not speed or memory.";
  if (!amp.length) return `${how} No run here used it.`;
  const skipped = amp.map((r) => (r.metrics.skippedSteps as number | undefined) ?? 0);
  const scales = [...new Set(amp.map((r) => r.metrics.lossScale as number))].sort((a, b) => a - b);
  return `${how} ${amp.length} run(s) used it: ${skipped.reduce((a, b) => a + b, 0)} skipped step(s) in all (at most ${Math.max(...skipped)} ` +
    `in one run); final loss scales ${scales.map((x) => `2^${Math.log2(x)}`).join(", ")}.`;
}

const pct = (x: number) => `${fmt(100 * x, 3)}%`;

/** ", webgpu" for a run off the CPU (records before the generic `--backend` kept it in `train`), "" on the CPU. */
function backendLabel(record: RunRecord): string {
  const legacy = (record.config as FractalRunConfig).train as { readonly backend?: Backend };
  const backend = record.config.backend ?? legacy.backend;
  return typeof backend === "string" && backend !== "cpu" ? `, ${backend}` : "";
}

const accuracyOf = heldOutAccuracy;

/** The variants that did not learn or crashed (003's failures and ours), with their learning curves. */
function outcomeTable(fractal: readonly RunRecord[]): Table {
  const notLearned = fractal.filter((r) => outcomeOf(r) !== "learned");
  const curve = (xs: unknown, f: (x: number) => string) => (Array.isArray(xs) ? (xs as number[]).map(f).join(" → ") : "—");
  return {
    title: "Variants that failed (at chance) or crashed, with their learning curves",
    columns: ["variant", "depth", "params", "outcome", "train loss per epoch", "val. accuracy per epoch", "test accuracy"],
    rows: notLearned.length
      ? notLearned.slice(0, 40).map((r) => [
        variantLabel((r.config as FractalRunConfig).variant), (r.metrics.depth as number) ?? null, (r.metrics.params as number) ?? null,
        outcomeOf(r) === "crashed" ? `crashed: ${(r.error ?? "unknown").slice(0, 80)}` : "at chance",
        curve(r.metrics.trainLoss, (x) => x.toFixed(3)), curve(r.metrics.valAccuracy, pct), r.status === "ok" ? pct(accuracyOf(r)) : "—",
      ])
      : [["none", null, null, "every variant learned", "—", "—", "—"]],
    caption: notLearned.length > 40 ? `First 40 of ${notLearned.length}.` : undefined,
  };
}

/** The report section: 003's figures beside ours, failures, accuracy per axis, fractal vs plain; with `slice`, the slice table. */
export function fractalTables(all: readonly RunRecord[], options: Partial<FractalReportOptions> = {}): ReportSection & { tables: Table[]; notes: string[] } {
  // Everything below is of the default momentum; the other readings' failure rates are judged beside it.
  const momentumOf = (r: RunRecord) => effectiveMomentum(r.config as FractalRunConfig);
  const defaultMomentum = Number(SGD_MOMENTUM.default);
  const hasReading = all.some((r) => readingLabel(r.config) !== "");
  const records = hasReading ? all.filter((r) => momentumOf(r) === defaultMomentum) : all;
  const alternatives = hasReading
    ? [...new Set(all.map(momentumOf))].filter((m) => m !== defaultMomentum).sort().map((m) => ({
      label: `${SGD_MOMENTUM.id}=${m}`, fractal: all.filter((r) => momentumOf(r) === m && (r.config as FractalRunConfig).arm === "fractal"),
    }))
    : [];
  const fractal = records.filter((r) => (r.config as FractalRunConfig).arm === "fractal");
  const plain = records.filter((r) => (r.config as FractalRunConfig).arm === "plain");
  const okFractal = okRecords(fractal);
  const acc = okFractal.map(accuracyOf);
  const s = acc.length ? summarize(acc) : null;
  const failed = fractal.filter((r) => r.status === "failed");
  const chanceOk = okFractal.filter((r) => outcomeOf(r) === "chance").length;
  const settings = [...new Set(records.map((r) => {
    const t = (r.config as FractalRunConfig).train;
    return `${t.dataset} ${t.size}×${t.size}, ${t.classes} classes, ${t.trainSize}/${t.validationSize}/${t.testSize ?? "—"} ` +
      `train/val/test, ${t.epochs} epochs, SGD lr ${t.lr} momentum ${effectiveMomentum(r.config as FractalRunConfig)}, ` +
      `batch ${t.batchSize}${t.channels ? `, width ${t.channels}` : ""}${t.checkpoint ? ", checkpointing" : ""}` +
      `${t.amp ? ", mixed precision (float16 autocast, dynamic loss scaling)" : ""}${backendLabel(r)}`;
  }))];
  const distribution: Table = {
    title: "Final test accuracy of the fractal variants",
    columns: ["variants trained", "ok", "mean", "median", "std", "best", "at chance", "crashed"],
    rows: [[
      fractal.length, okFractal.length, s ? pct(s.mean) : null, acc.length ? pct([...acc].sort((a, b) => a - b)[Math.floor(acc.length / 2)]) : null,
      s && acc.length > 1 ? pct(s.std) : null, acc.length ? pct(Math.max(...acc)) : null, chanceOk, failed.length,
    ]],
    caption: `Settings: ${settings.join("; ")}.`,
  };
  const reasons = new Map<string, number>();
  for (const r of failed) {
    const reason = (r.error ?? "unknown").replace(/\d+(\.\d+)?/g, "#").slice(0, 120);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const failureTable: Table = {
    title: "Crashes by reason (runs that threw; variants at chance are in the table above)",
    columns: ["reason (numbers masked)", "runs"],
    rows: reasons.size ? [...reasons].sort((a, b) => b[1] - a[1]) : [["none", 0]],
  };
  const byAxis = (axis: "N" | "columns" | "norm" | "activation" | "join"): Table => {
    const groups = new Map<string, number[]>();
    for (const r of okFractal) {
      const key = String((r.config as FractalRunConfig).variant[axis]);
      groups.set(key, [...(groups.get(key) ?? []), accuracyOf(r)]);
    }
    const rows: Cell[][] = [...groups].sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })).map(([k, v]) => {
      const g = summarize(v);
      return [k, v.length, pct(g.mean), v.length > 1 ? pct(g.std) : "—", pct(Math.max(...v))];
    });
    return { title: `Test accuracy vs ${axis}`, columns: [axis, "variants", "mean", "std", "best"], rows };
  };
  // Fractal vs plain: pairs with the same variant and seed.
  const plainByKey = new Map(plain.map((r) => [stableStringify({ v: (r.config as FractalRunConfig).variant, s: r.seed } as unknown as Json), r]));
  const pairs: { f: RunRecord; p: RunRecord }[] = [];
  for (const f of fractal) {
    const p = plainByKey.get(stableStringify({ v: (f.config as FractalRunConfig).variant, s: f.seed } as unknown as Json));
    if (p) pairs.push({ f, p });
  }
  const okPairs = pairs.filter(({ f, p }) => f.status === "ok" && p.status === "ok");
  const wins = okPairs.filter(({ f, p }) => accuracyOf(f) > accuracyOf(p)).length;
  const diff = okPairs.map(({ f, p }) => accuracyOf(f) - accuracyOf(p));
  const comparison: Table = {
    title: "Fractal vs plain network of the same depth (deepest column alone, widened to about the same parameters)",
    columns: ["variant", "depth", "fractal params", "plain params", "fractal test acc.", "plain test acc.", "fractal − plain"],
    rows: pairs.slice(0, 40).map(({ f, p }) => {
      const v = (f.config as FractalRunConfig).variant;
      return [
        variantLabel(v),
        (f.metrics.depth as number) ?? null, (f.metrics.params as number) ?? null, (p.metrics.params as number) ?? null,
        f.status === "ok" ? pct(accuracyOf(f)) : "failed", p.status === "ok" ? pct(accuracyOf(p)) : "failed",
        f.status === "ok" && p.status === "ok" ? `${fmt(100 * (accuracyOf(f) - accuracyOf(p)), 3)} pp` : null,
      ];
    }),
    caption: okPairs.length
      ? `Fractal better in ${wins} of ${okPairs.length} pairs; mean difference ${fmt(100 * summarize(diff).mean, 3)} pp (003 reports fractal ahead of unspecified baseline CNNs by ~8 pp on CIFAR-10).`
      : "No complete pairs.",
  };
  const hist = okFractal.map((r) => ({ accuracy: accuracyOf(r) }));
  const plots: Plot[] = [
    {
      name: "fractalnet-accuracy-histogram", title: "FractalNet: distribution of final test accuracy",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Final test accuracy of the fractal variants",
        data: { values: hist }, width: 420, height: 220, mark: "bar",
        encoding: { x: { field: "accuracy", type: "quantitative", bin: { maxbins: 20 }, title: "test accuracy" }, y: { aggregate: "count", type: "quantitative", title: "variants" } },
      },
    },
    {
      name: "fractalnet-accuracy-vs-columns", title: "FractalNet: accuracy vs columns and N",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Test accuracy vs columns (colour: N)",
        data: { values: okFractal.map((r) => ({ columns: (r.config as FractalRunConfig).variant.columns, N: `N=${(r.config as FractalRunConfig).variant.N}`, accuracy: accuracyOf(r) })) },
        width: 420, height: 240, mark: { type: "point", filled: true },
        encoding: {
          x: { field: "columns", type: "ordinal" }, y: { field: "accuracy", type: "quantitative", title: "test accuracy" },
          color: { field: "N", type: "nominal" }, xOffset: { field: "N", type: "nominal" },
        },
      },
    },
    {
      name: "fractalnet-vs-plain", title: "FractalNet vs plain network of the same depth",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Fractal vs plain (same depth, ~same parameters)",
        data: { values: okPairs.map(({ f, p }) => ({ plain: accuracyOf(p), fractal: accuracyOf(f), columns: `C=${(f.config as FractalRunConfig).variant.columns}` })) },
        width: 300, height: 300,
        layer: [
          {
            mark: { type: "point", filled: true },
            encoding: {
              x: { field: "plain", type: "quantitative", title: "plain test accuracy" },
              y: { field: "fractal", type: "quantitative", title: "fractal test accuracy" },
              color: { field: "columns", type: "nominal" },
            },
          },
          {
            data: { values: [{ a: 0, b: 0 }, { a: 1, b: 1 }] },
            mark: { type: "line", strokeDash: [4, 4], color: "gray" },
            encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } },
          },
        ],
      },
    },
    {
      name: "fractalnet-curves", title: "FractalNet: train loss per epoch",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Training loss per epoch (each run)",
        data: { values: okRecords(records).flatMap((r) => (r.metrics.trainLoss as number[]).map((loss, i) => ({
          epoch: i + 1,
          loss,
          run: r.hash.slice(0, 8),
          arm: (r.config as FractalRunConfig).arm,
        }))) },
        width: 420, height: 240, mark: { type: "line", point: true },
        encoding: { x: { field: "epoch", type: "quantitative" }, y: { field: "loss", type: "quantitative" }, detail: { field: "run" }, color: { field: "arm", type: "nominal" } },
      },
    },
  ];
  const notes = [
    "Template: f₁ = N conv units (conv → norm → activation), f_{C+1}(x) = join(f_C(f_C(x)), f₁(x)); column c of a block " +
      "has N·2^{c−1} conv units. The seeds do not define N; we read it as the depth of the base f₁ (N = 1 is the FractalNet " +
      "rule).",
    `Full space: ${enumerateVariants().length} unique canonical variants (N ∈ {1, 2}, columns 1–4, blocks {2, 3}, kernel ` +
      `{3, 5}, 3 norms, 5 activations, drop-path {0, 0.15}, 3 joins, dropout 0.2, width 16; one-column variants have ` +
      `no join, so join and drop-path collapse). Quick mode trains ${QUICK_SAMPLE.count} variants drawn with seed ${QUICK_SAMPLE.seed} ` +
      `(\`fcn-bench fractalnet generate --limit ${QUICK_SAMPLE.count} --seed ${QUICK_SAMPLE.seed}\`) at width ${MODE_SETTINGS.quick.channels} ` +
      `for ${MODE_SETTINGS.quick.epochs} epochs, standard mode the first ${STANDARD_SAMPLE.count} of the same seeded ` +
      `order at width ${MODE_SETTINGS.standard.channels} for the seed's ${MODE_SETTINGS.standard.epochs} epochs, both ` +
      `on the shipped digits (8×8 grey, 10 classes, 1,797 images) split 60/20/20 stratified with the training seed ` +
      `(${DIGITS_SPLIT.trainSize}/${DIGITS_SPLIT.validationSize}/${DIGITS_SPLIT.testSize}); ` +
      `full mode trains every variant on CIFAR-10 (45,000/5,000 train/validation from the training files, the 10,000 ` +
      `test images as test).`,
    ampNote(records),
    "Peak memory is the largest growth of live tensor bytes on the run's device (`memory().bytes`: the CPU, or WebGPU " +
      "with `--backend webgpu`) during a training step, sampled after the forward and after the backward pass; it shows " +
      "what a step holds between forward and backward (with `--checkpoint`, only block inputs and outputs: 0.6 MB instead " +
      "of 24 MB for N = 2, C = 3, width 8 at 16×16, batch 16), not the transient peak of a block recomputed inside backward.",
  ];
  const published = publishedComparison(fractal, plain, diff, enumerateVariants().length, alternatives);
  const slice = options.slice || options.performanceDoc !== undefined ? [sliceTable(sliceRows(records))] : [];
  return {
    tables: [published.table, distribution, outcomeTable(fractal), failureTable, byAxis("N"), byAxis("columns"), byAxis("norm"), byAxis("activation"), byAxis("join"), comparison, ...slice],
    plots, notes, findings: published.findings, notCovered: [NOT_COVERED],
  };
}

/** What the FractalNet section cannot judge below full mode, and what `amp` on the CPU does not show. */
const NOT_COVERED = "Seeds 003/004 on CIFAR-10 at full size: below full mode the `fractalnet` section trains a seeded sample of variants on the shipped digits (8×8, 10 classes), " +
  "which judges 003's failure rate but not its CIFAR-10 accuracies (`fcn-bench run fractalnet --mode full` needs the CIFAR-10 binary files and days of CPU time). " +
  "Mixed precision (`--amp`) on the CPU emulates float16, so it shows the numerics (loss scale, skipped steps), not the speed or memory of half precision on a GPU.";

/** `fcn-bench report fractalnet --option performanceDoc=…`: the slice section written between its markers in that file. */
function fractalReportFiles(records: readonly RunRecord[], options: FractalReportOptions, context: { readonly command?: string }): ReportFile[] {
  if (options.performanceDoc === undefined) return [];
  const atDefaultMomentum = records.filter((r) => effectiveMomentum(r.config as FractalRunConfig) === Number(SGD_MOMENTUM.default));
  const section = sliceSection(sliceRows(atDefaultMomentum), context.command ?? "fcn-bench report fractalnet --option slice=true");
  return [{ path: options.performanceDoc, update: (current) => withSliceSection(current, section) }];
}

/**
 * Single-core seconds per run (fractal or plain twin), measured on a shared 2-core container:
 * quick (3 variants, 6 runs, 2 epochs) took 50 CPU seconds; one epoch of the first 24 sampled
 * variants took 151 CPU seconds at load ≈ 4 (the first 20: 77% of that wall time), so standard's
 * 40 runs at 5 epochs ≈ 600 s, ≈ 16 s per run; the full 24-variant sweep took 1,219 CPU seconds
 * at load 4–10, so contention can add half again. Full is a guess for CIFAR-10 at width 16.
 */
const SECONDS_PER_RUN: Readonly<Record<Mode, number>> = { quick: 9, standard: 16, full: 3600 };

/** `fcn-bench run fractalnet --option id=value`: which variants, how they train, the slice. */
export const FRACTAL_RUN_OPTIONS = defineOptions([
  {
    id: "configs", type: "path", changesResults: false,
    description: "train the variant files in this folder (one canonical <hash>.json each, as variantsOut writes them) instead of the mode's sample",
  },
  {
    id: "limit", type: "integer", min: 1, changesResults: false,
    description: "only this many variants: the first in enumeration order, or of the seeded sample with sampleSeed, or of the configs files",
  },
  { id: "sampleSeed", type: "integer", min: 0, changesResults: false, description: "a seeded sample of the space (a seeded permutation of the canonical list, then limit)" },
  { id: "dataset", type: "choice", values: FRACTAL_DATASETS, changesResults: true, description: "data set (default: digits in quick and standard mode, cifar10 in full)" },
  { id: "epochs", type: "integer", min: 1, changesResults: true, description: "epochs per variant (default: 2 quick, 5 standard and full)" },
  { id: "amp", type: "boolean", default: false, changesResults: true, description: "mixed precision: float16 autocast, dynamic loss scaling, float32 master weights (emulated on the CPU)" },
  { id: "checkpoint", type: "boolean", default: false, changesResults: true, description: "gradient checkpointing of every block" },
  { id: "slice", type: "boolean", default: false, changesResults: false, description: "train every variant under each of float32, amp, checkpoint and both (instead of amp and checkpoint)" },
  {
    id: "variantsOut", type: "path", changesResults: false,
    description: "also write the selected variants into this folder, one canonical <hash>.json each (seed 004's generator; with --dry-run nothing is trained)",
  },
]);
export type FractalRunOptions = OptionValues<typeof FRACTAL_RUN_OPTIONS>;

/** `fcn-bench report fractalnet --option id=value`. */
export const FRACTAL_REPORT_OPTIONS = defineOptions([
  { id: "slice", type: "boolean", default: false, changesResults: false, description: "add the slice table: training images/s and peak tensor bytes per backend and setting" },
  { id: "performanceDoc", type: "path", changesResults: false, description: "also write the slice section between the fractalnet-slice markers of this Markdown file (e.g. docs/performance.md)" },
]);
export type FractalReportOptions = OptionValues<typeof FRACTAL_REPORT_OPTIONS>;

/** The variants a sweep trains: from variant files, the mode's documented sample, or the generator (limit, sampleSeed). */
export function selectVariants(mode: Mode, options: Pick<Partial<FractalRunOptions>, "configs" | "limit" | "sampleSeed">): FractalVariant[] {
  if (options.configs !== undefined) return readVariantFiles(options.configs).slice(0, options.limit);
  if (mode !== "full" && options.limit === undefined && options.sampleSeed === undefined) return modeVariants(mode);
  return generateVariants({ limit: options.limit, seed: options.sampleSeed });
}

/** The run configs of a sweep: each selected variant (and plain twin) under each setting (the four of the slice, or amp and checkpoint as given). */
export function fractalGrid(mode: Mode, seeds: readonly number[], options: Partial<FractalRunOptions> = {}): FractalRunConfig[] {
  const variants = selectVariants(mode, options);
  const settings = options.slice ? SLICE_SETTINGS : [{ amp: options.amp ?? false, checkpoint: options.checkpoint ?? false }];
  const train = (s: { amp: boolean; checkpoint: boolean }) =>
    trainSettings(mode, { dataset: options.dataset as FractalDataset | undefined, epochs: options.epochs, checkpoint: s.checkpoint, amp: s.amp || undefined });
  return settings.flatMap((s) => runConfigs(variants, train(s), seeds[0] ?? 0));
}

/** Before a sweep: write the variant files asked for, and stop early when CIFAR-10's files are missing (the error says where they go). */
async function prepareFractal(configs: readonly FractalRunConfig[], options: FractalRunOptions, context: { readonly dryRun: boolean }): Promise<void> {
  if (options.variantsOut !== undefined) {
    const unique = new Map(configs.map((c) => [variantHash(c.variant), c.variant as FractalVariant]));
    writeVariantFiles(options.variantsOut, [...unique.values()]);
  }
  if (!context.dryRun && configs.some((c) => c.train.dataset === "cifar10")) await loadCifar10({ directory: cifar10Directory(), split: "test", limit: 1 });
}

/** The experiment module: quick and standard = seeded samples on digits; full = every variant on CIFAR-10. */
export const fractalnet: Experiment<FractalRunConfig, FractalRunOptions, FractalReportOptions> = {
  id: "fractalnet",
  title: "FractalNet template pipeline: generated CNN variants vs plain networks",
  seedRef: "003, 004",
  estimate: (mode) => runConfigs(modeVariants(mode), MODE_SETTINGS[mode], 0).length * SECONDS_PER_RUN[mode] * (mode === "quick" ? 1 : Object.keys(SGD_MOMENTUM.values).length),
  readings: [SGD_MOMENTUM],
  runOptions: FRACTAL_RUN_OPTIONS,
  reportOptions: FRACTAL_REPORT_OPTIONS,
  grid: fractalGrid,
  prepare: prepareFractal,
  run: runFractal,
  tables: fractalTables,
  reportFiles: fractalReportFiles,
};
