/**
 * Experiment 4 (000 §4.4): hierarchical signal recovery. A noisy multiscale block signal
 * x = x_coarse + x_mid + x_fine + noise (eq. 16, N = 64 = 4³) goes through one of four operators
 * with matched sparsity / Frobenius norm, and the SNR is measured at each scale.
 */
import { type Matrix, createRandom, frobeniusNorm, kron, matvec, zeros } from "@fcn/kron";
import { multiscaleSignal } from "@fcn/data";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, RunRecord } from "../framework/types.js";
import { COMPARISON_COLUMNS, comparisonCells, failureNotes, fmtSummary, metricValues, okRecords } from "../report/format.js";
import { barSpec } from "../report/specs.js";
import { PUBLISHED } from "./published.js";

export const OPERATORS = ["kronecker", "dense_random", "random_sparse", "local_band"] as const;
export type SignalOperator = (typeof OPERATORS)[number];
export const SCALES = ["coarse", "mid", "fine"] as const;

export interface Exp4Config extends Config {
  readonly operator: SignalOperator;
  /** Signals per trial. */
  readonly signals: number;
  /** Noise standard deviation (block amplitudes are 1). */
  readonly noise: number;
}

const M = 4;
const K = 3;
const N = M ** K;

function rowNormalize(a: Matrix): Matrix {
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j];
    if (s > 0) for (let j = 0; j < a.cols; j++) a.data[i * a.cols + j] /= s;
  }
  return a;
}

function nnz(a: Matrix): number {
  return a.data.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
}

/**
 * The four operators (weights seeded; chosen here — the seed only names them):
 * - kronecker: A₁ ⊗ A₂ ⊗ A₃, each 4×4 tridiagonal with weights U[0.5, 1.5), row-normalized (1000 nonzeros);
 * - dense_random: softmax of N(0,1) logits, scaled to the Kronecker operator's Frobenius norm;
 * - random_sparse: as many nonzeros as the Kronecker operator at uniformly random positions, weights U[0.5, 1.5), row-normalized, then Frobenius-matched;
 * - local_band: the band |i − j| ≤ w whose nonzero count is closest to the Kronecker one, same weights, row-normalized, Frobenius-matched.
 */
export function signalOperator(operator: SignalOperator, seed: number): Matrix {
  const random = createRandom(seed);
  const weight = () => 0.5 + random.uniform();
  const factors = Array.from({ length: K }, () => {
    const f = zeros(M, M);
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) if (Math.abs(i - j) <= 1) f.data[i * M + j] = weight();
    return rowNormalize(f);
  });
  const kronecker = kron(...factors);
  if (operator === "kronecker") return kronecker;
  const targetNorm = frobeniusNorm(kronecker);
  const target = nnz(kronecker);
  let a = zeros(N, N);
  if (operator === "dense_random") {
    for (let i = 0; i < N; i++) {
      let sum = 0;
      for (let j = 0; j < N; j++) sum += a.data[i * N + j] = Math.exp(random.normal());
      for (let j = 0; j < N; j++) a.data[i * N + j] /= sum;
    }
  } else if (operator === "random_sparse") {
    const cells = Array.from({ length: N * N }, (_, q) => q);
    for (let q = 0; q < target; q++) {
      const pick = q + random.integer(cells.length - q);
      [cells[q], cells[pick]] = [cells[pick], cells[q]];
      a.data[cells[q]] = weight();
    }
    a = rowNormalize(a);
  } else {
    let width = 0;
    const bandCount = (w: number) => N * (2 * w + 1) - w * (w + 1);
    while (Math.abs(bandCount(width + 1) - target) < Math.abs(bandCount(width) - target)) width++;
    for (let i = 0; i < N; i++) for (let j = Math.max(0, i - width); j <= Math.min(N - 1, i + width); j++) a.data[i * N + j] = weight();
    a = rowNormalize(a);
  }
  const scale = targetNorm / frobeniusNorm(a);
  for (let q = 0; q < a.data.length; q++) a.data[q] *= scale;
  return a;
}

/** Scale-s part of a signal: block means of 16 (coarse), of 4 minus of 16 (mid), value minus of 4 (fine). */
export function scalePart(v: Float64Array, scale: number): Float64Array {
  const means = (block: number) => {
    const out = new Float64Array(v.length);
    for (let b = 0; b < v.length; b += block) {
      let s = 0;
      for (let i = b; i < b + block; i++) s += v[i];
      out.fill(s / block, b, b + block);
    }
    return out;
  };
  const sizes = [N / M, N / M ** 2, 1]; // 16, 4, 1
  const fine = means(sizes[scale]);
  if (scale === 0) return fine;
  const coarser = means(sizes[scale - 1]);
  return fine.map((x, i) => x - coarser[i]);
}

function runExp4(config: Exp4Config): Metrics {
  const a = signalOperator(config.operator, config.seed);
  const data = multiscaleSignal({ n: config.signals, noise: config.noise, seed: config.seed, branching: M, depth: K });
  const metrics: Metrics = { nonzeros: nnz(a), frobenius_norm: frobeniusNorm(a) };
  const signal = [0, 0, 0];
  const errorIn = [0, 0, 0];
  const errorOut = [0, 0, 0];
  for (let r = 0; r < config.signals; r++) {
    const x = data.x.data.subarray(r * N, (r + 1) * N);
    const clean = data.y.data.subarray(r * N, (r + 1) * N);
    const y = matvec(a, Float64Array.from(x));
    for (let s = 0; s < 3; s++) {
      const truth = scalePart(Float64Array.from(clean), s);
      const before = scalePart(Float64Array.from(x), s);
      const after = scalePart(y, s);
      for (let i = 0; i < N; i++) {
        signal[s] += truth[i] ** 2;
        errorIn[s] += (before[i] - truth[i]) ** 2;
        errorOut[s] += (after[i] - truth[i]) ** 2;
      }
    }
  }
  SCALES.forEach((name, s) => {
    const snrIn = 10 * Math.log10(signal[s] / errorIn[s]);
    const snrOut = 10 * Math.log10(signal[s] / errorOut[s]);
    metrics[`snr_in_${name}`] = snrIn;
    metrics[`snr_out_${name}`] = snrOut;
    metrics[`snr_gain_${name}`] = snrOut - snrIn;
  });
  return metrics;
}

function tables(records: readonly RunRecord[]) {
  const ok = okRecords(records);
  const published = new Map((PUBLISHED.exp4_signal_recovery_snr_db.rows as (string | number)[][]).map((r) => [String(r[0]), r.slice(1) as number[]]));
  const operators = OPERATORS.filter((o) => ok.some((r) => r.config.operator === o));
  const rows = operators.flatMap((o) => SCALES.map((scale, s) => {
    const mine = (r: RunRecord) => r.config.operator === o;
    const pub = published.get(o);
    return [o, scale, ...comparisonCells(metricValues(ok, `snr_gain_${scale}`, mine), pub?.[2 * s], pub?.[2 * s + 1]),
      fmtSummary(summarize(metricValues(ok, `snr_in_${scale}`, mine))), fmtSummary(summarize(metricValues(ok, `snr_out_${scale}`, mine)))];
  }));
  const bars = operators.flatMap((o) => SCALES.map((scale) => {
    const s = summarize(metricValues(ok, `snr_gain_${scale}`, (r) => r.config.operator === o));
    return { scale, operator: o, snr_gain: s.mean, std: s.std };
  }));
  const nonzeros = operators.map((o) => `${o}: ${fmtSummary(summarize(metricValues(ok, "nonzeros", (r) => r.config.operator === o)))}`).join(", ");
  const cfg = ok[0]?.config;
  return {
    tables: [{
      title: "Experiment 4 — SNR improvement per scale in dB (000 §4.4)",
      columns: ["operator", "scale", ...COMPARISON_COLUMNS, "input SNR", "output SNR"],
      rows,
      caption: `${cfg?.signals} signals per seed, noise σ = ${cfg?.noise}, block amplitudes 1. Compared: our SNR improvement (output − input) with the published value and its std (the seed's Figure 6 calls it the improvement). Nonzeros: ${nonzeros}.`,
    }],
    plots: [{ name: "exp4-snr", title: "Experiment 4 — SNR improvement per scale", spec: barSpec(bars, { group: "scale", series: "operator", y: "snr_gain", error: "std", title: "SNR improvement (dB), mean ± std over seeds", yTitle: "dB" }) }],
    notes: [
      "The seed names the operators but not their weights, the noise level or how SNR is split by scale. Ours: Kronecker = product of three row-normalized 4×4 tridiagonal factors with random weights; the others match its Frobenius norm (dense random-softmax) and also its nonzero count (random sparse, local band). Per-scale SNR uses the Haar-like split of a signal into block means of 16 (coarse), 4 minus 16 (mid) and the rest (fine).",
      "Operators that are not row-stochastic after Frobenius matching change the signal's scale, which costs SNR at every scale; that is part of the seed's protocol as stated (matched norm), not an adjustment of ours.",
      "Under these definitions no operator improves the SNR at the coarse or mid scale: every one of them mixes across coarse blocks and the output loses the block means the input already carried. The seed's positive improvements (6.8/5.4/3.1 dB for Kronecker) cannot be checked without its operator weights and noise level; the ranking between operators is the comparable part.",
      ...failureNotes(records),
    ],
  };
}

export const exp4: Experiment<Exp4Config> = {
  id: "exp4",
  title: "Multiscale signal recovery with four operators",
  seedRef: "000 §4.4, eq. 16",
  estimate: (mode) => (mode === "quick" ? 1 : 3),
  grid: (mode, seeds) => OPERATORS.flatMap((operator) => seeds.map((seed) => ({ operator, signals: mode === "quick" ? 128 : 512, noise: 1, seed }))),
  run: (config) => runExp4(config),
  tables,
};
