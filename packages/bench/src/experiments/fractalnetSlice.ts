/**
 * FractalNet's slice: the same variants trained once per backend and setting (float32, amp,
 * checkpoint, both; `fcn-bench run fractalnet --option slice=true`), summarized by
 * `fcn-bench report fractalnet --option slice=true` as training throughput and peak tensor bytes
 * per setting, optionally written into a Markdown file between this section's markers.
 */
import { machineInfo } from "../framework/machine.js";
import type { Backend, RunRecord, Table } from "../framework/types.js";
import { markdownTable } from "../report/report.js";

/** The settings a slice compares on every backend. */
export const SLICE_SETTINGS = [
  { name: "float32", amp: false, checkpoint: false },
  { name: "--amp", amp: true, checkpoint: false },
  { name: "--checkpoint", amp: false, checkpoint: true },
  { name: "--amp --checkpoint", amp: true, checkpoint: true },
] as const;

/** Issue 9's slice on a GPU machine: 50 sampled variants, 1 epoch of CIFAR-10, WebGPU, all four settings, then its section. */
export const GPU_SLICE_COMMAND =
  "pnpm fcn-bench run fractalnet --backend webgpu --mode full --reading sgdMomentum=0 --option dataset=cifar10 --option limit=50 --option sampleSeed=2026 --option epochs=1 " +
  "--option slice=true --workers 1 --out results-gpu-slice && pnpm fcn-bench report fractalnet --results results-gpu-slice --out results-gpu-slice/report --option slice=true " +
  "--option performanceDoc=docs/performance.md";

export const SLICE_MARKERS = { start: "<!-- fractalnet-slice:start -->", end: "<!-- fractalnet-slice:end -->" } as const;

/** What the slice reads of a record's config (FractalNet's run config; older WebGPU records kept the backend in `train`). */
interface SliceConfig {
  readonly backend?: Backend;
  readonly train: {
    readonly amp?: boolean; readonly checkpoint: boolean; readonly backend?: Backend; readonly dataset: string; readonly size: number;
    readonly trainSize: number; readonly epochs: number; readonly batchSize: number; readonly channels: number | null;
  };
}

/** One row of the slice: a backend and a setting, and the records of its runs. */
export interface SliceRow {
  readonly backend: Backend;
  readonly setting: (typeof SLICE_SETTINGS)[number]["name"];
  readonly records: RunRecord[];
}

const sliceConfig = (record: RunRecord) => record.config as unknown as SliceConfig;

/** The records grouped by backend (cpu first) and setting (in {@link SLICE_SETTINGS} order); combinations without records are left out. */
export function sliceRows(records: readonly RunRecord[]): SliceRow[] {
  const rows: SliceRow[] = [];
  for (const backend of ["cpu", "webgpu"] as const) {
    for (const setting of SLICE_SETTINGS) {
      const matching = records.filter((r) => {
        const c = sliceConfig(r);
        return (c.backend ?? c.train.backend ?? "cpu") === backend && (c.train.amp === true) === setting.amp && c.train.checkpoint === setting.checkpoint;
      });
      if (matching.length) rows.push({ backend, setting: setting.name, records: matching });
    }
  }
  return rows;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : Number.NaN;
};

const bytes = (n: number): string => (n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 10).toFixed(0)} KiB`);

/** The slice as a table: images/s over all runs and per run, peak bytes, accuracy. */
export function sliceTable(rows: readonly SliceRow[]): Table {
  return {
    title: "FractalNet slice: training throughput and peak tensor memory per backend and setting",
    columns: ["backend", "setting", "runs ok", "images/s (all runs)", "images/s (median run)", "peak bytes (median run)", "peak bytes (largest)", "mean val. accuracy", "skipped steps"],
    rows: rows.map(({ backend, setting, records }) => {
      const ok = records.filter((r) => r.status === "ok");
      const metric = (name: string) => ok.map((r) => r.metrics[name] as number);
      // Steady-state time of each run (its first step, kernel compilation, left out), and the images trained in it.
      const seconds = ok.map((r) => ((r.metrics.trainTimeMs as number) - (r.metrics.warmupStepMs as number)) / 1000);
      const images = ok.reduce((sum, r, i) => sum + (r.metrics.trainImagesPerSecond as number) * seconds[i], 0);
      const totalSeconds = seconds.reduce((a, b) => a + b, 0);
      const peaks = metric("peakTensorBytes");
      const accuracy = metric("finalValAccuracy");
      return [
        backend, setting, `${ok.length}/${records.length}`,
        totalSeconds > 0 ? Math.round(images / totalSeconds) : null,
        ok.length ? Math.round(median(metric("trainImagesPerSecond"))) : null,
        ok.length ? bytes(median(peaks)) : null,
        ok.length ? bytes(Math.max(...peaks)) : null,
        ok.length ? `${(100 * accuracy.reduce((a, b) => a + b, 0) / ok.length).toFixed(1)}%` : null,
        metric("skippedSteps").reduce((a, b) => a + b, 0),
      ];
    }),
  };
}

/** The Markdown section: how it was produced, on what, the table, and what the WebGPU figures are. */
export function sliceSection(rows: readonly SliceRow[], command: string, gpuCommand: string = GPU_SLICE_COMMAND): string {
  const records = rows.flatMap((r) => r.records);
  const first = records.find((r) => r.status === "ok");
  const adapter = records.map((r) => r.metrics.adapter).find((a) => typeof a === "string");
  const t = first ? sliceConfig(first).train : undefined;
  const m = first?.machine ?? machineInfo();
  const finished = records.map((r) => r.finishedAt).sort().at(-1)?.slice(0, 10) ?? new Date().toISOString().slice(0, 10);
  const software = typeof adapter === "string" && /llvmpipe|swiftshader|software/i.test(adapter);
  return [
    SLICE_MARKERS.start,
    "## FractalNet slice (CPU and WebGPU)",
    "",
    `Measured by \`${command}\` (\`packages/bench/src/experiments/fractalnetSlice.ts\`), records finished ${finished}: ` +
      `Node ${m.node}, ${m.cpus} cores (${m.cpuModel})${adapter ? `; WebGPU adapter: ${adapter}` : ""}.`,
    t ? `Each row trains the same ${rows[0]?.records.length ?? 0} runs (fractal variants and their plain twins): ${t.dataset} ` +
      `${t.size}×${t.size}, ${t.trainSize} training images, ${t.epochs} epoch(s), batch ${t.batchSize}${t.channels ? `, width ${t.channels}` : ""}.` : "",
    "Images/s counts training images over the wall time of the training steps only (forward, backward, update, the " +
      "per-step loss read, and a device sync at the end of each epoch; no validation, no data loading), leaving out each " +
      "run's first step, which compiles its kernels (`warmupStepMs` in the records). Peak bytes are the largest growth " +
      "of live tensor bytes on the run's device during a step (`memory().bytes`), sampled after the forward and after " +
      "the backward pass.",
    "",
    markdownTable(sliceTable(rows)),
    "",
    software
      ? "**The WebGPU figures come from a software adapter (Mesa llvmpipe through Dawn's OpenGL ES backend, a few GFLOP/s " +
        "on the CPU), not from a GPU**: they show that the path works, that it trains to the CPU's numbers and what it " +
        "holds in memory, not GPU speed."
      : "WebGPU figures are from the adapter named above.",
    "float16 takes 4 bytes on the CPU (emulated) and on adapters without `shader-f16`, so there `--amp` holds more " +
      "than float32 (half copies beside the float32 weights), not less; with `shader-f16` its float16 tensors take 2 " +
      "bytes.",
    "",
    `The real slice on a GPU machine: 50 variants sampled with seed 2026 (the first 50 in enumeration order all have ` +
      `one column) and their plain twins, 100 runs per setting, 1 epoch of CIFAR-10 each (400 runs of 45,000 training ` +
      `images each, 1.8×10⁷ in all), replacing this section: \`FCN_CIFAR10_DIR=/absolute/path/to/cifar-10-batches-bin ` +
      `${gpuCommand}\` (\`pnpm fcn-bench\` runs in packages/bench, so give the data folder as an absolute path).`,
    SLICE_MARKERS.end,
  ].join("\n");
}

/** `text` with the section between the slice markers replaced (appended when absent; a new file when `text` is null). */
export function withSliceSection(text: string | null, section: string): string {
  const current = text ?? "# Performance\n";
  const from = current.indexOf(SLICE_MARKERS.start);
  const to = current.indexOf(SLICE_MARKERS.end);
  return from >= 0 && to > from ? current.slice(0, from) + section + current.slice(to + SLICE_MARKERS.end.length) : `${current.trimEnd()}\n\n${section}\n`;
}
