/**
 * GEMM benchmark: GFLOP/s of our wasm kernels (1 and 2 threads), a naive JS loop, and
 * TensorFlow.js (wasm and cpu backends) in the same process.
 *
 *   pnpm exec tsx bench/gemm.ts            table
 *   pnpm exec tsx bench/gemm.ts --json     JSON on stdout
 *   pnpm exec tsx bench/gemm.ts --quick    fewer sizes, shorter timing
 */
import { createRequire } from "node:module";
import path from "node:path";
import { gemmF32, gemmF64, setGemmThreads } from "../src/backend/cpu/gemm/index";
import { gemmVariant } from "../src/backend/cpu/gemm/module";
import { gflops, randomFill, secondsPerCall } from "./gemm-timing";

type TfModule = typeof import("@tensorflow/tfjs");
type Impl = "ours-1t" | "ours-2t" | "naive-js" | "tfjs-wasm" | "tfjs-cpu";
const IMPLS: Impl[] = ["ours-1t", "ours-2t", "naive-js", "tfjs-wasm", "tfjs-cpu"];

/** One benchmark case: C = op(A)·op(B) with op(A) m×k, op(B) k×n. */
export interface GemmCase {
  dtype: "f32" | "f64";
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

/** Result row: GFLOP/s and µs per call for each implementation (null where skipped). */
export interface GemmRow extends GemmCase {
  label: string;
  gflops: Record<Impl, number | null>;
  micros: Record<Impl, number | null>;
}

/** Naive triple loop (i, j, p) over op(A)·op(B): the baseline a tensor library starts from. */
export function naiveGemm(a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array,
  m: number, n: number, k: number, ta: boolean, tb: boolean): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
      c[i * n + j] = s;
    }
  }
}

/** Loads TensorFlow.js with its wasm backend registered (wasm files from the package's dist/), quietly. */
export async function loadTf(): Promise<TfModule> {
  const require = createRequire(import.meta.url);
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = () => {}; // tfjs greets Node users when it loads
  let tf: TfModule;
  try {
    tf = require("@tensorflow/tfjs") as TfModule;
  } finally {
    console.log = log;
    console.warn = warn;
  }
  const wasm = require("@tensorflow/tfjs-backend-wasm") as { setWasmPaths(p: string): void };
  wasm.setWasmPaths(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + path.sep);
  await quietSetBackend(tf, "wasm");
  await tf.ready();
  return tf;
}

/** tf.setBackend with console output muted (tfjs greets Node users when a backend starts). */
async function quietSetBackend(tf: TfModule, backend: string): Promise<void> {
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = () => {};
  try {
    await tf.setBackend(backend);
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

async function timeTf(tf: TfModule, backend: "wasm" | "cpu", cs: GemmCase, a: Float32Array, b: Float32Array, minMs: number): Promise<number> {
  await quietSetBackend(tf, backend);
  const ta = tf.tensor2d(a, cs.transA ? [cs.k, cs.m] : [cs.m, cs.k], "float32");
  const tb = tf.tensor2d(b, cs.transB ? [cs.n, cs.k] : [cs.k, cs.n]);
  const sec = secondsPerCall(() => {
    const c = tf.matMul(ta, tb, cs.transA, cs.transB);
    c.dataSync();
    c.dispose();
  }, minMs, 3);
  ta.dispose();
  tb.dispose();
  return sec;
}

/** Times every implementation on one case; slow baselines are skipped past `naiveMax` flops. */
export async function runCase(tf: TfModule | undefined, cs: GemmCase, minMs: number, naiveMax: number): Promise<GemmRow> {
  const F = cs.dtype === "f32" ? Float32Array : Float64Array;
  const a = randomFill(new F(cs.m * cs.k), 1);
  const b = randomFill(new F(cs.k * cs.n), 2);
  const c = new F(cs.m * cs.n);
  const gemm = () => cs.dtype === "f32"
    ? gemmF32(a as Float32Array, b as Float32Array, c as Float32Array, cs.m, cs.n, cs.k, cs.transA, cs.transB)
    : gemmF64(a as Float64Array, b as Float64Array, c as Float64Array, cs.m, cs.n, cs.k, cs.transA, cs.transB);
  const secs: Record<Impl, number | null> = { "ours-1t": null, "ours-2t": null, "naive-js": null, "tfjs-wasm": null, "tfjs-cpu": null };
  setGemmThreads(1);
  secs["ours-1t"] = secondsPerCall(gemm, minMs);
  setGemmThreads(2);
  secs["ours-2t"] = secondsPerCall(gemm, minMs);
  const work = cs.m * cs.n * cs.k;
  if (work <= naiveMax) secs["naive-js"] = secondsPerCall(() => naiveGemm(a, b, c, cs.m, cs.n, cs.k, cs.transA, cs.transB), minMs, 3);
  // tfjs's wasm backend has no float64 kernels; compare f32 only.
  if (tf !== undefined && cs.dtype === "f32") {
    secs["tfjs-wasm"] = await timeTf(tf, "wasm", cs, a as Float32Array, b as Float32Array, minMs);
    if (work <= naiveMax * 8) secs["tfjs-cpu"] = await timeTf(tf, "cpu", cs, a as Float32Array, b as Float32Array, minMs);
  }
  const op = (t: boolean, s: string) => (t ? `${s}ᵀ` : s);
  const label = `${cs.dtype} ${op(cs.transA, "A")}${op(cs.transB, "B")} ${cs.m}×${cs.k}·${cs.k}×${cs.n}`;
  const g = {} as Record<Impl, number | null>;
  const us = {} as Record<Impl, number | null>;
  for (const impl of IMPLS) {
    const s = secs[impl];
    g[impl] = s === null ? null : gflops(cs.m, cs.n, cs.k, s);
    us[impl] = s === null ? null : s * 1e6;
  }
  return { ...cs, label, gflops: g, micros: us };
}

/** The benchmark's case list. */
export function gemmCases(quick: boolean): GemmCase[] {
  const cases: GemmCase[] = [];
  const sizes = quick ? [64, 256, 512] : [64, 128, 256, 512, 1024];
  for (const s of sizes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true]] as const) {
      cases.push({ dtype: "f32", m: s, n: s, k: s, transA, transB });
    }
  }
  for (const s of [256, 512]) cases.push({ dtype: "f64", m: s, n: s, k: s, transA: false, transB: false });
  for (const [m, k, n] of [[64, 2, 64], [64, 64, 64], [64, 64, 1]]) {
    cases.push({ dtype: "f32", m, n, k, transA: false, transB: false });
    cases.push({ dtype: "f64", m, n, k, transA: false, transB: false });
  }
  return cases;
}

function fmt(v: number | null, digits: number): string {
  return v === null ? "-" : v.toFixed(digits);
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const quick = process.argv.includes("--quick");
  const tf = await loadTf();
  const rows: GemmRow[] = [];
  for (const cs of gemmCases(quick)) {
    const row = await runCase(tf, cs, quick ? 60 : 150, 256 ** 3);
    rows.push(row);
    if (!json) {
      if (rows.length === 1) console.log(["case".padEnd(28), ...IMPLS.map((i) => i.padStart(10))].join(" ") + "   (GFLOP/s; µs/call for m·n·k < 2^20)");
      const small = cs.m * cs.n * cs.k < 1 << 20;
      const vals = IMPLS.map((i) => (small ? fmt(row.micros[i], 1) + "µs" : fmt(row.gflops[i], 1)).padStart(10));
      console.log([row.label.padEnd(28), ...vals].join(" "));
    }
  }
  const meta = { node: process.version, kernel: gemmVariant, threads: 2 };
  if (json) process.stdout.write(JSON.stringify({ meta, rows }, null, 2) + "\n");
  else console.log(`kernel build: ${gemmVariant}, node ${process.version}`);
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) await main();
