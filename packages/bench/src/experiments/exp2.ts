/**
 * Experiment 2 (000 §4.2): relative Frobenius error of the nearest Kronecker product
 * (Van Loan–Pitsianis, rank 1) for five synthetic attention patterns on N = 64 tokens, and the
 * eq. 10 parameter-ratio table. The seed does not define the patterns; the definitions below are
 * chosen here (each is a row-stochastic N×N attention matrix, seeded).
 */
import { type Matrix, kron, nearestKroneckerProduct, zeros, createRandom } from "@fcn/kron";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, RunRecord } from "../framework/types.js";
import { COMPARISON_COLUMNS, comparisonCells, failureNotes, fmt, metricValues, okRecords } from "../report/format.js";
import { PUBLISHED } from "./published.js";

export const ATTENTION_PATTERNS = ["multi_scale_block", "exact_kronecker", "causal_hierarchical", "local_window", "random_noise"] as const;
export type AttentionPattern = (typeof ATTENTION_PATTERNS)[number];

export interface Exp2Config extends Config {
  readonly pattern: AttentionPattern;
  /** Branching m and depth k: N = m^k tokens. */
  readonly branching: number;
  readonly depth: number;
}

function rowSoftmax(logits: Matrix): Matrix {
  const out = zeros(logits.rows, logits.cols);
  for (let i = 0; i < logits.rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < logits.cols; j++) max = Math.max(max, logits.data[i * logits.cols + j]);
    let sum = 0;
    for (let j = 0; j < logits.cols; j++) sum += out.data[i * logits.cols + j] = Math.exp(logits.data[i * logits.cols + j] - max);
    for (let j = 0; j < logits.cols; j++) out.data[i * logits.cols + j] /= sum;
  }
  return out;
}

function rowNormalize(m: Matrix): Matrix {
  for (let i = 0; i < m.rows; i++) {
    let sum = 0;
    for (let j = 0; j < m.cols; j++) sum += m.data[i * m.cols + j];
    if (sum > 0) for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] /= sum;
  }
  return m;
}

/** Length of the common base-m prefix of i and j (k digits): 0 = different coarse blocks, k = same token. */
function sharedLevels(i: number, j: number, m: number, k: number): number {
  let level = 0;
  for (let d = k - 1; d >= 0; d--) {
    const p = m ** d;
    if (Math.floor(i / p) % m !== Math.floor(j / p) % m) break;
    level++;
  }
  return level;
}

/**
 * The attention pattern of a configuration (N = m^k, seeded):
 * - multi_scale_block: softmax of logits 2·(levels shared by query and key) + 0.1·N(0,1);
 * - exact_kronecker: A₁ ⊗ A₂ ⊗ … ⊗ A_k with A_ℓ = softmax(N(0,1)) per m×m factor;
 * - causal_hierarchical: multi_scale_block masked to keys j ≤ i and renormalized;
 * - local_window: uniform over |i − j| ≤ m, plus 0.1·U[0,1) jitter, renormalized;
 * - random_noise: softmax of N(0,1) logits.
 */
export function attentionPattern(pattern: AttentionPattern, m: number, k: number, seed: number): Matrix {
  const n = m ** k;
  const random = createRandom(seed);
  const logits = zeros(n, n);
  switch (pattern) {
    case "exact_kronecker": {
      let product: Matrix | undefined;
      for (let level = 0; level < k; level++) {
        const factorLogits = zeros(m, m);
        for (let q = 0; q < m * m; q++) factorLogits.data[q] = random.normal();
        const factor = rowSoftmax(factorLogits);
        product = product ? kron(product, factor) : factor;
      }
      return product as Matrix;
    }
    case "random_noise":
      for (let q = 0; q < n * n; q++) logits.data[q] = random.normal();
      return rowSoftmax(logits);
    case "local_window": {
      const a = zeros(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Math.abs(i - j) <= m) a.data[i * n + j] = 1 + 0.1 * random.uniform();
      return rowNormalize(a);
    }
    case "multi_scale_block":
    case "causal_hierarchical": {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) logits.data[i * n + j] = 2 * sharedLevels(i, j, m, k) + 0.1 * random.normal();
      const a = rowSoftmax(logits);
      if (pattern === "multi_scale_block") return a;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a.data[i * n + j] = 0;
      return rowNormalize(a);
    }
  }
}

/** eq. 10: dense N² = m^{2k} against k·m² Kronecker parameters; R = m^{2(k−1)}/k. */
export function parameterRatio(m: number, k: number): { n: number; dense: number; kronecker: number; ratio: number } {
  const n = m ** k;
  return { n, dense: n * n, kronecker: k * m * m, ratio: (n * n) / (k * m * m) };
}

function runExp2(config: Exp2Config): Metrics {
  const { branching: m, depth: k } = config;
  const a = attentionPattern(config.pattern, m, k, config.seed);
  // Coarse factor (m×m) ⊗ the rest (m^{k−1}×m^{k−1}), and the most balanced split.
  const rest = m ** (k - 1);
  const coarse = nearestKroneckerProduct(a, [m, m], [rest, rest], 1);
  const half = m ** Math.floor(k / 2);
  const balanced = nearestKroneckerProduct(a, [half, half], [(m ** k) / half, (m ** k) / half], 1);
  const energy = coarse.singularValues.reduce((s, v) => s + v * v, 0);
  return {
    relative_error: coarse.relativeError,
    relative_error_balanced_split: balanced.relativeError,
    leading_singular_value_share: coarse.singularValues[0] ** 2 / energy,
    kronecker_rank_99: countToEnergy(coarse.singularValues, 0.99),
  };
}

function countToEnergy(values: Float64Array, share: number): number {
  const total = values.reduce((s, v) => s + v * v, 0);
  let running = 0;
  for (let i = 0; i < values.length; i++) {
    running += values[i] ** 2;
    if (running >= share * total) return i + 1;
  }
  return values.length;
}

function tables(records: readonly RunRecord[]) {
  const ok = okRecords(records);
  const published = PUBLISHED.exp2_nearest_kronecker_error.rows as Record<string, number>;
  const errors = ATTENTION_PATTERNS.filter((p) => ok.some((r) => r.config.pattern === p)).map((p) => {
    const mine = (r: RunRecord) => r.config.pattern === p;
    const cells = comparisonCells(metricValues(ok, "relative_error", mine), published[p]);
    if (p === "exact_kronecker") {
      // Published "< 1e-6" is an upper bound: agreement means ours is below it.
      const worst = Math.max(...metricValues(ok, "relative_error", mine));
      cells[2] = "< 1e-6";
      cells[4] = worst < 1e-6 ? "yes (bound)" : "no";
    }
    const other = summarize(metricValues(ok, "relative_error_balanced_split", mine));
    const share = summarize(metricValues(ok, "leading_singular_value_share", mine));
    const rank = summarize(metricValues(ok, "kronecker_rank_99", mine));
    return [p, ...cells, fmt(other.mean), fmt(share.mean), fmt(rank.mean)];
  });
  const ratioRows = (PUBLISHED.exp2_parameter_ratio.rows as number[][]).map(([k, m, , , , ratio]) => {
    const r = parameterRatio(m, k);
    return [k, m, r.n, r.dense, r.kronecker, fmt(r.ratio), ratio, Math.abs(r.ratio - ratio) <= 0.5 ? "yes" : "no"];
  });
  for (const [m, k, claim] of [[4, 3, 85], [2, 7, 9.1]]) {
    const r = parameterRatio(m, k);
    ratioRows.push([k, m, r.n, r.dense, r.kronecker, fmt(r.ratio), `${claim} (§3.3 text)`, Math.abs(r.ratio - claim) <= 0.5 ? "yes" : "no"]);
  }
  const cfg = ok[0]?.config;
  return {
    tables: [
      { title: "Experiment 2 — nearest-Kronecker relative error (000 §4.2)", columns: ["pattern", ...COMPARISON_COLUMNS, "error, balanced split", "σ₁² share", "terms for 99% energy"], rows: errors,
        caption: `N = ${cfg ? Number(cfg.branching) ** Number(cfg.depth) : "?"} tokens; rank-1 nearest Kronecker product with a coarse ${cfg?.branching}×${cfg?.branching} factor ⊗ the rest (comparison column) and with the balanced split.` },
      { title: "Experiment 2 — parameter ratio R(m, k) = m^{2(k−1)}/k (eq. 10)", columns: ["k", "m", "N", "dense params", "Kronecker params", "R (ours)", "published", "agrees"], rows: ratioRows,
        caption: "Arithmetic of eq. 10. The §3.3 text's (m, k) = (2, 7) → 64/7 ≈ 9.1 uses m^{k−1} instead of m^{2(k−1)}; the seed's own table gives 585 for the same (m, k)." },
    ],
    plots: [],
    notes: [
      "The five patterns are not specified in the seed; ours are defined in `attentionPattern` (multi-scale block = softmax of 2·(shared hierarchy levels) + small noise; causal = the same masked to j ≤ i; local window of half-width m; random = softmax of Gaussian logits; exact = Kronecker product of softmax factors). Errors of the non-exact patterns depend on these choices, so the differences to the published column measure definitions as much as methods.",
      "exact_kronecker is the check of the method: its rank-1 error is at round-off level (the smoke test asserts < 1e-9).",
      ...failureNotes(records),
    ],
  };
}

export const exp2: Experiment<Exp2Config> = {
  id: "exp2",
  title: "Nearest-Kronecker error of attention patterns and parameter ratios",
  seedRef: "000 §4.2, eq. 10",
  estimate: () => 1,
  grid: (_mode, seeds) => ATTENTION_PATTERNS.flatMap((pattern) => seeds.map((seed) => ({ pattern, branching: 4, depth: 3, seed }))),
  run: (config) => runExp2(config),
  tables,
};
