/**
 * Speed of @fcn/nn (issue 7, "Speed"): training steps/s at batch 64 for the seeds'
 * configurations (DenseMLP 4,417 params, FractalCirculator H=64 T=5, HSN, KroneckerReservoir
 * H=16 and H=64), inference throughput of the same models, and FractalAttention at
 * N = 64/512/4096 on its three paths (time and peak tensor memory of a forward pass and of a
 * forward + backward pass). When `python3 -c "import torch"` works, the same DenseMLP training
 * step is timed in PyTorch in the same run.
 *
 * Run: `pnpm bench` (full run, printed only), `pnpm bench -- --write-docs` (alias `--write`:
 * also writes the nn section of docs/performance.md and docs/benchmarks/nn.json; from the
 * repository root `pnpm bench:docs`), `pnpm bench -- --quick` (short run), `--json` (print the
 * JSON record instead of the table).
 *
 * Peak memory is the largest number of bytes held by live tensors (`memory()`), sampled after
 * every kernel of the measured call, minus the bytes live before it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  Generator, binaryCrossEntropyWithLogits, getBackend, memory, mse, noGrad, randn, tensor, tidy,
} from "@fcn/tensor";
import { Adam, DenseMLP, FractalAttention, type FractalAttentionPath, FractalCirculator, HSN, KroneckerReservoir, type Module } from "../src/index.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const asJson = args.includes("--json");
const write = (args.includes("--write") || args.includes("--write-docs")) && !args.includes("--no-write");
const log = (line: string) => {
  if (!asJson) console.log(line);
};

const loadStart = loadavg();
const started = new Date();

// ---------------------------------------------------------------------------------------------
// Timing and memory helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Calls per second of `fn`: `repeats` windows of at least `windowMs` each, after a warm-up. */
function rate(fn: () => void, windowMs: number, repeats: number): { median: number; best: number } {
  const warm = performance.now();
  do fn();
  while (performance.now() - warm < windowMs / 4);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let calls = 0;
    const start = performance.now();
    let elapsed: number;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < windowMs);
    rates.push((calls * 1000) / elapsed);
  }
  return { median: median(rates), best: Math.max(...rates) };
}

/** Milliseconds of one call of `fn`: fastest and median of `repeats` after one warm-up call. */
function timeMs(fn: () => void, repeats: number): { median: number; best: number } {
  fn();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return { median: median(times), best: Math.min(...times) };
}

/** Peak bytes of live tensors during `fn` above those live before it (sampled after every kernel). */
function peakBytes(fn: () => void): number {
  const backend = getBackend("cpu");
  const kernels = backend.kernels as unknown as Record<string, (...a: unknown[]) => unknown>;
  const originals = { ...kernels };
  const base = memory().bytes.cpu ?? 0;
  let peak = base;
  for (const [name, kernel] of Object.entries(originals)) {
    kernels[name] = (...a: unknown[]) => {
      const out = kernel(...a);
      peak = Math.max(peak, backend.bytesInUse());
      return out;
    };
  }
  try {
    fn();
  } finally {
    Object.assign(kernels, originals);
  }
  return Math.max(peak, memory().bytes.cpu ?? 0) - base;
}

const mib = (bytes: number) => bytes / 2 ** 20;
const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const fmtMiB = (bytes: number) => (bytes < 2 ** 20 ? `${fmt(bytes / 1024, 0)} KiB` : `${fmt(mib(bytes), 1)} MiB`);

// ---------------------------------------------------------------------------------------------
// Models: training steps/s at batch 64 and inference throughput

interface ModelCase {
  name: string;
  inputs: number;
  loss: "bce" | "mse";
  make: () => Module;
}

const models: ModelCase[] = [
  { name: "DenseMLP (d=2, h=64)", inputs: 2, loss: "bce", make: () => new DenseMLP({ width: 64, seed: 1 }) },
  { name: "FractalCirculator (H=64, T=5, fixed G)", inputs: 2, loss: "bce", make: () => new FractalCirculator({ hidden: 64, steps: 5, seed: 1 }) },
  { name: "HSN (d=2)", inputs: 2, loss: "bce", make: () => new HSN({ seed: 1 }) },
  { name: "KroneckerReservoir (d=10, H=16, T=5)", inputs: 10, loss: "mse", make: () => new KroneckerReservoir({ inputs: 10, hidden: 16, seed: 1 }) },
  { name: "KroneckerReservoir (d=1, H=64, T=5)", inputs: 1, loss: "mse", make: () => new KroneckerReservoir({ inputs: 1, hidden: 64, seed: 1 }) },
];

const BATCH = 64;
const INFERENCE_BATCH = 4096;
const windowMs = quick ? 300 : 1000;
const repeats = quick ? 3 : 5;

interface ModelRecord {
  model: string;
  rawParams: number;
  effectiveParams: number;
  trainStepsPerSec: { median: number; best: number };
  inferenceSamplesPerSec: { median: number; best: number };
}

const modelRecords: ModelRecord[] = [];
log(`@fcn/nn bench${quick ? " (quick)" : ""}: Node ${process.version}, ${availableParallelism()} cores, load ${loadStart.map((x) => x.toFixed(2)).join(" ")}`);
for (const c of models) {
  const model = c.make();
  const gen = new Generator(7);
  const x = randn([BATCH, c.inputs], gen);
  const y = c.loss === "bce" ? tensor(Float32Array.from({ length: BATCH }, (_, i) => i % 2), { shape: [BATCH, 1] }) : randn([BATCH, 1], gen);
  const lossFn = c.loss === "bce" ? binaryCrossEntropyWithLogits : mse;
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  model.train();
  const train = rate(() => tidy(() => {
    const loss = lossFn(model.forward(x), y);
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();
  }), windowMs, repeats);
  model.eval();
  const big = randn([INFERENCE_BATCH, c.inputs], gen);
  const infer = rate(() => noGrad(() => tidy(() => void model.forward(big).dataSync())), windowMs, repeats);
  const record = {
    model: c.name, rawParams: model.rawParams, effectiveParams: model.effectiveParams,
    trainStepsPerSec: train, inferenceSamplesPerSec: { median: infer.median * INFERENCE_BATCH, best: infer.best * INFERENCE_BATCH },
  };
  modelRecords.push(record);
  log(`  ${c.name}: ${fmt(train.median)} steps/s (best ${fmt(train.best)}), inference ${fmt(record.inferenceSamplesPerSec.median)} samples/s`);
}

// ---------------------------------------------------------------------------------------------
// PyTorch peer: the same DenseMLP training step (2 → 64 → 64 → 1, ReLU, BCE with logits, Adam)

interface PeerRecord {
  available: boolean;
  note: string;
  version?: string;
  threads?: number;
  trainStepsPerSec?: { median: number; best: number };
}

/** The first python that can import torch: $FCN_BENCH_PYTHON, Debian's /usr/bin/python3, python3 on PATH. */
function torchPython(): string | null {
  const candidates = [process.env.FCN_BENCH_PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    try {
      execFileSync(python, ["-c", "import torch"], { stdio: "ignore" });
      return python;
    } catch {
      // try the next one
    }
  }
  return null;
}

function pytorchPeer(): PeerRecord {
  const python = torchPython();
  if (python === null) {
    return { available: false, note: "skipped: no python3 that can `import torch` (tools/install-bench-peers.sh installs one)" };
  }
  const script = `
import json, time, torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
assert sum(p.numel() for p in model.parameters()) == 4417
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(${BATCH}, 2); y = (torch.arange(${BATCH}) % 2).float().reshape(-1, 1)
loss_fn = torch.nn.BCEWithLogitsLoss()
def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y); loss.backward(); opt.step()
t = time.perf_counter()
while time.perf_counter() - t < ${windowMs / 4000}: step()
rates = []
for _ in range(${repeats}):
    n = 0; t = time.perf_counter()
    while True:
        step(); n += 1; e = time.perf_counter() - t
        if e >= ${windowMs / 1000}: break
    rates.append(n / e)
rates.sort()
print(json.dumps({"version": torch.__version__, "threads": torch.get_num_threads(), "median": rates[len(rates) // 2], "best": rates[-1]}))
`;
  try {
    // PyTorch at its best: without the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE these machines set for old OpenBLAS builds.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "OPENBLAS_CORETYPE" && k !== "OPENBLAS_L2_SIZE"));
    const out = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env })) as { version: string; threads: number; median: number; best: number };
    return { available: true, note: "same step, same run", version: out.version, threads: out.threads, trainStepsPerSec: { median: out.median, best: out.best } };
  } catch (error) {
    return { available: false, note: `skipped: the PyTorch script failed (${String((error as Error).message).split("\n")[0]})` };
  }
}

const pytorch = pytorchPeer();
log(`  PyTorch DenseMLP peer: ${pytorch.available ? `${fmt(pytorch.trainStepsPerSec!.median)} steps/s` : pytorch.note}`);

// ---------------------------------------------------------------------------------------------
// FractalAttention: materialized vs streaming vs factored

const ATT_D = 16;
const ATT_BATCH = 4;
/** The materialized path is skipped when its estimated N×N arrays exceed this (bytes). */
const materializedBudget = 2 * 2 ** 30;
/** N×N float32 arrays the materialized training step keeps at once (logits, kron intermediates, softmax, gradients). */
const MATERIALIZED_ARRAYS = 8;
const sizes = quick ? [64, 512] : [64, 512, 4096];

interface AttentionRecord {
  tokens: number;
  path: FractalAttentionPath;
  skipped?: string;
  blockRows?: number;
  blockCols?: number;
  forwardMs?: { median: number; best: number };
  trainMs?: { median: number; best: number };
  forwardPeakBytes?: number;
  trainPeakBytes?: number;
}

const attentionRecords: AttentionRecord[] = [];
for (const n of sizes) {
  const v = randn([ATT_BATCH, n, ATT_D], new Generator(3));
  for (const path of ["materialized", "streaming", "factored"] as const) {
    const estimate = MATERIALIZED_ARRAYS * n * n * 4;
    if (path === "materialized" && estimate > materializedBudget) {
      const skipped = `N×N float32 is ${fmtMiB(n * n * 4)}; the materialized training step would hold ~${fmtMiB(estimate)}, over the ${fmtMiB(materializedBudget)} budget`;
      attentionRecords.push({ tokens: n, path, skipped });
      log(`  attention N=${n} ${path}: skipped (${skipped})`);
      continue;
    }
    const layer = new FractalAttention({ tokens: n, model: ATT_D, path, seed: 1 });
    const factors = layer.factors.map((f) => f.value);
    const forward = () => noGrad(() => tidy(() => void layer.mix(v).dataSync()));
    const train = () => tidy(() => {
      const leaf = v.detach().requireGrad();
      layer.mix(leaf).sum().backward();
      leaf.grad?.dispose();
      for (const f of factors) {
        f.grad?.dispose();
        f.grad = null;
      }
    });
    const reps = n >= 4096 ? (quick ? 1 : 3) : repeats;
    const record: AttentionRecord = {
      tokens: n, path,
      ...(path === "streaming" ? { blockRows: layer.blockRows, blockCols: layer.blockCols } : {}),
      forwardMs: timeMs(forward, reps),
      trainMs: timeMs(train, reps),
      forwardPeakBytes: peakBytes(forward),
      trainPeakBytes: peakBytes(train),
    };
    attentionRecords.push(record);
    log(`  attention N=${n} ${path}: forward ${fmt(record.forwardMs!.median, 1)} ms, forward+backward ${fmt(record.trainMs!.median, 1)} ` +
      `ms, peak ${fmtMiB(record.forwardPeakBytes!)} / ${fmtMiB(record.trainPeakBytes!)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const loadEnd = loadavg();
const machine = {
  node: process.version, cores: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown", memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadavgStart: loadStart, loadavgEnd: loadEnd,
};
const record = {
  package: "@fcn/nn", date: started.toISOString(), quick, machine,
  settings: { batch: BATCH, inferenceBatch: INFERENCE_BATCH, optimizer: "Adam lr 1e-3", dtype: "float32", windowMs, repeats, attention: { model: ATT_D, batch: ATT_BATCH, factorSize: 2 } },
  training: modelRecords, pytorch, attention: attentionRecords,
};

const attentionRow = (r: AttentionRecord) => r.skipped
  ? `| ${fmt(r.tokens)} | ${r.path} | skipped | | | | ${r.skipped} |`
  : `| ${fmt(r.tokens)} | ${r.path} | ${fmt(r.forwardMs!.median, 1)} | ${fmt(r.trainMs!.median, 1)} | ${fmtMiB(r.forwardPeakBytes!)} ` +
    `| ${fmtMiB(r.trainPeakBytes!)} | ${r.path === "streaming" ? `tiles ${r.blockRows}×${r.blockCols}` : r.path === "factored" ? "not eq. 8" : ""} ` +
    `|`;

/** One sentence comparing streaming with materialized at the largest N where both ran. */
function attentionSummary(): string {
  const ran = (path: FractalAttentionPath, n: number) => attentionRecords.find((r) => r.path === path && r.tokens === n && !r.skipped);
  const n = [...sizes].reverse().find((t) => ran("materialized", t) && ran("streaming", t));
  if (n === undefined) return "";
  const mat = ran("materialized", n)!;
  const str = ran("streaming", n)!;
  return ` At N = ${fmt(n)} the forward + backward peak is ${fmtMiB(str.trainPeakBytes!)} streaming vs ${fmtMiB(mat.trainPeakBytes!)} materialized `
    + `(${fmt(mat.trainPeakBytes! / str.trainPeakBytes!, 0)}× less), at ${fmt(str.trainMs!.median / mat.trainMs!.median, 2)}× the materialized time.`;
}

/**
 * Issue 14's target: streaming forward + backward at N = 4,096 at least 2× faster than before its
 * rewrite: 875.5 ms (median) in docs/benchmarks/nn.json at commit 12509b8, this machine, load 1.2.
 * Not the same run (the old code is gone), so the ratio carries the machine's run-to-run noise.
 */
const STREAMING_4096_BEFORE_MS = 875.5;

function streamingTarget(): string {
  const r = attentionRecords.find((a) => a.path === "streaming" && a.tokens === 4096 && !a.skipped);
  if (!r) return "";
  const speedup = STREAMING_4096_BEFORE_MS / r.trainMs!.median;
  return ` Streaming forward + backward at N = 4,096: ${fmt(r.trainMs!.median, 1)} ms against ${STREAMING_4096_BEFORE_MS} ms before issue 14's rewrite `
    + `(recorded at 12509b8 on this machine, another run): ${fmt(speedup, 2)}× faster; target ≥ 2×: ${speedup >= 2 ? "met" : "**MISS**"}.`;
}

const dense = modelRecords[0];
const table = [
  `Node ${process.version}, ${machine.cores} cores (${machine.cpu}), ${started.toISOString().slice(0, 10)}${quick ? ", quick run" : ""}. `
    + `1-minute load average ${loadStart[0].toFixed(2)} at the start, ${loadEnd[0].toFixed(2)} at the end: the cores are shared, so figures move by tens of percent between runs. `
    + `Rates are the median of ${repeats} windows of ${windowMs} ms (best in parentheses); float32, CPU backend.`,
  "",
  `**Training** (one step = forward, loss, backward, fused Adam update; batch ${BATCH}) and **inference** (forward without gradients, batch ${fmt(INFERENCE_BATCH)}):`,
  "",
  "| model | raw params | effective | train steps/s | inference samples/s |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...modelRecords.map((r) => `| ${r.model} | ${fmt(r.rawParams)} | ${fmt(r.effectiveParams)} | ${fmt(r.trainStepsPerSec.median)} (${fmt(r.trainStepsPerSec.best)}) ` +
    `| ${fmt(r.inferenceSamplesPerSec.median)} |`),
  "",
  pytorch.available
    ? `PyTorch ${pytorch.version} (${pytorch.threads} threads), the same DenseMLP step in the same run: ${fmt(pytorch.trainStepsPerSec!.median)} ` +
      `steps/s (best ${fmt(pytorch.trainStepsPerSec!.best)}); @fcn/nn/PyTorch = ${fmt(dense.trainStepsPerSec.median / pytorch.trainStepsPerSec!.median, 2)}.`
    : `PyTorch peer: ${pytorch.note}.`,
  "",
  `**FractalAttention** A V with A = row-softmax(A₁ ⊗ … ⊗ A_k), m = 2, values [${ATT_BATCH}, N, ${ATT_D}]: time of a forward pass and of a forward + backward pass `
    + "(gradients for the factors and the values; median ms), and the peak bytes of live tensors during each above those live before it:",
  "",
  "| N | path | forward ms | fwd + bwd ms | forward peak | fwd + bwd peak | note |",
  "| ---: | --- | ---: | ---: | ---: | ---: | --- |",
  ...attentionRecords.map(attentionRow),
  "",
  `The materialized path runs only where its estimated N×N arrays (${MATERIALIZED_ARRAYS} × N² × 4 bytes) stay under ${fmtMiB(materializedBudget)}; `
    + "elsewhere its row says skipped. Streaming builds tiles of logits from factor slices (each row's max logit taken from the factors) and recomputes them "
    + "in a hand-written backward, so no N×N array exists in either pass (its scratch is plain arrays of a few tiles, not counted as tensors)."
    + attentionSummary() + streamingTarget(),
].join("\n");

if (asJson) console.log(JSON.stringify(record, null, 2));
else console.log(`\n${table}`);

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

if (write) {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  writeAtomic(`${root}docs/benchmarks/nn.json`, `${JSON.stringify(record, null, 2)}\n`);
  const path = `${root}docs/performance.md`;
  const begin = "<!-- nn-bench:start -->";
  const end = "<!-- nn-bench:end -->";
  const section = `${begin}\n## @fcn/nn\n\nMeasured by \`packages/nn/bench/run.ts\` (\`pnpm --filter @fcn/nn bench\`); the JSON record is \`docs/benchmarks/nn.json\`.\n\n${table}\n${end}`;
  // Read just before writing, replace only this section, and rename into place.
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n";
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeAtomic(path, next);
  if (!asJson) console.log("\nwrote docs/performance.md (nn section) and docs/benchmarks/nn.json");
}
