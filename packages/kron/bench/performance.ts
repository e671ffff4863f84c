/**
 * Timings of the speed targets, measured in one run: eigh at n = 128/256/512, KronOperator
 * apply at k = 20 against a plain factor-wise loop and at k = 24, the exact K₀^{⊗30} spectrum,
 * and stochastic Kronecker sampling. Run: `pnpm bench`.
 */
import { KronOperator, eigh, fromRows, kronPowerSpectrum, sierpinski, stochasticKronecker, zeros } from "../src/index.js";

function time(label: string, run: () => unknown, repeats = 3): number {
  run();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run();
  const ms = (performance.now() - start) / repeats;
  console.log(`${label}: ${ms.toFixed(2)} ms`);
  return ms;
}

for (const n of [128, 256, 512]) {
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = Math.sin(i * 13 + j * 7);
  time(`eigh with vectors n=${n}`, () => eigh(a), n > 256 ? 1 : 3);
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
time("KronOperator.apply k=20 (N=2^20)", () => k20.apply(x20));
time("plain factor-wise loop k=20", () => plainLoop(x20, sierpinski().data, 20));
const k24 = new KronOperator(Array.from({ length: 24 }, () => sierpinski()));
time("KronOperator.apply k=24 (N=2^24)", () => k24.apply(new Float64Array(2 ** 24).fill(1)), 1);
time("exact spectrum of K0^⊗30", () => kronPowerSpectrum(sierpinski(), 30), 20);
time("stochastic Kronecker, 10^6 draws (k=20)", () => stochasticKronecker(fromRows([[0.99, 0.7], [0.7, 0.3]]), 20, 1, { draws: 1_000_000 }), 1);
