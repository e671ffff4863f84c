/**
 * `pnpm bench` for @fcn/tensor: times this engine against TensorFlow.js (cpu and wasm
 * backends) and, when a python3 with torch is present, PyTorch CPU, in one run; with
 * `--write-docs` writes docs/benchmarks/tensor.json and the table in docs/performance.md.
 *
 *   pnpm bench:docs                              # from the repository root: every package's benchmark, docs rewritten
 *   pnpm --filter @fcn/tensor bench              # the full run, printed only
 *   pnpm --filter @fcn/tensor bench --quick      # fewer sizes, shorter timing
 *
 * Flags:
 *   --quick            matmul 128/256 (f64 256), 0.1 s per case: a smoke run for CI
 *   --json             the report as JSON on stdout (progress goes to stderr)
 *   --only <pattern>   cases whose id contains pattern (or matches /regex/)
 *   --no-tfjs          skip both TensorFlow.js peers
 *   --no-torch         skip PyTorch
 *   --torch-threads N  PyTorch intra-op threads in the main table (default 1, as every engine there)
 *   --no-threads       skip the matmul section at 1 and 2 threads (ours, PyTorch, NumPy)
 *   --no-numpy         skip NumPy in that section
 *   --write-docs       write the JSON and the docs section (alias --write; default: write nothing)
 *   --no-write         write nothing (the default)
 *   --out <file.json>  JSON path (default docs/benchmarks/tensor.json)
 *   --doc <file.md>    Markdown path (default docs/performance.md)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MLP, buildCases } from "./cases";
import { checkMlpTrains } from "./engines/ours";
import type { Engine } from "./engines/engine";
import { oursEngine } from "./engines/ours";
import { checkTfMlpTrains, tfjsCpuEngine, tfjsWasmEngine } from "./engines/tfjs";
import { runNumpy } from "./engines/numpy";
import { runTorch } from "./engines/torch";
import { setGemmThreads } from "../src/gemm";
import { machinePeak, SUSPECT_FRACTION } from "./peers";
import {
  type BenchReport,
  type CaseResult,
  type EngineName,
  ENGINES,
  ENGINE_LABELS,
  FULL_OPTIONS,
  type MachineInfo,
  NATIVE_PEERS,
  type PeerInfo,
  type ThreadsCase,
  type ThreadsReport,
  evaluateThreadTargets,
  flagSuspects,
  speedRatio,
  QUICK_OPTIONS,
  computeRatios,
  evaluateTargets,
  fmt,
  headline,
  headlineUnit,
  isResult,
  measure,
  renderMarkdown,
  reportJson,
  toEngineResult,
  writeJsonReport,
  writeMarkdownReport,
} from "./harness";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../../..");
const CHECK_STEPS = 300;

interface Args {
  quick: boolean;
  json: boolean;
  only?: string;
  tfjs: boolean;
  torch: boolean;
  torchThreads: number;
  threads: boolean;
  numpy: boolean;
  write: boolean;
  out: string;
  doc: string;
  raw: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    quick: false,
    json: false,
    tfjs: true,
    torch: true,
    torchThreads: 1,
    threads: true,
    numpy: true,
    write: true,
    out: path.join(ROOT, "docs/benchmarks/tensor.json"),
    doc: path.join(ROOT, "docs/performance.md"),
    raw: argv.filter((a) => a !== "--"),
  };
  let writeSet: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--") continue;
    else if (a === "--quick") args.quick = true;
    else if (a === "--json") args.json = true;
    else if (a === "--only") args.only = value();
    else if (a === "--no-tfjs") args.tfjs = false;
    else if (a === "--no-torch") args.torch = false;
    else if (a === "--torch-threads") args.torchThreads = Number(value());
    else if (a === "--no-threads") args.threads = false;
    else if (a === "--no-numpy") args.numpy = false;
    else if (a === "--write" || a === "--write-docs") writeSet = true;
    else if (a === "--no-write") writeSet = false;
    else if (a === "--out") args.out = path.resolve(value());
    else if (a === "--doc") args.doc = path.resolve(value());
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${readUsage()}\n`);
      process.exit(0);
    } else throw new Error(`unknown flag ${a} (see --help)`);
  }
  args.write = writeSet ?? false;
  return args;
}

function readUsage(): string {
  return "usage: tsx bench/run.ts [--quick] [--json] [--only <pattern>] [--no-tfjs] [--no-torch] [--torch-threads N] [--no-threads] " +
    "[--no-numpy] [--write-docs|--no-write] [--out file.json] [--doc file.md]";
}

/** The checkout measured: package version, commit, and whether the tree had local changes. */
function oursVersion(): { version: string; commit?: string; localChanges?: boolean } {
  const pkg = JSON.parse(readFileSync(path.join(HERE, "../package.json"), "utf8")) as { version: string };
  const git = (...a: string[]) => spawnSync("git", a, { cwd: HERE, encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return { version: pkg.version };
  const dirty = git("status", "--porcelain", "--", path.join(HERE, "../src"));
  return { version: pkg.version, commit: head.stdout.trim(), localChanges: dirty.stdout.trim().length > 0 };
}

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
    v8: process.versions.v8,
    loadAverageStart: os.loadavg(),
  };
}

/** The doc's opening, used only when docs/performance.md does not exist yet. */
const DOC_HEADER = `# Performance

How fast the FCN packages are, measured against established peers on the same machine in the
same run. Numbers on a shared or small machine are noisy: compare ratios from one run, not
absolute figures across runs.

`;

/** The tensor section's fixed text, added once before the markers; the run rewrites only what lies between them. */
const TENSOR_SECTION = `## @fcn/tensor

\`pnpm bench:docs\` (from the repository root; it builds first) runs \`packages/tensor/bench/run.ts\`,
which times, in one process run, @fcn/tensor against TensorFlow.js 4.22 on its \`cpu\` backend
and on \`@tensorflow/tfjs-backend-wasm\` (SIMD), and against PyTorch CPU when a \`python3\`
that can \`import torch\` is present (\`tools/install-bench-peers.sh\` installs Debian's
\`python3-torch\`; without it PyTorch is skipped with a note). Cases:

- matmul f32 at 128, 256, 512 and 1024 in the three forms A·B, Aᵀ·B and A·Bᵀ (the transposed
  forms through \`matmul(a, b, { transposeA / transposeB })\`, no copies), and f64 A·B at 256
  and 512 (TensorFlow.js has no float64);
- elementwise and broadcast ops (add, mul, exp, a [1024, 1024] + [1024] row) and reductions
  (sum of all, sum over axis 0 and axis 1, max) at 1M float32 elements; softmax over the last
  axis of [1024, 1024];
- one training step of a 2→64→64→1 MLP (ReLU, mean squared error) with Adam at batch 64,
  built from the public API (parameters with \`requireGrad()\`, \`loss.backward()\`, the fused
  in-place \`adamUpdate\` per parameter, the whole step in \`tidy\`). Before timing,
  each engine trains it for ${CHECK_STEPS} steps and the loss must fall.

Each case is warmed up, then repeated until it has run at least 0.5 s over at least 7
repetitions; the median repetition is reported. The full results, with machine information
and every peer's version, are in [\`benchmarks/tensor.json\`](benchmarks/tensor.json).
\`pnpm --filter @fcn/tensor bench\` prints the tables and writes nothing (\`--write-docs\`
writes); \`--quick\` is a short smoke run (fewer sizes); \`--json\` prints the report as JSON,
\`--help\` lists the other flags.

Every engine in the main table runs on one thread (our gemm through \`setGemmThreads(1)\`,
PyTorch through \`torch.set_num_threads(1)\`); a second table times f32 A·B on 1 and 2
threads for @fcn/tensor, PyTorch and NumPy (\`--no-threads\`, \`--no-numpy\` skip it).

**Honest peers** (issue 14). PyTorch and NumPy run in child processes whose environment lacks
\`OPENBLAS_CORETYPE\` and \`OPENBLAS_L2_SIZE\` (set on these machines for old OpenBLAS builds;
they slow current ones; the benchmark's own process keeps them), with \`OMP_NUM_THREADS\`,
\`OPENBLAS_NUM_THREADS\` and \`MKL_NUM_THREADS\` set to the thread count. Each records its kernel
configuration in the JSON: \`torch.__config__.show()\` and \`parallel_info()\`, its thread
counts, NumPy's \`show_config()\`, and the BLAS libraries actually mapped into the process
after the products ran. The machine's float32 FMA peak comes from \`/proc/cpuinfo\`:
clock (\`cpu MHz\`) × 2 FMA instructions per cycle × float32 lanes of the widest vector the flags
name (16 with \`avx512f\`, 8 with AVX2) × 2 flops, times the cores used; float64 is half. It
is an estimate, not a measurement: an upper bound where the vector units are narrower than the
instruction set, exceeded by any turbo above the nominal clock. Our own wasm gemm's best
GFLOP/s is recorded beside it as a measured lower bound. A PyTorch or NumPy figure below 10%
of the peak on its thread count is marked **suspect**: no ratio or target is taken against it.
(TensorFlow.js is not checked: its figures are its own JavaScript and wasm kernels' speed.)

Targets, each with a PASS/MISS (and the measured ratio) in the tables below:

- issue 3: matmul f32 at 128/256/512/1024 ≥ 1.5× tfjs-wasm and ≥ 30× tfjs-cpu; Aᵀ·B and
  A·Bᵀ within 1.2× of A·B (time ratio, @fcn/tensor only); MLP step ≥ 5× tfjs-wasm;
  elementwise/broadcast ops and reductions at 1M elements ≥ tfjs-wasm;
- issue 14: elementwise, broadcast and reduction cases at 1M, exp and softmax ≥ 0.5× PyTorch;
  MLP step ≥ 6× tfjs-wasm and ≥ 2.5× PyTorch; matmul f32 512 ≥ 0.5× PyTorch on 1 thread and
  ≥ 0.8× PyTorch on 2 threads each. A target against a suspect peer figure says SUSPECT.

`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // stdout carries only the report (Markdown, or JSON with --json): progress and the engines'
  // own console output (tfjs prints a banner in Node) go to stderr.
  const writeOut = process.stdout.write.bind(process.stdout);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  console.log = console.info = console.warn = console.debug = (...xs: unknown[]) => log(xs.map(String).join(" "));
  const options = args.quick ? QUICK_OPTIONS : FULL_OPTIONS;
  const cases = buildCases({ quick: args.quick, only: args.only });
  if (cases.length === 0) throw new Error(`no case matches --only ${args.only}`);
  const machine = machineInfo();
  const notes: string[] = [];
  log(`@fcn/tensor bench: ${cases.length} cases, ${args.quick ? "quick" : "full"} timing, ${machine.cpu} × ${machine.cores}, Node ${machine.node}`);

  // Engines
  const inProcess: Engine[] = [oursEngine, ...(args.tfjs ? [tfjsCpuEngine, tfjsWasmEngine] : [])];
  const engines: Record<EngineName, PeerInfo> = {
    ours: { available: true },
    "tfjs-cpu": { available: false, note: "skipped with --no-tfjs" },
    "tfjs-wasm": { available: false, note: "skipped with --no-tfjs" },
    torch: { available: false, note: "skipped with --no-torch" },
  };
  const active: Engine[] = [];
  for (const e of inProcess) {
    const info = await e.init();
    engines[e.name] = e.name === "ours" ? { ...info, ...oursVersion() } : info;
    if (engines[e.name].available) active.push(e);
    else log(`${e.name}: ${engines[e.name].note}`);
  }

  // Checks before timing: the training step trains (same data and initial weights for every
  // engine), and ours keeps memory flat. An engine whose step does not train is not timed on it.
  const checks: Record<string, unknown> = {};
  const untrained = new Set<EngineName>();
  if (cases.some((c) => c.params.kind === "mlp")) {
    const trains = (r: { lossFirst: number; lossLast: number }) => r.lossLast < 0.5 * r.lossFirst;
    for (const name of ["ours", "tfjs-cpu", "tfjs-wasm"] as const) {
      if (!engines[name].available) continue;
      try {
        const r: { lossFirst: number; lossLast: number; leakedTensorsPerStep?: number; leakedBytesPerStep?: number } =
          name === "ours" ? checkMlpTrains(MLP, CHECK_STEPS) : await checkTfMlpTrains(name === "tfjs-cpu" ? "cpu" : "wasm", MLP, CHECK_STEPS);
        checks[`${name}.mlpTrains`] = r;
        log(`check: ${name} MLP loss ${r.lossFirst.toFixed(4)} → ${r.lossLast.toFixed(4)} in ${CHECK_STEPS} steps`);
        if (!trains(r)) {
          untrained.add(name);
          notes.push(`${ENGINE_LABELS[name]}'s MLP does not train (loss ${r.lossFirst} → ${r.lossLast} in ${CHECK_STEPS} steps): its training step is not timed.`);
        }
        if (r.leakedTensorsPerStep !== undefined && r.leakedTensorsPerStep !== 0) {
          notes.push(`@fcn/tensor's training step leaks ${r.leakedTensorsPerStep} tensors (${r.leakedBytesPerStep} bytes) per step.`);
        }
      } catch (error) {
        untrained.add(name);
        checks[`${name}.mlpTrains`] = `failed: ${(error as Error).message}`;
        notes.push(`${ENGINE_LABELS[name]}'s MLP check failed: ${(error as Error).message}`);
      }
    }
  }

  // Every engine on one thread in the main table: our gemm (matmul, conv) too.
  setGemmThreads(1);
  // Timing: engines interleaved per case, so that load on the machine hits all of them alike.
  const results: CaseResult[] = cases.map((c) => ({ ...c, results: {}, ratios: {} }));
  for (let i = 0; i < results.length; i++) {
    const c = results[i];
    for (const e of active) {
      if (c.params.kind === "mlp" && untrained.has(e.name)) {
        c.results[e.name] = "failed: does not train";
        continue;
      }
      try {
        const prepared = await e.prepare(c);
        if (typeof prepared === "string") {
          c.results[e.name] = prepared;
          continue;
        }
        try {
          c.results[e.name] = toEngineResult(c, measure(prepared.run, options));
        } finally {
          prepared.dispose();
        }
      } catch (error) {
        c.results[e.name] = `failed: ${(error as Error).message}`;
        notes.push(`${e.name} failed on ${c.id}: ${(error as Error).message}`);
      }
    }
    const cells = active.map((e) => `${e.name} ${headline(c, c.results[e.name])}`).join(" | ");
    log(`[${i + 1}/${results.length}] ${c.label} (${headlineUnit(c)}): ${cells}`);
  }

  if (args.torch) {
    const torch = runTorch(cases, options, { threads: args.torchThreads, checkSteps: CHECK_STEPS, log });
    engines.torch = torch.info;
    for (const c of results) if (torch.results[c.id] !== undefined) c.results.torch = torch.results[c.id];
    for (const [k, v] of Object.entries(torch.checks)) checks[`torch.${k}`] = v;
    if (!torch.info.available) {
      log(`torch: ${torch.info.note}`);
      notes.push(`PyTorch not measured: ${torch.info.note}`);
    }
  }

  // The machine's peak, and native peers' figures checked against it.
  const estimate = machinePeak();
  const oursBest = Math.max(0, ...results.map((c) => c.results.ours).filter(isResult).map((r) => (r.gflops !== undefined ? r.gflops : 0)));
  const peak: BenchReport["peak"] = { estimate, checkedPeers: [...NATIVE_PEERS, "numpy"], suspectFraction: SUSPECT_FRACTION };
  if (oursBest > 0) peak.measuredLowerBoundGflops = oursBest;
  if (estimate === null) notes.push("The machine's peak is unknown (no clock in /proc/cpuinfo): native peers' figures were not checked.");
  else if (oursBest > estimate.perCoreGflopsF32) notes.push(`Our gemm exceeded the estimated one-core peak (${fmt(oursBest)} > ${fmt(estimate.perCoreGflopsF32)} GFLOP/s): ` +
    `the estimate is too low for this machine.`);
  let suspects = 0;
  for (const c of results) for (const peer of NATIVE_PEERS) suspects += flagSuspects(c.results, c, peer, Number(engines[peer].threads ?? 1), estimate);
  if (suspects > 0) notes.push(`${suspects} PyTorch figure${suspects === 1 ? " is" : "s are"} below ${100 * SUSPECT_FRACTION}% of the machine's ` +
    `peak and marked suspect (see the peer's kernel configuration above): no ratio is taken against them.`);

  for (const c of results) c.ratios = computeRatios(c.results);

  // matmul at 1 and 2 threads: ours, PyTorch and NumPy at the same thread count.
  let threads: ThreadsReport | undefined;
  const threadCases = results.filter((c) => c.params.kind === "matmul" && c.params.dtype === "float32" && !c.params.transposeA && !c.params.transposeB);
  if (args.threads && threadCases.length > 0) {
    threads = await timeThreads(threadCases, options, { torch: args.torch, torchInfo: engines.torch, numpy: args.numpy, cores: machine.availableParallelism, estimate, log, notes });
  }
  machine.loadAverageEnd = os.loadavg();
  const highLoad = Math.max(...machine.loadAverageStart.slice(0, 1), ...machine.loadAverageEnd.slice(0, 1));
  if (highLoad > machine.cores * 0.5) {
    notes.push(`The machine was busy during the run (1-minute load average up to ${highLoad.toFixed(2)} on ${machine.cores} cores): figures are noisy.`);
  }
  const noisy = results.filter((c) => ENGINES.some((e) => {
    const r = c.results[e];
    return isResult(r) && r.spread > 0.25;
  }));
  if (noisy.length > 0) notes.push(`Repetitions spread by more than 25% (interquartile range / median) in: ${noisy.map((c) => c.id).join(", ")}.`);

  const command = args.raw.length === 1 && args.raw[0] === "--write-docs" ? "pnpm bench:docs" : `pnpm --filter @fcn/tensor bench ${args.raw.join(" ")}`;
  const report: BenchReport = {
    schema: 1,
    generatedAt: new Date().toISOString(),
    command,
    quick: args.quick,
    machine,
    method: { ...options, statistic: "median", threads: 1 },
    engines,
    checks,
    cases: results,
    targets: evaluateTargets(results),
    peak,
    ...(threads ? { threads } : {}),
    notes,
  };

  if (args.write) {
    writeJsonReport(args.out, report);
    writeMarkdownReport(args.doc, report, { header: DOC_HEADER, section: TENSOR_SECTION });
    log(`wrote ${path.relative(process.cwd(), args.out)} and ${path.relative(process.cwd(), args.doc)}`);
  }
  if (untrained.has("ours")) process.exitCode = 1;
  const text = args.json ? reportJson(report) : `${renderMarkdown(report)}\n`;
  await new Promise<void>((resolve) => writeOut(text, () => resolve()));
  const all = [...report.targets, ...(report.threads?.targets ?? [])];
  const passed = all.filter((t) => t.status === "PASS").length;
  log(`targets: ${passed} of ${all.filter((t) => t.status === "PASS" || t.status === "MISS").length} met`);
}

/** The matmul cases on 1 and (with 2+ cores) 2 threads for ours, PyTorch and NumPy. */
async function timeThreads(
  cases: readonly CaseResult[],
  options: typeof FULL_OPTIONS,
  s: { torch: boolean; torchInfo?: PeerInfo; numpy: boolean; cores: number; estimate: ReturnType<typeof machinePeak>; log: (x: string) => void; notes: string[] },
): Promise<ThreadsReport> {
  const threadCounts = s.cores >= 2 ? [1, 2] : [1];
  const specs = cases.map(({ results: _r, ratios: _q, ...spec }) => spec);
  const out: ThreadsCase[] = specs.map((spec) => ({ ...spec, results: {}, ratios: {} }));
  const engines: Record<string, PeerInfo> = {};
  // ours (in process), each thread count in turn; on 1 thread the main table's figure is reused.
  const main = new Map(cases.map((c) => [c.id, c]));
  for (const n of threadCounts) {
    setGemmThreads(n);
    engines[`ours@${n}`] = { available: true, threads: n };
    for (const c of out) {
      const mine = main.get(c.id)?.results.ours;
      if (n === 1 && isResult(mine)) {
        c.results["ours@1"] = mine;
        continue;
      }
      const prepared = await oursEngine.prepare(c);
      if (typeof prepared === "string") {
        c.results[`ours@${n}`] = prepared;
        continue;
      }
      try {
        c.results[`ours@${n}`] = toEngineResult(c, measure(prepared.run, options));
      } finally {
        prepared.dispose();
      }
      s.log(`[threads] ${c.label} ours@${n}: ${headline(c, c.results[`ours@${n}`])} GFLOP/s`);
    }
  }
  setGemmThreads(1);
  for (const n of threadCounts) {
    const mainTorch = s.torchInfo;
    if (s.torch && n === 1 && mainTorch?.available && mainTorch.threads === 1) {
      // PyTorch on 1 thread ran these cases in the main table's child process.
      engines["torch@1"] = mainTorch;
      for (const c of out) {
        const r = main.get(c.id)?.results.torch;
        if (r !== undefined) c.results["torch@1"] = isResult(r) ? { ...r, suspect: undefined } : r;
      }
    } else if (s.torch) {
      const t = runTorch(specs, options, { threads: n, checkSteps: 0, log: s.log });
      engines[`torch@${n}`] = t.info;
      for (const c of out) if (t.results[c.id] !== undefined) c.results[`torch@${n}`] = t.results[c.id];
      if (t.info.available && t.info.threads !== n) s.notes.push(`PyTorch ran on ${String(t.info.threads)} threads when ${n} were asked.`);
    }
    if (s.numpy) {
      const r = runNumpy(specs, options, { threads: n, log: s.log });
      engines[`numpy@${n}`] = r.info;
      engines.numpy ??= r.info;
      for (const c of out) c.results[`numpy@${n}`] = r.results[c.id];
    }
  }
  let suspects = 0;
  for (const c of out) {
    for (const n of threadCounts) {
      for (const peer of ["torch", "numpy"] as const) suspects += flagSuspects(c.results, c, `${peer}@${n}`, n, s.estimate);
      for (const peer of ["torch", "numpy"] as const) c.ratios[`${peer}@${n}`] = speedRatio(c.results[`ours@${n}`], c.results[`${peer}@${n}`]);
    }
  }
  if (suspects > 0) s.notes.push(`${suspects} figure${suspects === 1 ? "" : "s"} of the threaded matmul (PyTorch, NumPy) ${suspects === 1 ? "is" : "are"} ` +
    `below ${100 * SUSPECT_FRACTION}% of the machine's peak on their thread count and marked suspect.`);
  engines.torch = engines[`torch@${threadCounts[0]}`] ?? { available: false, note: "skipped" };
  return { threadCounts, engines, cases: out, targets: evaluateThreadTargets(out) };
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
