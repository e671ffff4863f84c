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
 *   (dataSync()) an unshared and a shared memory, and making a typed-array view of a block.
 *
 *   pnpm --filter @fcn/tensor exec tsx bench/resident.ts [--rounds N] [--no-torch] [--no-shared]
 *
 * Engines are interleaved case by case in every round and each ratio is taken within a round;
 * the report is JSON on stdout (progress on stderr) and nothing is written to tracked files.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
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
const OPTIONS: MeasureOptions = { warmupSeconds: 0.05, minSeconds: 0.25, minReps: 5, maxSeconds: 2 };
const ROWS = 1024;
const COLS = 1024;
const N = ROWS * COLS;

type Variant = "public" | "resident" | "resident-shared" | "tfjs-wasm";
const TARGETS = { tfjsWasm: 1, torch: 0.5 };

/** Results fold into this, so no timed call is dead code. */
let sink = 0;

const log = (s: string) => process.stderr.write(`${s}\n`);

function parseArgs(argv: string[]): { rounds: number; torch: boolean; shared: boolean } {
  const args = { rounds: 3, torch: true, shared: true };
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
  const sources = ["index.ts", "argreduce.ts", "binary.ts", "compare.ts", "math.ts", "optim.ts", "reduce.ts", "softmax.ts", "unary.ts"];
  let hash = 0;
  for (const s of sources) for (const ch of readFileSync(path.join(dir, s), "utf8")) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  const cacheDir = path.join(os.tmpdir(), "fcn-resident-bench");
  const file = path.join(cacheDir, `elementwise-shared-${hash.toString(16)}.wasm`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    const require = createRequire(path.join(HERE, "../package.json"));
    const asc = path.join(path.dirname(require.resolve("assemblyscript/package.json")), "bin/asc.js");
    const flags = ["--enable", "simd,threads", "--importMemory", "--sharedMemory", "--initialMemory", "1", "--maximumMemory", "16384",
      "--runtime", "stub", "-O3", "--noAssert"];
    log("compiling the elementwise module for a shared memory…");
    execFileSync(process.execPath, [asc, "tools/build-wasm/elementwise/index.ts", ...flags, "-o", file], { cwd: ROOT, stdio: "ignore" });
  }
  return new Uint8Array(readFileSync(file));
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

interface Cell {
  melemsPerSec: number;
  spread: number;
}

/** Melem/s of one prepared case (median repetition). */
function time(prepared: Prepared): Cell {
  const t = measure(prepared.run, OPTIONS);
  return { melemsPerSec: N / t.secondsPerOp / 1e6, spread: Math.round(t.spread * 1000) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** GB/s of copying 1M float32 into and out of a memory, and ns per block view. */
function boundary(arena: ResidentArena): { copyInGBs: number; copyOutGBs: number; viewNs: number } {
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cases = buildCases({ quick: false, only: "/^(add|addRow|exp|sum)-1M$/" });
  const arenas: Partial<Record<Variant, ResidentArena>> = { resident: new ResidentArena({ initialBytes: 64 << 20 }) };
  if (args.shared) arenas["resident-shared"] = new ResidentArena({ bytes: sharedModuleBytes(), shared: true, initialBytes: 64 << 20 });
  const tfInfo = await tfjsWasmEngine.init();
  const variants: Variant[] = ["public", "resident", ...(args.shared ? (["resident-shared"] as const) : []), ...(tfInfo.available ? (["tfjs-wasm"] as const) : [])];
  const loadStart = os.loadavg();

  const prepared = new Map<string, Prepared>();
  for (const spec of cases) {
    const p = spec.params as ElementwiseParams;
    for (const v of variants) {
      const arena = arenas[v];
      const made = arena ? prepareResident(arena, p) : await (v === "public" ? oursEngine : tfjsWasmEngine).prepare(spec);
      if (typeof made === "string") throw new Error(`${v} ${spec.id}: ${made}`);
      prepared.set(`${spec.id} ${v}`, made);
    }
  }

  const rounds: Record<string, Record<Variant, Cell>>[] = [];
  let torch: ReturnType<typeof runTorch> | undefined;
  for (let r = 0; r < args.rounds; r++) {
    const round: Record<string, Record<Variant, Cell>> = {};
    for (const spec of cases) {
      // Rotate the order each round, so no variant always runs first (or right after PyTorch).
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      const cells = {} as Record<Variant, Cell>;
      for (const v of order) cells[v] = time(prepared.get(`${spec.id} ${v}`)!);
      round[spec.id] = cells;
      log(`round ${r + 1} ${spec.id}: ${variants.map((v) => `${v} ${cells[v].melemsPerSec.toFixed(0)}`).join(", ")} Melem/s`);
    }
    rounds.push(round);
    // PyTorch once, between the first and second rounds.
    if (r === 0 && args.torch) torch = runTorch(cases, OPTIONS, { threads: 1, checkSteps: 0, log });
  }
  const boundaryCosts = Object.fromEntries(Object.entries(arenas).map(([v, arena]) => [v, boundary(arena)]));
  for (const p of prepared.values()) p.dispose();

  const summary = cases.map((spec: CaseSpec) => summarize(spec, variants, rounds, torch));
  const report = {
    benchmark: "wasm-resident storage prototype (issue 14)",
    date: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, loadStart, loadEnd: os.loadavg() },
    options: OPTIONS,
    rounds: args.rounds,
    unit: "Melem/s (1M float32 elements per call; median repetition; per-variant figure is the median over rounds)",
    peers: { tfjsWasm: tfInfo, torch: torch?.info ?? { available: false, note: args.torch ? "not run" : "--no-torch" } },
    targets: "each case ≥ 1× tfjs-wasm and ≥ 0.5× PyTorch (issue 14)",
    cases: summary,
    boundary: boundaryCosts,
    perRound: rounds,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** Per-case medians over rounds, in-round ratios against tfjs-wasm, and ratios against PyTorch. */
function summarize(spec: CaseSpec, variants: Variant[], rounds: Record<string, Record<Variant, Cell>>[], torch: ReturnType<typeof runTorch> | undefined) {
  const per = (v: Variant) => rounds.map((r) => r[spec.id][v].melemsPerSec);
  const melems = Object.fromEntries(variants.map((v) => [v, Math.round(median(per(v)))])) as Record<Variant, number>;
  const torchResult = torch?.results[spec.id];
  const torchMelems = isResult(torchResult) ? torchResult.melemsPerSec : undefined;
  const ours: Variant[] = variants.filter((v) => v !== "tfjs-wasm");
  const verdicts: Record<string, unknown> = {};
  for (const v of ours) {
    const vsTfjs = variants.includes("tfjs-wasm") ? round3(median(rounds.map((r) => r[spec.id][v].melemsPerSec / r[spec.id]["tfjs-wasm"].melemsPerSec))) : undefined;
    const vsTorch = torchMelems ? round3(melems[v] / torchMelems) : undefined;
    verdicts[v] = {
      vsTfjsWasm: vsTfjs,
      tfjsWasmTarget: vsTfjs === undefined ? "no peer" : vsTfjs >= TARGETS.tfjsWasm ? "PASS" : "MISS",
      vsTorch,
      torchTarget: vsTorch === undefined ? "no peer" : vsTorch >= TARGETS.torch ? "PASS" : "MISS",
    };
  }
  // How much of today's time the copies take: 1 − public/resident in speed (the same kernels).
  const copyShare = round3(1 - median(rounds.map((r) => r[spec.id].public.melemsPerSec / r[spec.id].resident.melemsPerSec)));
  return { id: spec.id, label: spec.label, melemsPerSec: { ...melems, torch: torchMelems && Math.round(torchMelems) }, copyShareOfPublicTime: copyShare, verdicts };
}

// Run only as a script (the arena module is what tests import).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    log(String((error as Error)?.stack ?? error));
    process.exitCode = 1;
  });
}
