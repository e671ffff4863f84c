/**
 * Experiment 3 (000 §4.3): heat diffusion h ← (1 − α)h + α·D⁻¹A·h (eq. 15) from a delta on node 0,
 * on five graph families at N = 128: entropy of the state over time (Figure 4), local (nodes 0..7)
 * vs global variance (Figure 5), equilibration times and the relaxation-timescale spectrum.
 */
import { type CsrMatrix, connectedComponents, csrMatvec, diffuse, laplacianSpectrum } from "@fcn/kron";
import { meanCurve, summarize } from "../framework/stats.js";
import type { Config, Experiment, Metrics, Mode, RunRecord } from "../framework/types.js";
import { failureNotes, fmt, fmtSummary, metricValues, okRecords } from "../report/format.js";
import { lineSpec } from "../report/specs.js";
import { type GraphFamily, FAMILY_PARAMETERS, buildGraph } from "./graphs.js";

export const DIFFUSION_FAMILIES: readonly GraphFamily[] = ["kronecker_deterministic", "erdos_renyi", "barabasi_albert", "watts_strogatz", "complete"];

export interface Exp3Config extends Config {
  readonly family: GraphFamily;
  readonly depth: number;
  readonly alpha: number;
  readonly steps: number;
}

/** Seed 000 Figure 4's equilibration claims (steps, "~"), for the report. */
const TEXT_CLAIMS: Partial<Record<GraphFamily, number>> = { complete: 10, erdos_renyi: 30, kronecker_deterministic: 80 };

/** Fractions of the stationary entropy at which "equilibrated" is read (the seed names none). */
export const ENTROPY_THRESHOLDS = [0.9, 0.95, 0.99] as const;
const thresholdMetric = (q: number) => `entropy_equilibration_step_${String(q).replace(".", "_")}`;

function firstAtOrBelow(curve: ArrayLike<number>, threshold: number): number | null {
  for (let t = 0; t < curve.length; t++) if (curve[t] <= threshold) return t;
  return null;
}

/**
 * Total-variation distance between p_t = |h_t|/Σ|h_t| and its limit, per step. Eq. 15 applies
 * Ŵ = D⁻¹A to the column h (each node averages its neighbours), so h converges to a constant on
 * node 0's component: the limit of p_t is uniform there, with entropy ln(component size).
 */
function totalVariationCurve(graph: CsrMatrix, source: number, alpha: number, steps: number): { tv: number[]; stationaryEntropy: number } {
  const n = graph.rows;
  const { labels } = connectedComponents(graph);
  const degree = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let q = graph.rowPointer[i]; q < graph.rowPointer[i + 1]; q++) degree[i] += graph.values[q];
  const inComponent = Array.from({ length: n }, (_, i) => labels[i] === labels[source]);
  const size = inComponent.filter(Boolean).length;
  const limit = inComponent.map((c) => (c ? 1 / size : 0));
  let h = new Float64Array(n);
  h[source] = 1;
  const tv: number[] = [];
  for (let t = 0; t <= steps; t++) {
    const total = h.reduce((s, v) => s + Math.abs(v), 0);
    let d = 0;
    for (let i = 0; i < n; i++) d += Math.abs(Math.abs(h[i]) / total - limit[i]);
    tv.push(d / 2);
    const walked = csrMatvec(graph, h);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = (1 - alpha) * h[i] + (degree[i] > 0 ? (alpha * walked[i]) / degree[i] : 0);
    h = next;
  }
  return { tv, stationaryEntropy: Math.log(size) };
}

function runExp3(config: Exp3Config): Metrics {
  const graph = buildGraph(config.family, config.depth, config.seed);
  const trace = diffuse(graph, { alpha: config.alpha, steps: config.steps, source: 0, localNodes: 8 });
  const { tv, stationaryEntropy } = totalVariationCurve(graph, 0, config.alpha, config.steps);
  const entropy = Array.from(trace.entropy);
  const local = Array.from(trace.localVariance);
  const global = Array.from(trace.globalVariance);
  // Relaxation timescales of the lazy walk: eigenvalues 1 − αλ of I − αL (similar to (1−α)I + αD⁻¹A).
  const lambdas = laplacianSpectrum(graph);
  const timescales = Array.from(lambdas).filter((l) => l > 1e-9).map((l) => -1 / Math.log(Math.abs(1 - config.alpha * l)));
  const distinct = new Set(timescales.map((t) => t.toPrecision(6))).size;
  const entropyTime = (q: number) => {
    const t = entropy.findIndex((h) => h >= q * stationaryEntropy);
    return t >= 0 ? t : null;
  };
  return {
    entropy, local_variance: local, global_variance: global, total_variation: tv,
    stationary_entropy: stationaryEntropy,
    entropy_equilibration_step: entropyTime(0.99),
    ...Object.fromEntries(ENTROPY_THRESHOLDS.map((q) => [thresholdMetric(q), entropyTime(q)])),
    component_size: Math.round(Math.exp(stationaryEntropy)),
    mixing_step_tv_0_01: firstAtOrBelow(tv, 0.01),
    local_variance_decay_step: firstAtOrBelow(local, 0.01 * local[0]),
    global_variance_decay_step: firstAtOrBelow(global, 0.01 * global[0]),
    slowest_timescale: timescales.length ? Math.max(...timescales) : 0,
    fastest_timescale: timescales.length ? Math.min(...timescales) : 0,
    distinct_timescales: distinct,
    zero_modes: lambdas.length - timescales.length,
  };
}

const meanStep = (ok: readonly RunRecord[], family: GraphFamily, metric = "entropy_equilibration_step") =>
  summarize(metricValues(ok, metric, (r) => r.config.family === family)).mean;

/**
 * Why Figure 4's steps get no verdict: they are prose ("~10", "~30", "~80") with no threshold for
 * "equilibrates" and no tolerance, and ours move with the threshold; the evidence is printed.
 */
function proseNote(ok: readonly RunRecord[]): string {
  const claimed = (Object.keys(TEXT_CLAIMS) as GraphFamily[]).filter((f) => ok.some((r) => r.config.family === f));
  const ours = claimed.map((f) => `${f} ~${TEXT_CLAIMS[f]} vs ours ${ENTROPY_THRESHOLDS.map((q) => `${fmt(meanStep(ok, f, thresholdMetric(q)))} (${q})`).join(", ")}`).join("; ");
  return `Figure 4's equilibration steps are prose with "~" and no definition of when a state has equilibrated, so no verdict ` +
    `rule applies (there is neither a spread nor a threshold to judge against); we give our steps at three thresholds ` +
    `of the stationary entropy ln(component size) instead: ${ours}.`;
}

/** One sentence per main result, from the records. */
function findings(ok: readonly RunRecord[]): string[] {
  const kron = meanStep(ok, "kronecker_deterministic");
  const complete = meanStep(ok, "complete");
  if (!Number.isFinite(kron) || !Number.isFinite(complete)) return [];
  return [`Diffusion from node 0 equilibrates on the §3.1 Kronecker graph in ${fmt(kron)} steps against ${fmt(complete)} ` +
    `on the complete graph (entropy at 99% of its limit), not ~${fmt(TEXT_CLAIMS.kronecker_deterministic! / TEXT_CLAIMS.complete!)}× ` +
    `slower as Figure 4's prose says (~${TEXT_CLAIMS.kronecker_deterministic} vs ~${TEXT_CLAIMS.complete}), because ` +
    `node 0 is adjacent to every node.`];
}

function tables(records: readonly RunRecord[]) {
  const ok = okRecords(records);
  const families = DIFFUSION_FAMILIES.filter((f) => ok.some((r) => r.config.family === f));
  const rows = families.map((f) => {
    const mine = (r: RunRecord) => r.config.family === f;
    const s = (m: string) => fmtSummary(summarize(metricValues(ok, m, mine)));
    const reached = ok.filter(mine).filter((r) => typeof r.metrics.mixing_step_tv_0_01 === "number").length;
    const runs = ok.filter(mine);
    const reachedAt = (metric: string) => `${s(metric)} (${runs.filter((r) => typeof r.metrics[metric] === "number").length}/${runs.length} reached)`;
    const otherThresholds = ENTROPY_THRESHOLDS.filter((q) => q !== 0.99).map((q) => `${q}: ${reachedAt(thresholdMetric(q))}`).join("; ");
    return [f, reachedAt("entropy_equilibration_step"), otherThresholds, TEXT_CLAIMS[f] ?? "—", `${s("mixing_step_tv_0_01")} (${reached}/${ok.filter(mine).length} reached)`,
      s("local_variance_decay_step"), s("global_variance_decay_step"), s("slowest_timescale"), s("distinct_timescales"), s("zero_modes")];
  });
  const curveRows = (metric: string) => families.flatMap((f) => meanCurve(ok.filter((r) => r.config.family === f).map((r) => r.metrics[metric] as number[]))
    .map((v, t) => ({ family: f, step: t, value: v })));
  const varianceRows = families.flatMap((f) => {
    const mine = ok.filter((r) => r.config.family === f);
    const local = meanCurve(mine.map((r) => r.metrics.local_variance as number[]));
    const global = meanCurve(mine.map((r) => r.metrics.global_variance as number[]));
    return [...local.map((v, t) => ({ family: f, step: t, variance: Math.max(v, 1e-12), scope: "local (nodes 0–7)" })),
      ...global.map((v, t) => ({ family: f, step: t, variance: Math.max(v, 1e-12), scope: "global (all nodes)" }))];
  });
  const alpha = ok[0]?.config.alpha;
  return {
    tables: [{
      title: "Experiment 3 — diffusion timescales (000 §4.3)",
      columns: [
        "graph",
        "entropy equilibration step (ours, 0.99)",
        "at other thresholds",
        "seed text (Fig. 4, prose)",
        "mixing step, TV ≤ 0.01",
        "local variance → 1%",
        "global variance → 1%",
        "slowest relaxation timescale",
        "distinct timescales",
        "zero modes (components)",
      ],
      rows,
      caption: `α = ${alpha}; delta on node 0. Entropy equilibration: first step with H(t) ≥ 0.99·ln(size of node 0's component) ` +
        `— eq. 15 with Ŵ = D⁻¹A applied to the column h drives h to a constant on the component; TV is measured against ` +
        `that uniform limit. Timescales τ = −1/ln|1 − αλ| over the nonzero normalized-Laplacian eigenvalues λ. The seed ` +
        `gives the Figure-4 steps only in prose (~10, ~30, ~80); published.json has no table for this experiment.`,
    }],
    plots: [
      {
        name: "exp3-entropy",
        title: "Experiment 3 — entropy of the diffusion state",
        spec: lineSpec(curveRows("entropy"), { x: "step", y: "value", series: "family", title: "Entropy of |h|/Σ|h| (mean over seeds)", yTitle: "entropy (nats)" }),
      },
      {
        name: "exp3-variance",
        title: "Experiment 3 — local vs global variance",
        spec: lineSpec(varianceRows, { x: "step", y: "variance", series: "scope", facet: "family", title: "Local vs global variance (mean over seeds, log scale)", logY: true }),
      },
    ],
    notes: [
      `Graphs: Experiment 1's under its default readings (kroneckerBinarization=powerDiagonal, baEdgesPerNode=1): ${families.map((f) => `${f}: ${FAMILY_PARAMETERS[f]}`).join("; ")}.`,
      "On the deterministic Kronecker graph node 0 is adjacent to every node (see Experiment 1), so a delta on node 0 " +
        "spreads in one step; what remains is the slow equalization between the hub and the low-degree nodes, not path " +
        "length. Random graphs at the seed's densities are disconnected (ER, often WS), so their diffusion equilibrates " +
        "only within node 0's component.",
      proseNote(ok),
      ...failureNotes(records),
    ],
    findings: findings(ok),
  };
}

/** Steps of eq. 15 per run: enough for the slowest graph here (WS) to approach its limit in standard mode. */
const steps = (mode: Mode) => (mode === "quick" ? 200 : 500);

export const exp3: Experiment<Exp3Config> = {
  id: "exp3",
  title: "Heat diffusion: entropy and local-vs-global variance",
  seedRef: "000 §4.3, eq. 15",
  estimate: (mode) => (mode === "quick" ? 1 : 3),
  grid: (mode, seeds) => DIFFUSION_FAMILIES.flatMap((family) => seeds.map((seed) => ({ family, depth: 7, alpha: 0.5, steps: steps(mode), seed }))),
  run: (config) => runExp3(config),
  tables,
};
