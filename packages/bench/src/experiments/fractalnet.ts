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
import { CIFAR10_MEAN, CIFAR10_STD, imagesToFloat, loadCifar10, syntheticImages } from "@fcn/data";
import {
  FRACTAL_ACTIVATIONS, FRACTAL_JOINS, FRACTAL_NORMS, type FractalActivation, type FractalJoin, FractalNet, type FractalNetConfig, type FractalNorm, GradScaler, SGD,
} from "@fcn/nn";
import { Generator, type Tensor, autocast, crossEntropy, dispose, gather, tensor, tidy } from "@fcn/tensor";
import { configHash, stableStringify } from "../framework/hash.js";
import { summarize } from "../framework/stats.js";
import { writeFileAtomic } from "../framework/store.js";
import type { Cell, Config, Experiment, Json, Metrics, Mode, Plot, RunContext, RunRecord, Table } from "../framework/types.js";
import { fmt, okRecords } from "../report/format.js";
import { deviceAccuracy } from "./deviceAccuracy.js";
import { type FractalBackend, activateBackend, deactivateBackend, finishDeviceWork, liveBytes } from "./fractalnetBackend.js";

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
export const QUICK_SAMPLE = { count: 6, seed: 2026 } as const;

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
  if (!existsSync(dir)) throw new Error(`no variant folder ${dir}; run \`fcn-bench fractalnet generate --out ${dir}\` first`);
  return readdirSync(dir).filter((n) => n.endsWith(".json")).sort().map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")) as FractalVariant);
}

/** How a variant is trained (part of every run's config, so of its hash). */
export interface TrainSettings {
  readonly dataset: "synthetic" | "cifar10";
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly momentum: number;
  /** Image side (synthetic; CIFAR-10 is 32). */
  readonly size: number;
  readonly classes: number;
  readonly trainSize: number;
  readonly validationSize: number;
  /** Overrides the variant's width (quick mode keeps the networks small). */
  readonly channels: number | null;
  readonly checkpoint: boolean;
  /**
   * Mixed precision: forward and loss under float16 autocast, loss scaled by a GradScaler
   * (PyTorch's defaults), float32 master weights. Present only when true, so configs without
   * it keep the hashes (record names) they had before the option existed.
   */
  readonly amp?: true;
  /**
   * Where the run trains. Present only when it is not the CPU, so CPU configs keep their
   * hashes and CPU and WebGPU records never resume from each other.
   */
  readonly backend?: Exclude<FractalBackend, "cpu">;
}

/** What callers may override: every setting, and the backend by name ("cpu" is the default). */
export type TrainOverrides = Partial<Omit<TrainSettings, "backend">> & { readonly backend?: FractalBackend };

/** Training defaults: the seed's SGD lr 0.01 and batch 16 (momentum is not given by the seed; 0.9 is ours). */
export function trainSettings(mode: Mode, overrides: TrainOverrides = {}): TrainSettings {
  const quick: TrainSettings = {
    dataset: "synthetic", epochs: 2, batchSize: 16, lr: 0.01, momentum: 0.9, size: 8, classes: 4, trainSize: 256, validationSize: 128, channels: 4, checkpoint: false,
  };
  const full: TrainSettings = {
    dataset: "cifar10", epochs: 5, batchSize: 16, lr: 0.01, momentum: 0.9, size: 32, classes: 10, trainSize: 50000, validationSize: 10000, channels: null, checkpoint: false,
  };
  const base = mode === "quick" ? quick : full;
  const merged = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as TrainSettings;
  // amp: false and backend "cpu" are the defaults and leave no trace in the config (or its hash).
  const { amp, backend, ...rest } = merged as Omit<TrainSettings, "backend"> & { backend?: FractalBackend };
  const settings: TrainSettings = { ...rest, ...(amp ? { amp: true as const } : {}), ...(backend && backend !== "cpu" ? { backend } : {}) };
  if (settings.dataset === "cifar10") return { ...settings, size: 32, classes: 10 };
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

interface ImageSet { x: Tensor; y: Tensor }

/** Where `--dataset cifar10` reads the binary files: $FCN_CIFAR10_DIR or ./data/cifar-10-batches-bin. */
export function cifar10Directory(): string {
  return process.env.FCN_CIFAR10_DIR ?? join(process.cwd(), "data", "cifar-10-batches-bin");
}

const dataCache = new Map<string, { train: ImageSet; validation: ImageSet }>();

async function loadData(t: TrainSettings, seed: number): Promise<{ train: ImageSet; validation: ImageSet }> {
  const key = stableStringify({ ...t, seed } as unknown as Json);
  const cached = dataCache.get(key);
  if (cached) return cached;
  let result: { train: ImageSet; validation: ImageSet };
  if (t.dataset === "cifar10") {
    const directory = cifar10Directory();
    const toSet = (d: { x: { data: Uint8Array; shape: readonly number[] }; y: { data: Int32Array } }): ImageSet => {
      const f = imagesToFloat({ data: d.x.data, shape: [...d.x.shape] }, { mean: CIFAR10_MEAN, std: CIFAR10_STD });
      return { x: tensor(f.data, { shape: [...f.shape] }), y: tensor(d.y.data, { shape: [d.y.data.length], dtype: "int32" }) };
    };
    result = {
      train: toSet(await loadCifar10({ directory, split: "train", limit: t.trainSize })),
      validation: toSet(await loadCifar10({ directory, split: "test", limit: t.validationSize })),
    };
  } else {
    const n = t.trainSize + t.validationSize;
    const d = syntheticImages({ classes: t.classes, size: t.size, n, seed });
    const per = d.x.data.length / n;
    const part = (from: number, to: number): ImageSet => ({
      x: tensor(d.x.data.slice(from * per, to * per), { shape: [to - from, ...d.x.shape.slice(1)] }),
      y: tensor(d.y.data.slice(from, to), { shape: [to - from], dtype: "int32" }),
    });
    result = { train: part(0, t.trainSize), validation: part(t.trainSize, n) };
  }
  // Device memory is not garbage collected: free the previous set before caching this one.
  for (const old of dataCache.values()) dispose([old.train, old.validation]);
  dataCache.clear();
  dataCache.set(key, result);
  return result;
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
    input: [3, t.size, t.size], classes: t.classes, plain: config.arm === "plain", checkpoint: t.checkpoint, seed: config.seed,
  };
}

/**
 * Trains one arm on its backend; a non-finite loss throws (the run is recorded as failed with
 * the epoch and step). Every read from the device is asynchronous (the loss once per step,
 * the gradients' inf/NaN check of `stepAsync`, one hit count per validation batch), so the
 * same loop runs on the CPU and on WebGPU.
 */
export async function runFractal(config: FractalRunConfig, context: RunContext): Promise<Metrics> {
  const backend: FractalBackend = config.train.backend ?? "cpu";
  const adapter = await activateBackend(backend);
  try {
    return { ...(await trainFractal(config, context, backend)), backend, ...(adapter === null ? {} : { adapter }) };
  } finally {
    deactivateBackend();
  }
}

/**
 * Training throughput without the first step, which compiles the run's kernels (WebGPU
 * pipelines, JIT) and would dominate short runs; all steps when there is only one.
 */
function imagesPerSecond(images: number, firstBatch: number, totalMs: number, firstStepMs: number): number {
  const steady = images > firstBatch && totalMs > firstStepMs ? { images: images - firstBatch, ms: totalMs - firstStepMs } : { images, ms: totalMs };
  return steady.ms > 0 ? steady.images / (steady.ms / 1000) : 0;
}

/** The training loop of {@link runFractal}, with `backend` already the default device. */
async function trainFractal(config: FractalRunConfig, context: RunContext, backend: FractalBackend): Promise<Metrics> {
  const t = config.train;
  const model = buildFractalModel(config); // invalid configs throw here, before any training
  const params = model.rawParams;
  const describe = model.describe();
  const { train, validation } = await loadData(t, config.seed);
  const optimizer = new SGD(model.parameters(), { lr: t.lr, momentum: t.momentum });
  // Disabled without amp: scale 1 and plain steps, so both modes share one loop.
  const amp = t.amp === true;
  const scaler = new GradScaler({ enabled: amp });
  const generator = new Generator(config.seed);
  const n = train.x.shape[0];
  const trainLoss: number[] = [];
  const valAccuracy: number[] = [];
  const baseline = liveBytes(backend);
  let peak = 0;
  let trainMs = 0;
  let warmupMs = 0;
  const steps = Math.ceil(n / t.batchSize);
  try {
    for (let epoch = 1; epoch <= t.epochs; epoch++) {
      model.train();
      const order = generator.permutation(n);
      let sum = 0;
      const started = performance.now();
      for (let step = 0; step < steps; step++) {
        const rows = order.subarray(step * t.batchSize, Math.min(n, (step + 1) * t.batchSize));
        const loss = tidy(() => {
          const index = tensor(rows, { shape: [rows.length], dtype: "int32" });
          const value = autocast(() => crossEntropy(model.forward(gather(train.x, index, 0)), gather(train.y, index, 0)), { enabled: amp });
          peak = Math.max(peak, liveBytes(backend) - baseline);
          scaler.scale(value).backward();
          peak = Math.max(peak, liveBytes(backend) - baseline);
          return value;
        });
        let v: number;
        try {
          v = (await loss.data())[0];
        } finally {
          loss.dispose();
        }
        // Loss scaling cannot repair a forward pass that overflowed: that run fails.
        if (!Number.isFinite(v)) throw new Error(`non-finite training loss ${v} at epoch ${epoch}, step ${step + 1}`);
        await scaler.stepAsync(optimizer); // skipped when a gradient overflowed
        scaler.update();
        optimizer.zeroGrad();
        sum += v * rows.length;
        if (epoch === 1 && step === 0) warmupMs = performance.now() - started;
        context.progress(((epoch - 1) * steps + step + 1) / (t.epochs * steps));
      }
      await finishDeviceWork(backend); // the last update is queued, not done, until here
      trainMs += performance.now() - started;
      trainLoss.push(sum / n);
      valAccuracy.push(await deviceAccuracy(model, validation, 256));
    }
  } finally {
    // Device memory is not garbage collected: free the weights, gradients and momentum.
    optimizer.zeroGrad();
    optimizer.dispose();
    dispose([...model.stateDict().values()]);
  }
  return {
    params,
    convUnitsPerBlock: describe[0].columnConvs.reduce((a, b) => a + b, 0),
    depth: Math.max(...describe[0].columnConvs) * config.variant.blocks,
    trainLoss,
    valAccuracy,
    finalValAccuracy: valAccuracy[valAccuracy.length - 1] ?? 0,
    bestValAccuracy: Math.max(0, ...valAccuracy),
    peakTensorBytes: peak,
    trainTimeMs: trainMs,
    warmupStepMs: warmupMs,
    trainImagesPerSecond: imagesPerSecond(n * t.epochs, Math.min(n, t.batchSize), trainMs, warmupMs),
    amp,
    lossScale: scaler.getScale(),
    skippedSteps: scaler.skippedSteps,
  };
}

// ----- report ---------------------------------------------------------------------------------

/** What the records say about mixed precision: how many runs used it, their final scales and skipped steps. */
function ampNote(records: readonly RunRecord[]): string {
  const amp = okRecords(records).filter((r) => (r.config as FractalRunConfig).train.amp === true);
  const how = "`--amp` trains under float16 autocast (matmul and conv2d in half precision, float32 master weights) with a GradScaler (initial scale 2^16, ×0.5 and a skipped step on inf/NaN gradients, ×2 after 2,000 clean steps); on the CPU float16 is emulated (values rounded to half, stored in 4 bytes), so it checks the numerics, not speed or memory.";
  if (!amp.length) return `${how} No run here used it.`;
  const skipped = amp.map((r) => (r.metrics.skippedSteps as number | undefined) ?? 0);
  const scales = [...new Set(amp.map((r) => r.metrics.lossScale as number))].sort((a, b) => a - b);
  return `${how} ${amp.length} run(s) used it: ${skipped.reduce((a, b) => a + b, 0)} skipped step(s) in all (at most ${Math.max(...skipped)} in one run); final loss scales ${scales.map((x) => `2^${Math.log2(x)}`).join(", ")}.`;
}

const pct = (x: number) => `${fmt(100 * x, 3)}%`;

function accuracyOf(r: RunRecord): number {
  return r.metrics.finalValAccuracy as number;
}

/** The report section: distribution, best/mean, failures, accuracy vs N and columns, fractal vs plain. */
export function fractalTables(records: readonly RunRecord[]): { tables: Table[]; plots: Plot[]; notes: string[] } {
  const fractal = records.filter((r) => (r.config as FractalRunConfig).arm === "fractal");
  const plain = records.filter((r) => (r.config as FractalRunConfig).arm === "plain");
  const okFractal = okRecords(fractal);
  const acc = okFractal.map(accuracyOf);
  const s = acc.length ? summarize(acc) : null;
  const failed = fractal.filter((r) => r.status === "failed");
  const settings = [...new Set(records.map((r) => {
    const t = (r.config as FractalRunConfig).train;
    return `${t.dataset} ${t.size}×${t.size}, ${t.classes} classes, ${t.trainSize}/${t.validationSize} train/val, ${t.epochs} epochs, SGD lr ${t.lr} momentum ${t.momentum}, batch ${t.batchSize}${t.channels ? `, width ${t.channels}` : ""}${t.checkpoint ? ", checkpointing" : ""}${t.amp ? ", mixed precision (float16 autocast, dynamic loss scaling)" : ""}${t.backend ? `, ${t.backend}` : ""}`;
  }))];
  const chance = 1 / ((records[0]?.config as FractalRunConfig | undefined)?.train.classes ?? 10);
  const summary: Table = {
    title: "FractalNet sweep: validation accuracy of the fractal variants (ours beside 003's published CIFAR-10 figures)",
    columns: ["quantity", "ours", "published (003, CIFAR-10, 5 epochs)"],
    rows: [
      ["variants trained", fractal.length, "1,200+"],
      ["mean final val. accuracy", s ? pct(s.mean) : null, "~83%"],
      ["best final val. accuracy", acc.length ? pct(Math.max(...acc)) : null, "~89–90%"],
      ["median", acc.length ? pct([...acc].sort((a, b) => a - b)[Math.floor(acc.length / 2)]) : null, "—"],
      ["std", s ? pct(s.std) : null, "—"],
      ["failure rate", fractal.length ? pct(failed.length / fractal.length) : null, "~3%"],
      ["chance level", pct(chance), "10%"],
    ],
    caption: `Settings: ${settings.join("; ")}. The published figures are for CIFAR-10 at full width; a quick synthetic run is not comparable to them.`,
  };
  const reasons = new Map<string, number>();
  for (const r of failed) {
    const reason = (r.error ?? "unknown").replace(/\d+(\.\d+)?/g, "#").slice(0, 120);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const failureTable: Table = {
    title: "Failures by reason",
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
    return { title: `Accuracy vs ${axis}`, columns: [axis, "variants", "mean", "std", "best"], rows };
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
    columns: ["variant", "depth", "fractal params", "plain params", "fractal acc.", "plain acc.", "fractal − plain"],
    rows: pairs.slice(0, 40).map(({ f, p }) => {
      const v = (f.config as FractalRunConfig).variant;
      return [
        `N${v.N} C${v.columns} B${v.blocks} k${v.kernel} ${v.norm}/${v.activation}/${v.join}${v.dropPath ? ` dp${v.dropPath}` : ""}`,
        (f.metrics.depth as number) ?? null, (f.metrics.params as number) ?? null, (p.metrics.params as number) ?? null,
        f.status === "ok" ? pct(accuracyOf(f)) : "failed", p.status === "ok" ? pct(accuracyOf(p)) : "failed",
        f.status === "ok" && p.status === "ok" ? `${fmt(100 * (accuracyOf(f) - accuracyOf(p)), 3)} pp` : null,
      ];
    }),
    caption: okPairs.length
      ? `Fractal better in ${wins} of ${okPairs.length} pairs; mean difference ${fmt(100 * summarize(diff).mean, 3)} pp (003 reports fractal ahead of baseline CNNs by ~8 pp on CIFAR-10).`
      : "No complete pairs.",
  };
  const hist = okFractal.map((r) => ({ accuracy: accuracyOf(r) }));
  const plots: Plot[] = [
    {
      name: "fractalnet-accuracy-histogram", title: "FractalNet: distribution of final validation accuracy",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Final validation accuracy of the fractal variants",
        data: { values: hist }, width: 420, height: 220, mark: "bar",
        encoding: { x: { field: "accuracy", type: "quantitative", bin: { maxbins: 20 }, title: "validation accuracy" }, y: { aggregate: "count", type: "quantitative", title: "variants" } },
      },
    },
    {
      name: "fractalnet-accuracy-vs-columns", title: "FractalNet: accuracy vs columns and N",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Validation accuracy vs columns (colour: N)",
        data: { values: okFractal.map((r) => ({ columns: (r.config as FractalRunConfig).variant.columns, N: `N=${(r.config as FractalRunConfig).variant.N}`, accuracy: accuracyOf(r) })) },
        width: 420, height: 240, mark: { type: "point", filled: true },
        encoding: {
          x: { field: "columns", type: "ordinal" }, y: { field: "accuracy", type: "quantitative", title: "validation accuracy" },
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
          { mark: { type: "point", filled: true }, encoding: { x: { field: "plain", type: "quantitative", title: "plain accuracy" }, y: { field: "fractal", type: "quantitative", title: "fractal accuracy" }, color: { field: "columns", type: "nominal" } } },
          { data: { values: [{ a: 0, b: 0 }, { a: 1, b: 1 }] }, mark: { type: "line", strokeDash: [4, 4], color: "gray" }, encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } } },
        ],
      },
    },
    {
      name: "fractalnet-curves", title: "FractalNet: train loss per epoch",
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white", title: "Training loss per epoch (each run)",
        data: { values: okRecords(records).flatMap((r) => (r.metrics.trainLoss as number[]).map((loss, i) => ({ epoch: i + 1, loss, run: r.hash.slice(0, 8), arm: (r.config as FractalRunConfig).arm }))) },
        width: 420, height: 240, mark: { type: "line", point: true },
        encoding: { x: { field: "epoch", type: "quantitative" }, y: { field: "loss", type: "quantitative" }, detail: { field: "run" }, color: { field: "arm", type: "nominal" } },
      },
    },
  ];
  const notes = [
    "Template: f₁ = N conv units (conv → norm → activation), f_{C+1}(x) = join(f_C(f_C(x)), f₁(x)); column c of a block has N·2^{c−1} conv units. The seeds do not define N; we read it as the depth of the base f₁ (N = 1 is the FractalNet rule).",
    `Full space: ${enumerateVariants().length} unique canonical variants (N ∈ {1, 2}, columns 1–4, blocks {2, 3}, kernel {3, 5}, 3 norms, 5 activations, drop-path {0, 0.15}, 3 joins, dropout 0.2, width 16; one-column variants have no join, so join and drop-path collapse). Quick mode trains ${QUICK_SAMPLE.count} variants drawn with seed ${QUICK_SAMPLE.seed} (\`fcn-bench fractalnet generate --limit ${QUICK_SAMPLE.count} --seed ${QUICK_SAMPLE.seed}\`) at width 4 on 8×8 synthetic gratings.`,
    ampNote(records),
    "Peak memory is the largest growth of live tensor bytes on the run's device (`memory().bytes`: the CPU, or WebGPU with `--backend webgpu`) during a training step, sampled after the forward and after the backward pass; it shows what a step holds between forward and backward (with `--checkpoint`, only block inputs and outputs: 0.6 MB instead of 24 MB for N = 2, C = 3, width 8 at 16×16, batch 16), not the transient peak of a block recomputed inside backward.",
  ];
  return { tables: [summary, failureTable, byAxis("N"), byAxis("columns"), byAxis("norm"), byAxis("activation"), byAxis("join"), comparison], plots, notes };
}

/** The experiment module: quick = the seeded sample on synthetic images; full = every variant on CIFAR-10. */
export const fractalnet: Experiment<FractalRunConfig> = {
  id: "fractalnet",
  title: "FractalNet template pipeline: generated CNN variants vs plain networks",
  seedRef: "003, 004",
  estimate: (mode) => (mode === "quick" ? 60 : 2 * enumerateVariants().length * 3600),
  grid(mode, seeds) {
    const variants = mode === "quick" ? generateVariants({ limit: QUICK_SAMPLE.count, seed: QUICK_SAMPLE.seed }) : enumerateVariants();
    return runConfigs(variants, trainSettings(mode), mode === "quick" ? seeds[0] ?? 0 : seeds[0] ?? 0);
  },
  run: runFractal,
  tables: fractalTables,
};
