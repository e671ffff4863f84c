/**
 * What wasm-resident CPU storage would give (issue 14, docs/storage.md), in one process run:
 *
 * - `public`: today's path, the public ops (`add`, `exp`, `sum`) on 1M float32 tensors held in JS
 *   typed arrays (every wasm kernel copies its operands in and its result out);
 * - `resident`: the same wasm kernels on operands that already live in an unshared wasm memory
 *   (bench/resident-arena.ts: a 64-byte-aligned block allocator, the output allocated and freed
 *   each call, no copies);
 * - `resident-shared`: the same over a shared memory (the module rebuilt with `--sharedMemory`
 *   by the repository's AssemblyScript compiler into the OS temp folder);
 * - tfjs-wasm (1 thread) and PyTorch (1 thread, its own process without OPENBLAS_CORETYPE and
 *   OPENBLAS_L2_SIZE), as in bench/run.ts;
 * - the boundary costs of resident storage: copying 1M float32 into (tensor(data)) and out of
 *   (dataSync()) an unshared and a shared memory, and making a typed-array view of a block;
 * - a kernel that stays in JavaScript (an add loop) over plain arrays and over views of each memory.
 *
 *   pnpm --filter @fcn/tensor exec tsx bench/resident.ts [--rounds N] [--no-torch] [--no-shared]
 *
 * Engines are interleaved case by case in every round and each ratio is taken within a round;
 * the report is JSON on stdout (progress on stderr) and nothing is written to tracked files.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildCases, uniformFill } from "./cases";
import { oursEngine } from "./engines/ours";
import { tfjsWasmEngine } from "./engines/tfjs";
import { runTorch } from "./engines/torch";
import type { Prepared } from "./engines/engine";
import { type CaseSpec, type ElementwiseParams, type MeasureOptions, isResult, measure } from "./harness";
import { ResidentArena } from "./resident-arena";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../../..");
const OPTIONS: MeasureOptions = { warmupSeconds: 0.05, minSeconds: 0.15, minReps: 7, maxSeconds: 2 };
const ROWS = 1024;
const COLS = 1024;
const N = ROWS * COLS;

/** `float32-accumulation`: a what-if for the sum only (float32 partial sums: different results, not a candidate as is). */
type Variant = "public" | "resident" | "resident-shared" | "tfjs-wasm" | "float32-accumulation";
const TARGETS = { tfjsWasm: 1, torch: 0.5 };

/** Results fold into this, so no timed call is dead code. */
let sink = 0;

const log = (s: string) => process.stderr.write(`${s}\n`);

function parseArgs(argv: string[]): { rounds: number; torch: boolean; shared: boolean } {
  const args = { rounds: 5, torch: true, shared: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") continue;
    else if (a === "--rounds") args.rounds = Math.max(1, Number(argv[++i]) || 1);
    else if (a === "--no-torch") args.torch = false;
    else if (a === "--no-shared") args.shared = false;
    else throw new Error(`unknown flag ${a} (flags: --rounds N, --no-torch, --no-shared)`);
  }
  return args;
}

/**
 * The elementwise module built for a shared memory (same sources and optimization as the embedded
 * one, plus `--sharedMemory`), cached in the OS temp folder by source contents.
 */
function sharedModuleBytes(): Uint8Array<ArrayBuffer> {
  const dir = path.join(ROOT, "tools/build-wasm/elementwise");
  const sources = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  let hash = 0;
  for (const s of sources) for (const ch of readFileSync(path.join(dir, s), "utf8")) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  const cacheDir = path.join(os.tmpdir(), "fcn-resident-bench");
  const file = path.join(cacheDir, `elementwise-shared-${hash.toString(16)}.wasm`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    const flags = ["--enable", "simd,threads", "--importMemory", "--sharedMemory", "--initialMemory", "1", "--maximumMemory", "16384",
      "--runtime", "stub", "-O3", "--noAssert"];
    log("compiling the elementwise module for a shared memory…");
    execFileSync(process.execPath, [ascPath(), "tools/build-wasm/elementwise/index.ts", ...flags, "-o", file], { cwd: ROOT, stdio: "ignore" });
  }
  return new Uint8Array(readFileSync(file));
}

/**
 * A float32 sum with 8 f32x4 accumulators (32 partial sums) over resident data: what PyTorch's kind
 * of reduction costs in wasm. It reorders the sum in float32, so its results differ from the public
 * op's; it is timed only to show what closing the sum's gap to PyTorch would take.
 */
const FLOAT32_SUM_SOURCE = `
export function sumF32(x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const p = x + (<usize>i << 2);
    a0 = f32x4.add(a0, v128.load(p)); a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32)); a3 = f32x4.add(a3, v128.load(p, 48));
    a4 = f32x4.add(a4, v128.load(p, 64)); a5 = f32x4.add(a5, v128.load(p, 80));
    a6 = f32x4.add(a6, v128.load(p, 96)); a7 = f32x4.add(a7, v128.load(p, 112));
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  let r: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) r += load<f32>(x + (<usize>i << 2));
  return r;
}
`;

/** The what-if float32 sum, compiled by the repository's asc into the OS temp folder, over `arena`'s memory. */
function float32Sum(arena: ResidentArena): (x: number, n: number) => number {
  const dir = path.join(os.tmpdir(), "fcn-resident-bench");
  mkdirSync(dir, { recursive: true });
  const source = path.join(dir, "sum-f32.ts");
  const wasm = path.join(dir, "sum-f32.wasm");
  if (!existsSync(wasm) || readFileSync(source, "utf8") !== FLOAT32_SUM_SOURCE) {
    writeFileSync(source, FLOAT32_SUM_SOURCE);
    const flags = ["--enable", "simd", "--importMemory", "--initialMemory", "1", "--runtime", "stub", "-O3", "--noAssert"];
    execFileSync(process.execPath, [ascPath(), source, ...flags, "-o", wasm], { cwd: dir, stdio: "ignore" });
  }
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), { env: { memory: arena.memory } });
  return instance.exports.sumF32 as (x: number, n: number) => number;
}

function ascPath(): string {
  const require = createRequire(path.join(HERE, "../package.json"));
  return path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin/asc.js");
}

/** The case's operands placed in `arena` once; `run` computes the op into a new block and frees it. */
function prepareResident(arena: ResidentArena, p: ElementwiseParams): Prepared {
  const a = arena.fromFloat32(uniformFill(new Float32Array(N), 1));
  const b = arena.fromFloat32(uniformFill(new Float32Array(N), 2));
  const row = arena.fromFloat32(uniformFill(new Float32Array(COLS), 3));
  const ops: Partial<Record<ElementwiseParams["op"], () => void>> = {
    add: () => arena.free(arena.add(a, b, N)),
    addRow: () => arena.free(arena.addRow(a, row, ROWS, COLS)),
    exp: () => arena.free(arena.exp(a, N)),
    sum: () => void (sink += arena.sum(a, N)),
  };
  const run = ops[p.op];
  if (!run) throw new Error(`no resident variant of ${p.op}`);
  return { run, dispose: () => [a, b, row].forEach((block) => arena.free(block)) };
}

/** Melem/s of the median and of the fastest repetition (on a shared machine the fastest is the steadier estimate). */
interface Cell {
  median: number;
  best: number;
}

function time(prepared: Prepared): Cell {
  const t = measure(prepared.run, OPTIONS);
  return { median: Math.round(N / t.secondsPerOp / 1e6), best: Math.round(N / t.minSecondsPerOp / 1e6) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

type Boundary = { copyInGBs: number; copyOutGBs: number; viewNs: number };

/** Field by field the better of two measurements (higher rates, lower times in ns). */
function bestOf<T extends Record<string, number>>(previous: T | undefined, next: T): T {
  if (!previous) return next;
  const out = { ...next };
  for (const key of Object.keys(next) as (keyof T & string)[]) {
    const lower = key.endsWith("Ns");
    (out as Record<string, number>)[key] = lower ? Math.min(previous[key] ?? Infinity, next[key]) : Math.max(previous[key] ?? 0, next[key]);
  }
  return out;
}

/** GB/s of copying 1M float32 into and out of a memory, and ns per block view. */
function boundary(arena: ResidentArena): Boundary {
  const data = uniformFill(new Float32Array(N), 5);
  const at = arena.alloc(N * 4);
  const into = measure(() => arena.f32.set(data, at >> 2), OPTIONS);
  const out = new Float32Array(N);
  const from = measure(() => out.set(arena.f32.subarray(at >> 2, (at >> 2) + N)), OPTIONS);
  const view = measure(() => {
    for (let i = 0; i < 1000; i++) sink += new Float32Array(arena.memory.buffer, at, 1024).length;
  }, OPTIONS);
  arena.free(at);
  return {
    copyInGBs: round3((N * 4) / into.secondsPerOp / 1e9),
    copyOutGBs: round3((N * 4) / from.secondsPerOp / 1e9),
    viewNs: round3((view.secondsPerOp / 1000) * 1e9),
  };
}

/**
 * Melem/s of a JavaScript loop (a kernel that stays in JS) adding 1M float32 elements held in plain
 * arrays, or in views of each arena's memory. Each variant gets its own compiled function, so
 * V8's type feedback for one does not slow another.
 */
function jsLoops(arenas: Partial<Record<Variant, ResidentArena>>): Record<string, number> {
  const loop = () => new Function("a", "b", "out", "for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];") as (a: Float32Array, b: Float32Array, out: Float32Array) => void;
  const rate = (a: Float32Array, b: Float32Array, out: Float32Array) => {
    const fn = loop();
    uniformFill(a, 1);
    uniformFill(b, 2);
    return Math.round(N / measure(() => fn(a, b, out), OPTIONS).secondsPerOp / 1e6);
  };
  const result: Record<string, number> = { plainArrays: rate(new Float32Array(N), new Float32Array(N), new Float32Array(N)) };
  for (const [v, arena] of Object.entries(arenas)) {
    const blocks = [arena.alloc(N * 4), arena.alloc(N * 4), arena.alloc(N * 4)];
    const [a, b, out] = blocks.map((at) => new Float32Array(arena.memory.buffer, at, N));
    result[`${v}Views`] = rate(a, b, out);
    for (const at of blocks) arena.free(at);
  }
  return result;
}

/** Microseconds of four successive 64 MiB growths of a fresh memory (views of an unshared one detach each time). */
function growMicros(shared: boolean): number[] {
  const memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: 65536, shared: true } : { initial: 1, maximum: 65536 });
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = process.hrtime.bigint();
    memory.grow(1024);
    times.push(Math.round(Number(process.hrtime.bigint() - t0) / 100) / 10);
  }
  return times;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cases = buildCases({ quick: false, only: "/^(add|addRow|exp|sum)-1M$/" });
  const arenas: Partial<Record<Variant, ResidentArena>> = { resident: new ResidentArena({ initialBytes: 64 << 20 }) };
  if (args.shared) arenas["resident-shared"] = new ResidentArena({ bytes: sharedModuleBytes(), shared: true, initialBytes: 64 << 20 });
  const tfInfo = await tfjsWasmEngine.init();
  const variants: Variant[] = ["public", "resident", ...(args.shared ? (["resident-shared"] as const) : []), ...(tfInfo.available ? (["tfjs-wasm"] as const) : [])];
  const loadStart = os.loadavg();

  const f32Sum = float32Sum(arenas.resident!);
  const variantsFor = (spec: CaseSpec): Variant[] => (spec.id === "sum-1M" ? [...variants, "float32-accumulation"] : variants);
  const prepared = new Map<string, Prepared>();
  let f32SumRelativeDifference = 0;
  for (const spec of cases) {
    const p = spec.params as ElementwiseParams;
    if (spec.id === "sum-1M") {
      const arena = arenas.resident!;
      const x = arena.fromFloat32(uniformFill(new Float32Array(N), 1));
      f32SumRelativeDifference = Math.abs(f32Sum(x, N) - arena.sum(x, N)) / Math.abs(arena.sum(x, N));
      prepared.set(`${spec.id} float32-accumulation`, { run: () => void (sink += f32Sum(x, N)), dispose: () => arena.free(x) });
    }
    for (const v of variants) {
      const arena = arenas[v];
      const made = arena ? prepareResident(arena, p) : await (v === "public" ? oursEngine : tfjsWasmEngine).prepare(spec);
      if (typeof made === "string") throw new Error(`${v} ${spec.id}: ${made}`);
      prepared.set(`${spec.id} ${v}`, made);
    }
  }

  // Warm every variant up first (0.2 s each), so V8 has tiered the wasm and JS code up before round 1.
  for (const p of prepared.values()) {
    const until = performance.now() + 200;
    do p.run();
    while (performance.now() < until);
  }

  const rounds: Record<string, Record<Variant, Cell>>[] = [];
  const torchRuns: TorchRun[] = [];
  for (let r = 0; r < args.rounds; r++) {
    const round: Record<string, Record<Variant, Cell>> = {};
    for (const spec of cases) {
      // Rotate the order each round, so no variant always runs first (or right after PyTorch).
      const these = variantsFor(spec);
      const order = these.map((_, i) => these[(i + r) % these.length]);
      const cells = {} as Record<Variant, Cell>;
      for (const v of order) cells[v] = time(prepared.get(`${spec.id} ${v}`)!);
      round[spec.id] = cells;
      log(`round ${r + 1} ${spec.id}: ${these.map((v) => `${v} ${cells[v].median}/${cells[v].best}`).join(", ")} Melem/s (median/best)`);
    }
    rounds.push(round);
    // PyTorch after the first and after the last round (its own process, 1 thread).
    if ((r === 0 || r === args.rounds - 1) && args.torch) torchRuns.push(runTorch(cases, OPTIONS, { threads: 1, checkSteps: 0, log }));
  }
  // Boundary costs and JS loops: three interleaved passes, the best of each figure kept.
  const boundaryCosts: Record<string, Boundary> = {};
  let jsLoopAdd: Record<string, number> = {};
  for (let pass = 0; pass < 3; pass++) {
    for (const [v, arena] of Object.entries(arenas)) boundaryCosts[v] = bestOf(boundaryCosts[v], boundary(arena));
    jsLoopAdd = bestOf(jsLoopAdd, jsLoops(arenas));
  }
  for (const p of prepared.values()) p.dispose();

  const summary = cases.map((spec: CaseSpec) => summarize(spec, variantsFor(spec), rounds, torchRuns));
  const report = {
    benchmark: "wasm-resident storage prototype (issue 14)",
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadStart, loadEnd: os.loadavg() },
    options: OPTIONS,
    rounds: args.rounds,
    unit: "Melem/s: 1M float32 elements per call; `best` is the fastest repetition of any round, `median` the median over rounds of each round's median repetition",
    ratios: "ours/peer in speed; against tfjs-wasm taken within each round (median over rounds), against PyTorch with its best (or median) of two runs",
    peers: { tfjsWasm: tfInfo, torch: torchRuns[0]?.info ?? { available: false, note: args.torch ? "not run" : "--no-torch" } },
    targets: "each case ≥ 1× tfjs-wasm and ≥ 0.5× PyTorch (issue 14)",
    cases: summary,
    boundary: boundaryCosts,
    jsLoopAddMelemsPerSec: jsLoopAdd,
    growBy64MiBMicros: { unshared: growMicros(false), shared: growMicros(true) },
    float32AccumulationSum: { relativeDifferenceFromPublicSum: f32SumRelativeDifference, note: "what-if only: a float32 sum in 32 lanes gives different results" },
    perRound: rounds,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

type Rounds = Record<string, Record<Variant, Cell>>[];
type TorchRun = ReturnType<typeof runTorch>;

const verdict = (ratio: number | undefined, target: number) => (ratio === undefined ? "no peer" : ratio >= target ? "PASS" : "MISS");

/** Per case: best and median figures, ratios against tfjs-wasm (in-round) and PyTorch, verdicts on the best figures. */
function summarize(spec: CaseSpec, variants: Variant[], rounds: Rounds, torchRuns: TorchRun[]) {
  const cells = (v: Variant) => rounds.map((r) => r[spec.id][v]);
  const best = Object.fromEntries(variants.map((v) => [v, Math.max(...cells(v).map((c) => c.best))])) as Record<Variant, number>;
  const med = Object.fromEntries(variants.map((v) => [v, median(cells(v).map((c) => c.median))])) as Record<Variant, number>;
  const torchResults = torchRuns.map((t) => t.results[spec.id]).filter(isResult);
  const torchBest = torchResults.length ? Math.max(...torchResults.map((t) => N / t.minSecondsPerOp / 1e6)) : undefined;
  const torchMedian = torchResults.length ? median(torchResults.map((t) => t.melemsPerSec ?? 0)) : undefined;
  const hasTfjs = variants.includes("tfjs-wasm");
  const inRound = (v: Variant, key: keyof Cell) => round3(median(rounds.map((r) => r[spec.id][v][key] / r[spec.id]["tfjs-wasm"][key])));
  const verdicts: Record<string, unknown> = {};
  for (const v of variants.filter((x) => x !== "tfjs-wasm")) {
    const vsTfjs = hasTfjs ? inRound(v, "best") : undefined;
    const vsTorch = torchBest ? round3(best[v] / torchBest) : undefined;
    verdicts[v] = {
      vsTfjsWasm: vsTfjs,
      vsTfjsWasmMedian: hasTfjs ? inRound(v, "median") : undefined,
      tfjsWasmTarget: verdict(vsTfjs, TARGETS.tfjsWasm),
      vsTorch,
      vsTorchMedian: torchMedian ? round3(med[v] / torchMedian) : undefined,
      torchTarget: verdict(vsTorch, TARGETS.torch),
    };
  }
  // The share of today's time that the copies take: 1 − public/resident in speed (the same kernels).
  const copyShare = round3(1 - median(rounds.map((r) => r[spec.id].public.best / r[spec.id].resident.best)));
  return {
    id: spec.id,
    label: spec.label,
    best: { ...best, torch: torchBest && Math.round(torchBest) },
    median: { ...med, torch: torchMedian && Math.round(torchMedian) },
    copyShareOfPublicTime: copyShare,
    verdicts,
  };
}

// Run only as a script (the arena module is what tests import).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    log(String((error as Error)?.stack ?? error));
    process.exitCode = 1;
  });
}
