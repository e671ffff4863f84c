/**
 * Experiment 2 (000 §4.2): relative Frobenius error of the nearest Kronecker product for five
 * synthetic attention patterns on N = m^k = 64 tokens, and the eq. 10 parameter-ratio table.
 * The seed names the patterns but does not define them; the definitions below are ours (each a
 * row-stochastic N×N matrix, seeded), and each run also sweeps the pattern's free parameter so the
 * report can show how far the error moves with a definition the seed leaves open.
 */
import { type Matrix, kron, nearestKroneckerProduct, zeros, createRandom } from "@fcn/kron";
import { readingOf } from "../framework/readings.js";
import { summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Reading, RunRecord } from "../framework/types.js";
import { COMPARISON_COLUMNS, comparisonCells, failureNotes, fmt, metricValues, okRecords, readingsCell } from "../report/format.js";
import { nearestKroneckerFactors } from "./kroneckerFactors.js";
import { PUBLISHED } from "./published.js";

export const ATTENTION_PATTERNS = ["multi_scale_block", "exact_kronecker", "causal_hierarchical", "local_window", "random_noise"] as const;
export type AttentionPattern = (typeof ATTENTION_PATTERNS)[number];

export interface Exp2Config extends Config {
  readonly pattern: AttentionPattern;
  /** Branching m and depth k: N = m^k tokens. */
  readonly branching: number;
  readonly depth: number;
}

/** How many Kronecker factors the nearest product has. */
export const FACTOR_COUNT: Reading = {
  id: "kroneckerFactors",
  values: {
    k: "k factors of m×m (A₁ ⊗ A₂ ⊗ A₃ at m = 4, N = 64), fitted by alternating least squares on the rearranged tensor",
    "2": "two factors, a coarse m×m factor ⊗ the rest (m^{k−1} × m^{k−1}), fitted exactly by the Van Loan–Pitsianis SVD",
  },
  default: "k",
  basis: "\"Kronecker-factored attention constrains A = A₁ ⊗ A₂ ⊗ ⋯ ⊗ A_k with each factor A_i ∈ ℝ^{m×m} and N = m^k\" (000 " +
    "§4.2, eq. 14); Figure 3: \"three 4×4 factors (coarse, mid, fine) combine into a 64×64 attention matrix\"",
};

export const EXP2_READINGS: readonly Reading[] = [FACTOR_COUNT];

/** The free parameters of the pattern definitions (defaults used for the comparison column). */
export interface PatternParameters {
  /** multi_scale_block / causal: logit per shared hierarchy level. */
  readonly strength?: number;
  /** multi_scale_block / causal: std of the Gaussian logit noise. */
  readonly noise?: number;
  /** local_window: half-width of the window (default m). */
  readonly halfWidth?: number;
  /** random_noise / exact_kronecker: std of the Gaussian logits. */
  readonly logitStd?: number;
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
 * The attention pattern of a configuration (N = m^k, seeded); defaults of the free parameters in brackets:
 * - multi_scale_block: softmax of logits strength·(levels shared by query and key) + noise·N(0,1) [2, 0.1];
 * - exact_kronecker: A₁ ⊗ A₂ ⊗ … ⊗ A_k with A_ℓ = softmax(logitStd·N(0,1)) per m×m factor [1];
 * - causal_hierarchical: multi_scale_block masked to keys j ≤ i and renormalized;
 * - local_window: uniform over |i − j| ≤ halfWidth, plus 0.1·U[0,1) jitter, renormalized [m];
 * - random_noise: softmax of logitStd·N(0,1) logits [1].
 */
export function attentionPattern(pattern: AttentionPattern, m: number, k: number, seed: number, parameters: PatternParameters = {}): Matrix {
  const n = m ** k;
  const random = createRandom(seed);
  const logits = zeros(n, n);
  const logitStd = parameters.logitStd ?? 1;
  switch (pattern) {
    case "exact_kronecker": {
      let product: Matrix | undefined;
      for (let level = 0; level < k; level++) {
        const factorLogits = zeros(m, m);
        for (let q = 0; q < m * m; q++) factorLogits.data[q] = logitStd * random.normal();
        const factor = rowSoftmax(factorLogits);
        product = product ? kron(product, factor) : factor;
      }
      return product as Matrix;
    }
    case "random_noise":
      for (let q = 0; q < n * n; q++) logits.data[q] = logitStd * random.normal();
      return rowSoftmax(logits);
    case "local_window": {
      const a = zeros(n, n);
      const w = parameters.halfWidth ?? m;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Math.abs(i - j) <= w) a.data[i * n + j] = 1 + 0.1 * random.uniform();
      return rowNormalize(a);
    }
    case "multi_scale_block":
    case "causal_hierarchical": {
      const strength = parameters.strength ?? 2;
      const noise = parameters.noise ?? 0.1;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) logits.data[i * n + j] = strength * sharedLevels(i, j, m, k) + noise * random.normal();
      const a = rowSoftmax(logits);
      if (pattern === "multi_scale_block") return a;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a.data[i * n + j] = 0;
      return rowNormalize(a);
    }
  }
}

/** The free parameters each pattern's error is swept over (the defaults among them). */
export const PARAMETER_SWEEPS: Record<AttentionPattern, { readonly label: string; readonly settings: readonly PatternParameters[] }> = {
  multi_scale_block: { label: "(level strength, logit noise std)", settings: grid([0.5, 1, 2, 4, 8], [0, 0.1, 0.4]) },
  causal_hierarchical: { label: "(level strength, logit noise std)", settings: grid([0.5, 1, 2, 4, 8], [0, 0.1, 0.4]) },
  local_window: { label: "window half-width", settings: [1, 2, 4, 8, 16, 32].map((halfWidth) => ({ halfWidth })) },
  random_noise: { label: "logit std", settings: [0.25, 0.5, 1, 2, 3, 4].map((logitStd) => ({ logitStd })) },
  exact_kronecker: { label: "factor logit std", settings: [0.5, 1, 2].map((logitStd) => ({ logitStd })) },
};

function grid(strengths: readonly number[], noises: readonly number[]): PatternParameters[] {
  return strengths.flatMap((strength) => noises.map((noise) => ({ strength, noise })));
}

/** "2, 0.1" or "4": a sweep setting as the report prints it. */
export function settingLabel(setting: PatternParameters): string {
  const values = Object.values(setting);
  return values.length === 1 ? String(values[0]) : `(${values.join(", ")})`;
}

/** eq. 10: dense N² = m^{2k} against k·m² Kronecker parameters; R = m^{2(k−1)}/k. */
export function parameterRatio(m: number, k: number): { n: number; dense: number; kronecker: number; ratio: number } {
  const n = m ** k;
  return { n, dense: n * n, kronecker: k * m * m, ratio: (n * n) / (k * m * m) };
}

/** Relative error of the nearest product with `factors` = "2" (coarse m ⊗ rest) or "k" (k factors of m×m). */
export function kroneckerError(a: Matrix, m: number, k: number, factors: string, seed = 1): number {
  if (factors === "2") return nearestKroneckerProduct(a, [m, m], [m ** (k - 1), m ** (k - 1)], 1).relativeError;
  return nearestKroneckerFactors(a, Array<number>(k).fill(m), { seed }).relativeError;
}

function runExp2(config: Exp2Config): Metrics {
  const { branching: m, depth: k } = config;
  const factors = readingOf(config, FACTOR_COUNT);
  const a = attentionPattern(config.pattern, m, k, config.seed);
  const rest = m ** (k - 1);
  const coarse = nearestKroneckerProduct(a, [m, m], [rest, rest], 1);
  const fine = nearestKroneckerProduct(a, [rest, rest], [m, m], 1);
  const all = nearestKroneckerFactors(a, Array<number>(k).fill(m), { seed: config.seed });
  const energy = coarse.singularValues.reduce((s, v) => s + v * v, 0);
  const sweep = PARAMETER_SWEEPS[config.pattern];
  return {
    relative_error: factors === "2" ? coarse.relativeError : all.relativeError,
    relative_error_2factor_coarse: coarse.relativeError,
    relative_error_2factor_fine: fine.relativeError,
    relative_error_kfactor: all.relativeError,
    als_iterations: all.iterations,
    leading_singular_value_share: coarse.singularValues[0] ** 2 / energy,
    kronecker_rank_99: countToEnergy(coarse.singularValues, 0.99),
    sweep_errors: sweep.settings.map((setting) => kroneckerError(attentionPattern(config.pattern, m, k, config.seed, setting), m, k, factors, config.seed)),
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

/** Mean error per swept parameter value over the records. */
function sweepCurve(pattern: AttentionPattern, records: readonly RunRecord[]): { values: string[]; means: number[] } {
  if (records.length === 0) return { values: [], means: [] };
  const settings = PARAMETER_SWEEPS[pattern].settings;
  const means = settings.map((_, i) => summarize(records.map((r) => (r.metrics.sweep_errors as number[])[i])).mean);
  return { values: settings.map(settingLabel), means };
}

/** Why a pattern's error misses, from its parameter sweep. */
function patternDiagnosis(pattern: AttentionPattern, published: number, records: readonly RunRecord[]): string {
  const { values, means } = sweepCurve(pattern, records);
  const sweep = PARAMETER_SWEEPS[pattern];
  if (values.length === 0) return "no parameter sweep recorded";
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  const range = `as the ${sweep.label} moves over ${values.join(", ")} our error runs ${fmt(lo)}…${fmt(hi)}`;
  if (published < lo || published > hi) return `the seed does not define the pattern, but no value of its free parameter we vary reaches ${published}: ${range}`;
  let nearest = 0;
  for (let i = 1; i < means.length; i++) if (Math.abs(means[i] - published) < Math.abs(means[nearest] - published)) nearest = i;
  return `pattern definition not given: ${range}, which contains the published ${published} (nearest at ${sweep.label} ${values[nearest]}: ${fmt(means[nearest])})`;
}

function tables(records: readonly RunRecord[]) {
  const ok = okRecords(records);
  const factorsOf = (r: RunRecord) => readingOf(r.config, FACTOR_COUNT);
  const atDefault = ok.filter((r) => factorsOf(r) === FACTOR_COUNT.default);
  const published = PUBLISHED.exp2_nearest_kronecker_error.rows as Record<string, number>;
  const otherValues = Object.keys(FACTOR_COUNT.values).filter((v) => v !== FACTOR_COUNT.default);
  const errors = ATTENTION_PATTERNS.filter((p) => ok.some((r) => r.config.pattern === p)).map((p) => {
    const mine = (r: RunRecord) => r.config.pattern === p;
    const own = atDefault.filter(mine);
    const others = otherValues.map((v) => ({ label: `${FACTOR_COUNT.id}=${v}`, values: metricValues(ok, "relative_error", (r) => mine(r) && factorsOf(r) === v) }));
    const values = metricValues(own, "relative_error");
    let cells;
    if (p === "exact_kronecker") {
      // Published "< 1e-6" is an upper bound: agreement means every run of ours is below it.
      const worst = Math.max(...values);
      const s = summarize(values);
      cells = [
        fmt(s.mean),
        s.n,
        "< 1e-6",
        "—",
        worst < 1e-6 ? `reproduced (bound: largest of ${s.n} runs ${fmt(worst)})` : `miss: the fit of an exact product leaves ${fmt(worst)} (ALS stopped at a local optimum)`,
      ];
    } else {
      cells = comparisonCells(values, published[p], { others, diagnosis: patternDiagnosis(p, published[p], own) });
    }
    const col = (metric: string) => fmt(summarize(metricValues(own, metric)).mean);
    const { values: sv, means } = sweepCurve(p, own);
    const curve = sv.map((v, i) => `${v}: ${fmt(means[i])}`).join(", ");
    return [
      p,
      ...cells,
      readingsCell(others),
      col("relative_error_2factor_coarse"),
      col("relative_error_2factor_fine"),
      col("relative_error_kfactor"),
      col("leading_singular_value_share"),
      `${PARAMETER_SWEEPS[p].label} → ${curve}`,
    ];
  });
  const ratioRows = (PUBLISHED.exp2_parameter_ratio.rows as number[][]).map(([k, m, , , , ratio]) => {
    const r = parameterRatio(m, k);
    return [k, m, r.n, r.dense, r.kronecker, ...comparisonCells([r.ratio], ratio, { printedDecimals: 0, diagnosis: `eq. 10 gives ${fmt(r.ratio)}` })];
  });
  for (const [m, k, claim, decimals] of [[4, 3, 85, 0], [2, 7, 9.1, 1]]) {
    const r = parameterRatio(m, k);
    const wrong = m ** (k - 1) / k;
    const table = (PUBLISHED.exp2_parameter_ratio.rows as number[][]).find((row) => row[0] === k && row[1] === m);
    const contradiction = Math.abs(r.ratio - claim) > 0.5 * 10 ** -decimals
      ? `eq. 10 gives R(${m}, ${k}) = ${m}^{${2 * (k - 1)}}/${k} = ${fmt(r.ratio)}${table ? ` and the seed's own §4.2 table prints ${table[5]} for the same (m, k)` : ""}; ` +
        `the text's ${claim} is m^{k−1}/k = ${fmt(wrong)}`
      : undefined;
    ratioRows.push([k, m, r.n, r.dense, r.kronecker, ...comparisonCells([r.ratio], claim, { printedDecimals: decimals, contradiction, diagnosis: `eq. 10 gives ${fmt(r.ratio)}` })]);
    ratioRows[ratioRows.length - 1][7] = `${claim} (§3.3 text)`;
  }
  const cfg = ok[0]?.config;
  const n = cfg ? Number(cfg.branching) ** Number(cfg.depth) : "?";
  const iterations = summarize(metricValues(ok, "als_iterations"));
  const notAbove = ok.filter((r) => (r.metrics.relative_error_kfactor as number) + 1e-12 >= Math.max(
    r.metrics.relative_error_2factor_coarse as number,
    r.metrics.relative_error_2factor_fine as number,
  )).length;
  return {
    tables: [
      { title: "Experiment 2 — nearest-Kronecker relative error (000 §4.2)", columns: [
        "pattern",
        ...COMPARISON_COLUMNS,
        "ours under the other reading",
        "2 factors: m ⊗ m^{k−1}",
        "2 factors: m^{k−1} ⊗ m",
        "k factors of m×m",
        "σ₁² share (2 factors)",
        "error vs the pattern's free parameter",
      ], rows: errors,
        caption: `N = ${n} tokens, m = ${cfg?.branching}, k = ${cfg?.depth}; comparison column under the default reading ${FACTOR_COUNT.id}=${FACTOR_COUNT.default}. ` +
          `The k-factor fit is alternating least squares (higher-order power method) from the HOSVD start and 3 random starts, ` +
          `${fmt(iterations.mean)} sweeps on average; it can never beat either 2-factor split (every k-factor product is ` +
          `also a 2-factor one), which holds in ${notAbove} of ${ok.length} runs. The last column is the error (under the ` +
          `run's reading) as the pattern's free parameter moves, the default value among them.` },
      { title: "Experiment 2 — parameter ratio R(m, k) = m^{2(k−1)}/k (eq. 10)", columns: ["k", "m", "N", "dense params", "Kronecker params", ...COMPARISON_COLUMNS], rows: ratioRows,
        caption: "Arithmetic of eq. 10 against the §4.2 table and the two ratios the §3.3 text states." },
    ],
    plots: [],
    notes: [
      "The seed names the five patterns but does not define them (000 §4.2: \"five synthetic attention patterns: multi-scale " +
        "block, local window, random noise, exact Kronecker, and causal plus hierarchical\"). Ours are defined in `attentionPattern`: " +
        "multi-scale block = softmax of 2·(shared hierarchy levels) + 0.1·N(0,1); causal = the same masked to j ≤ i; local " +
        "window of half-width m; random = softmax of N(0,1) logits; exact = Kronecker product of softmax factors. The last " +
        "column of the table shows how each error moves with that definition's free parameter; a verdict says \"pattern " +
        "definition not given\" only where that range contains the published value.",
      "exact_kronecker is the check of the method: its error is at round-off level under both readings.",
      ...failureNotes(records),
    ],
    findings: [
      `Review finding 9 (Exp 2's factor count): with eq. 14's k = ${cfg?.depth} factors, errors are ${errors.map((row) => `${row[0]} ${row[1]}`).join(", ")} ` +
        `(published ${ATTENTION_PATTERNS.map((p) => published[p]).join(", ")}); eq. 10's arithmetic reproduces the §4.2 ` +
        `table and contradicts the §3.3 text's 9.1.`,
    ],
  };
}

export const exp2: Experiment<Exp2Config> = {
  id: "exp2",
  title: "Nearest-Kronecker error of attention patterns and parameter ratios",
  seedRef: "000 §4.2, eq. 10, eq. 14",
  estimate: (mode) => (mode === "quick" ? 2 : 4),
  grid: (_mode, seeds) => ATTENTION_PATTERNS.flatMap((pattern) => seeds.map((seed) => ({ pattern, branching: 4, depth: 3, seed }))),
  readings: EXP2_READINGS,
  run: (config) => runExp2(config),
  tables,
};
