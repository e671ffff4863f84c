/**
 * Timings of the issue's speed targets, measured in one run with the peers: eigh (with vectors)
 * at n = 128/512/1024 beside numpy's LAPACK (`python3 -c "import numpy"`, timed before and after
 * ours, the faster counting; skipped when missing), judged met or MISS against 2× NumPy,
 * and `ml-matrix` (skipped when not installed), KronOperator apply at k = 20 against a plain
 * factor-wise loop and at k = 24, the exact K₀^{⊗30} spectrum, and stochastic Kronecker sampling.
 * Each figure is the fastest of several repeats. Run: `pnpm bench`; `pnpm bench -- --write-docs`
 * also replaces the kron section of docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { KronOperator, eigh, fromRows, kronPowerSpectrum, sierpinski, stochasticKronecker, zeros, type Matrix } from "../src/index.js";

function best(run: () => unknown, repeats: number): number {
  run();
  let fastest = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

function testMatrix(n: number): Matrix {
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = Math.sin(i * 13 + j * 7);
  return a;
}

/** numpy.linalg.eigh on the same matrices, fastest of `repeats`, or null when numpy is missing. */
function numpyEigh(sizes: number[], repeats: number): Map<number, number> | null {
  const script = `
import sys, time, json
import numpy as np
out = {}
for n in ${JSON.stringify(sizes)}:
    i = np.arange(n)
    a = np.sin(np.add.outer(i * 13, i * 7)); a = np.tril(a) + np.tril(a, -1).T
    np.linalg.eigh(a)
    best = 1e9
    for _ in range(${repeats}):
        t = time.perf_counter(); np.linalg.eigh(a); best = min(best, time.perf_counter() - t)
    out[n] = best * 1e3
print(json.dumps(out))
`;
  try {
    // NumPy at its best: without the OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE these machines set for old OpenBLAS builds.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "OPENBLAS_CORETYPE" && k !== "OPENBLAS_L2_SIZE"));
    const text = execFileSync("python3", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env });
    return new Map(Object.entries(JSON.parse(text) as Record<string, number>).map(([k, v]) => [Number(k), v]));
  } catch {
    return null;
  }
}

/** ml-matrix's EigenvalueDecomposition when the package is installed, else null. */
async function mlMatrixEigh(): Promise<((a: Matrix) => unknown) | null> {
  try {
    const name = "ml-matrix";
    const ml = (await import(name)) as { Matrix: { from1DArray(r: number, c: number, d: number[]): unknown }; EigenvalueDecomposition: new (m: unknown, o: object) => unknown };
    return (a) => new ml.EigenvalueDecomposition(ml.Matrix.from1DArray(a.rows, a.cols, Array.from(a.data)), { assumeSymmetric: true });
  } catch {
    return null;
  }
}

const rows: string[][] = [];
const fmt = (ms: number | null | undefined) => (ms === null || ms === undefined ? "—" : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const sizes = [128, 512, 1024];
const mlReference: Record<number, number> = { 128: 20.5, 512: 1071, 1024: 9022 };
const ml = await mlMatrixEigh();
const loadBefore = loadavg()[0];
const numpyBefore = numpyEigh(sizes, 3);
const eighTimes = new Map<number, { ours: number; mlTime: number | null }>();
for (const n of sizes) {
  const a = testMatrix(n);
  // Steady state, as NumPy's: at n = 128 the first dozen calls still run partly unoptimized JS.
  const ours = best(() => eigh(a), n >= 1024 ? 3 : n >= 512 ? 5 : 50);
  const mlTime = ml ? best(() => ml(a), n >= 1024 ? 1 : 2) : null;
  eighTimes.set(n, { ours, mlTime });
}
// NumPy again after ours, so that it is judged at its best of the run (before or after).
const numpyAfter = numpyEigh(sizes, 3);
for (const n of sizes) {
  const { ours, mlTime } = eighTimes.get(n)!;
  const peers = [numpyBefore?.get(n), numpyAfter?.get(n)].filter((v): v is number => v !== undefined);
  const np = peers.length > 0 ? Math.min(...peers) : null;
  // Issue 14: eigh at n = 512 and 1024 within 2× of NumPy/LAPACK in the same run (128 is reported against the same bound).
  const verdict = np === null ? "no NumPy in this run" : ours <= 2 * np ? "met" : "**MISS**";
  const ratio = np === null ? "" : ` (ours/numpy ${(ours / np).toFixed(2)}; ≤ 2×: ${verdict.replace(/\*/g, "")})`;
  console.log(`eigh n=${n}: ${fmt(ours)} ms; numpy ${fmt(np)} ms${ratio}; ml-matrix ${ml ? fmt(mlTime) : "not installed"}`);
  rows.push([
    `\`eigh\` with vectors, n = ${n}`, `${fmt(ours)} ms`,
    `numpy ${np === null ? "not available" : `${fmt(np)} ms (ours/numpy ${(ours / np).toFixed(2)})`}; ml-matrix ${ml ? `${fmt(mlTime)} ms` : "not installed"}`,
    `≤ 2× NumPy of this run${np === null ? "" : ` (${fmt(2 * np)} ms)`}: ${verdict}; ` +
      `≤ ${fmt(mlReference[n] / 20)} ms (20× under ml-matrix's ${mlReference[n]} ms): ${ours <= mlReference[n] / 20 ? "met" : "**not met**"}`,
  ]);
}

/** The plain factor-wise loop for 2×2 factors: one butterfly pass per level. */
function plainLoop(x: Float64Array, f: Float64Array, k: number): Float64Array {
  let current = x;
  for (let level = 0; level < k; level++) {
    const next = new Float64Array(current.length);
    const stride = 2 ** (k - level - 1);
    for (let base = 0; base < current.length; base += 2 * stride) {
      for (let r = 0; r < stride; r++) {
        const x0 = current[base + r];
        const x1 = current[base + stride + r];
        next[base + r] = f[0] * x0 + f[1] * x1;
        next[base + stride + r] = f[2] * x0 + f[3] * x1;
      }
    }
    current = next;
  }
  return current;
}
const k20 = new KronOperator(Array.from({ length: 20 }, () => sierpinski()));
const x20 = new Float64Array(2 ** 20).fill(1);
let apply20 = Infinity;
let plain20 = Infinity;
for (let round = 0; round < 3; round++) {
  // Interleaved, so both see the same machine load.
  apply20 = Math.min(apply20, best(() => k20.apply(x20), 3));
  plain20 = Math.min(plain20, best(() => plainLoop(x20, sierpinski().data, 20), 3));
}
console.log(`KronOperator.apply k=20: ${fmt(apply20)} ms; plain loop ${fmt(plain20)} ms`);
rows.push(["`KronOperator.apply`, k = 20 (2²⁰ nodes)", `${fmt(apply20)} ms`, `plain factor-wise loop ${fmt(plain20)} ms`, `as fast as the plain loop: ${apply20 <= plain20 ? "met" : "**not met**"}`]);
const k24 = new KronOperator(Array.from({ length: 24 }, () => sierpinski()));
const x24 = new Float64Array(2 ** 24).fill(1);
const apply24 = best(() => k24.apply(x24), 1);
console.log(`KronOperator.apply k=24: ${fmt(apply24)} ms`);
rows.push(["`KronOperator.apply`, k = 24 (2²⁴ nodes)", `${fmt(apply24)} ms`, "never materialized", "runs: met"]);
const spectrum = best(() => kronPowerSpectrum(sierpinski(), 30), 20);
rows.push(["exact spectrum of K₀^{⊗30}", `${fmt(spectrum)} ms`, "—", `< 10 ms: ${spectrum < 10 ? "met" : "**not met**"}`]);
const initiator = fromRows([[0.99, 0.7], [0.7, 0.3]]);
const sampling = best(() => stochasticKronecker(initiator, 20, 1, { draws: 1_000_000 }), 2);
console.log(`stochastic Kronecker 10^6 draws: ${fmt(sampling)} ms`);
rows.push(["stochastic Kronecker, 10⁶ draws at k = 20 (CSR, duplicates removed)", `${fmt(sampling)} ms`, "—", `< 1 s: ${sampling < 1000 ? "met" : "**not met**"}`]);

const table = [
  `Node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString().slice(0, 10)}; fastest of several repeats, peers in the same run;`,
  `1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (a shared machine: compare with the peers of the same run,`,
  "not with the reference figures, which were taken on a quiet machine).",
  "",
  "| task | @fcn/kron | peer (same run) | target |",
  "| --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.join(" | ")} |`),
].join("\n");
console.log(`\n${table}`);
if (process.argv.includes("--write-docs")) {
  const path = new URL("../../../docs/performance.md", import.meta.url);
  const begin = "<!-- kron-bench:start -->";
  const end = "<!-- kron-bench:end -->";
  const section = `${begin}\n## @fcn/kron\n\nMeasured by \`packages/kron/bench/performance.ts\` (\`pnpm bench -- --write-docs\`).\n${table}\n${end}`;
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n";
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
  console.log("docs/performance.md: kron section written");
}
