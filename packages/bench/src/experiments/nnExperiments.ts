/**
 * Experiments 8–11 (000 §6.1, §7.1–7.3; 002 §2) on @fcn/nn models. Quick mode: the same code path
 * with fewer epochs and the single learning rate 0.02; standard and full: 002's protocol (512
 * train / 256 validation points, 100 epochs, 200 for regression, lr grid {0.01, 0.02}) plus a
 * held-out test split of 256 points, which is what we report.
 */
import { CEN, DenseMLP, FractalCirculator, FractalLayerMLP, HSN, SparseMLP, widthMatched } from "@fcn/nn";
import { summarize } from "../framework/stats.js";
import { readingOf } from "../framework/readings.js";
import type { Mode, Reading, RunRecord } from "../framework/types.js";
import { fmt } from "../report/format.js";
import { PUBLISHED } from "./published.js";
import { type BuildContext, readingContrast, tabularExperiment } from "./tabular.js";
import { HSN_DG_DENSITY, hsnDensityOf, REGRESSION_UNITS, SWISS_ROLL_LABELS } from "./tabularReadings.js";

const BENCHMARKS = ["swissRoll", "circles", "moons", "sine"];
const PUBLISHED_NAME: Record<string, string> = { swissRoll: "swiss_roll", circles: "circles", moons: "moons", sine: "sine_mse" };
const sizes = () => ({ trainSize: 512, validationSize: 256, testSize: 256 });
const epochs = (mode: Mode, dataset: string) => (mode === "quick" ? (dataset === "sine" ? 80 : 40) : dataset === "sine" ? 200 : 100);
const learningRates = (mode: Mode) => (mode === "quick" ? [0.02] : [0.01, 0.02]);
const io = (c: BuildContext) => ({ inputs: c.inputs, outputs: c.outputs, seed: c.seed });
const hsn = (c: BuildContext, dropout = 0) => new HSN({ ...io(c), density: hsnDensityOf(c.config), dropout });
/** How much the validation split, on which the learning rate and epoch were chosen, overstates test accuracy. */
function selectionOptimism(records: readonly RunRecord[]): string {
  const gaps = records.filter((r) => r.metrics.task !== "regression").map((r) => (r.metrics.val_score as number) - (r.metrics.score as number));
  const s = summarize(gaps);
  return `Review finding 8 (splits): over ${s.n} classification runs (learning rate and epoch chosen on validation) validation ` +
    `accuracy exceeds test accuracy by ${fmt(s.mean)} on average (std ${fmt(s.std, 2)}, range ${fmt(s.min)}…${fmt(s.max)}); ` +
    `every accuracy in this report is the test one.`;
}

/** 000 §6.1 does not name Experiment 8's task. */
export const EXP8_TASK: Reading = {
  id: "exp8Task",
  values: {
    moons: "noisy moons (noise 0.2), the first 2-D binary task 000 §7.1 lists after the custom ones",
    circles: "concentric circles",
    swissRoll: "the Swiss roll, labelled by halves (the swissRollLabels default)",
  },
  default: "moons",
  basis: "000 §6.1 gives no task for Experiment 8, only \"Expansion: h = tanh(W_exp x) from 2D input to 64D hidden\" and " +
    "a scalar readout, so any 2-D binary task fits; moons was this project's choice before any comparison, kept as " +
    "the default, with the other two run beside it",
};

const HSN_LINK = "HSN's learning curves and capacity ablations: [hsn](#hsn)";

function publishedCell(table: { columns: string[]; rows: (string | number)[][] }, model: string, dataset: string): number | undefined {
  const row = table.rows.find((r) => r[0] === PUBLISHED_NAME[dataset]);
  const column = table.columns.indexOf(model);
  return row && column > 0 ? Number(row[column]) : undefined;
}

export const exp8 = tabularExperiment({
  id: "exp8", title: "Iterative circulation T ∈ {1, 3, 5, 10} vs random-sparse circulator and dense MLP", seedRef: "000 §6.1, eq. 18",
  models: {
    fractal_T1: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 1, update: "residual" }),
    fractal_T3: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 3, update: "residual" }),
    fractal_T5: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 5, update: "residual" }),
    fractal_T10: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 10, update: "residual" }),
    random_sparse_T5: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 5, update: "residual", graph: { kind: "randomSparse", mode: "learnable" } }),
    dense_mlp: (c) => new DenseMLP({ ...io(c), width: 64 }),
  },
  datasets: ["moons"], readings: [EXP8_TASK], datasetOf: (config) => readingOf(config, EXP8_TASK),
  diagnosis: () => "000 §7.1 says \"The prior experiments used custom hierarchical tasks\": Exp 8's task is one of those and is not " +
    "defined, and every standard 2-D task run here (see the other readings) is easier than the published figures imply",
  learningRates, epochs, sizes,
  published: (model) => {
    const row = (PUBLISHED.exp8_iterative_circulation.rows as (string | number)[][]).find((r) => r[0] === model);
    return row ? Number(row[2]) : undefined;
  },
  publishedParams: (model) => {
    const row = (PUBLISHED.exp8_iterative_circulation.rows as (string | number)[][]).find((r) => r[0] === model);
    return row ? Number(row[1]) : undefined;
  },
  estimate: (mode) => (mode === "quick" ? 35 : 120),
  notes: [
    "The seed does not name Experiment 8's data set: the exp8Task reading runs moons (the default), circles and the " +
      "Swiss roll; the table's rows are labelled moons and show the other tasks under \"ours under other readings\".",
    "The random-sparse circulator uses a learnable graph on a random support with the Kronecker graph's edge count " +
      "(raw count includes the whole H×H tensor, as the seed's 4,421 does). The seed's dense MLP count 4,485 cannot be " +
      "rebuilt from its text; ours is the 3-layer width-64 MLP (4,417).",
  ],
});

export const exp9 = tabularExperiment({
  id: "exp9", title: "Four synthetic benchmarks × four models", seedRef: "000 §7.1",
  models: {
    fractal_circulator: (c) => new FractalCirculator({ ...io(c), hidden: 64, steps: 5, graph: { mode: "learnable" } }),
    fractal_layer_mlp: (c) => new FractalLayerMLP({ ...io(c), hidden: 64 }),
    dense_mlp: (c) => new DenseMLP({ ...io(c), width: 64 }),
    sparse_mlp: (c) => new SparseMLP({ ...io(c), width: 64, density: 0.25 }),
  },
  datasets: BENCHMARKS, learningRates, epochs, sizes, readings: [SWISS_ROLL_LABELS, REGRESSION_UNITS],
  published: (model, dataset) => publishedCell(PUBLISHED.exp9_synthetic_benchmarks as never, model, dataset),
  publishedParams: (model, dataset) => {
    const p = PUBLISHED.exp9_synthetic_benchmarks.params as Record<string, number>;
    return p[`${model}_${dataset === "sine" ? "regression" : "classification"}`] ?? p[model];
  },
  estimate: (mode) => (mode === "quick" ? 60 : 300),
  notes: ["Protocol of 002 (512/256 points, Adam) for every model; the seed's Exp 9 gives 100–500 epochs and batch 32–64 without a per-model schedule."],
  findings: (records) => [
    `Review finding 1 (Swiss-roll labelling), test accuracy by labelling: fractal circulator ${readingContrast(records, "swissRoll", "fractal_circulator", SWISS_ROLL_LABELS)}; ` +
      `sparse MLP ${readingContrast(records, "swissRoll", "sparse_mlp", SWISS_ROLL_LABELS)} (published 0.992 and 0.988).`,
    `Review finding 2 (regression units), sine test MSE in units of y² when trained on raw vs standardized targets: ` +
      `dense ${readingContrast(records, "sine", "dense_mlp", REGRESSION_UNITS)}, layer MLP ${readingContrast(records, "sine", "fractal_layer_mlp", REGRESSION_UNITS)} ` +
      `(published 0.0122, 0.0167); in standardized units the same runs read dense ${readingContrast(records, "sine", "dense_mlp", REGRESSION_UNITS, "score_standardized")}.`,
  ],
});

const CEN_WIDTHS = [64, 128, 256, 512];

export const exp10 = tabularExperiment({
  id: "exp10", title: "Brain-inspired HSN and CEN vs dense MLP", seedRef: "000 §7.2, 002 §2",
  models: {
    dense_mlp: (c) => new DenseMLP({ ...io(c), width: 64 }),
    hsn: (c) => hsn(c),
    ...Object.fromEntries(CEN_WIDTHS.map((h) => [`cen_H${h}`, (c: BuildContext) => new CEN({ ...io(c), hidden: h })])),
  },
  datasets: BENCHMARKS, learningRates, epochs, sizes, readings: [SWISS_ROLL_LABELS, REGRESSION_UNITS, HSN_DG_DENSITY],
  diagnosis: (model) => (model === "hsn" ? HSN_LINK : undefined),
  findings: (records) => [
    `Review finding 1 (Swiss-roll labelling), test accuracy by labelling: CEN H = 512 ${readingContrast(records, "swissRoll", "cen_H512", SWISS_ROLL_LABELS)}; ` +
      `dense ${readingContrast(records, "swissRoll", "dense_mlp", SWISS_ROLL_LABELS)} (published 0.977 and 0.984).`,
    `Review finding 2 (regression units), sine test MSE in units of y²: dense ${readingContrast(records, "sine", "dense_mlp", REGRESSION_UNITS)}, ` +
      `CEN H = 64 ${readingContrast(records, "sine", "cen_H64", REGRESSION_UNITS)} (published 0.019, 0.417); the same ` +
      `runs in standardized units: dense ${readingContrast(records, "sine", "dense_mlp", REGRESSION_UNITS, "score_standardized")}, ` +
      `CEN ${readingContrast(records, "sine", "cen_H64", REGRESSION_UNITS, "score_standardized")}.`,
    selectionOptimism(records),
    `Review finding 3 (HSN), test accuracy by DG density: Swiss roll (halves) ${readingContrast(records, "swissRoll", "hsn", HSN_DG_DENSITY, "score", [SWISS_ROLL_LABELS])}, ` +
      `circles ${readingContrast(records, "circles", "hsn", HSN_DG_DENSITY)}, moons ${readingContrast(records, "moons", "hsn", HSN_DG_DENSITY)} ` +
      `(published 0.984, 0.996, 0.977).`,
  ],
  published: (model, dataset) => {
    const table = PUBLISHED.exp10_brain_inspired;
    const row = (table.rows as (string | number)[][]).find((r) => r[0] === PUBLISHED_NAME[dataset]);
    if (!row) return undefined;
    if (model === "dense_mlp") return Number(row[1]);
    if (model === "hsn") return Number(row[2]);
    return model === `cen_H${row[4]}` ? Number(row[3]) : undefined;
  },
  publishedParams: (model, dataset) => {
    const p = PUBLISHED.exp10_brain_inspired.params as Record<string, number>;
    const kind = dataset === "sine" ? "regression" : "classification";
    return p[`${model}_${kind}`] ?? (model === "cen_H512" ? p.cen_H512 : undefined);
  },
  estimate: (mode) => (mode === "quick" ? 25 : 300),
  notes: [
    "CEN is swept over H ∈ {64, 128, 256, 512}; the published CEN value is compared with our CEN at the H the seed reports as best for that benchmark.",
    "HSN's raw count (897 / 865) is the published one; its effective count leaves out the masked DG weights (see @fcn/nn's README on the seed's own arithmetic).",
  ],
});

export const exp11 = tabularExperiment({
  id: "exp11", title: "Dropout {0, 0.2, 0.5}: HSN vs dense MLP", seedRef: "000 §7.3",
  models: Object.fromEntries([0, 0.2, 0.5].flatMap((p) => [
    [`hsn_p${p}`, (c: BuildContext) => hsn(c, p)],
    [`dense_p${p}`, (c: BuildContext) => new DenseMLP({ ...io(c), width: 64, dropout: p })],
    // Eq. 13: the widest 3-layer MLP within the HSN's raw parameter count.
    [`dense_matched_p${p}`, (c: BuildContext) =>
      new DenseMLP({ ...io(c), width: widthMatched(new HSN(io(c)).rawParams, { inputs: c.inputs, outputs: c.outputs }).width, dropout: p })],
  ])),
  datasets: ["swissRoll", "circles", "moons"], learningRates, epochs, sizes, readings: [SWISS_ROLL_LABELS, HSN_DG_DENSITY],
  diagnosis: (model) => (model.startsWith("hsn") ? HSN_LINK : undefined),
  published: (model, dataset) => {
    if (!model.endsWith("_p0.2")) return undefined;
    const row = (PUBLISHED.exp11_dropout_p02.rows as (string | number)[][]).find((r) => r[0] === PUBLISHED_NAME[dataset]);
    return row ? Number(row[model.startsWith("hsn") ? 1 : 2]) : undefined;
  },
  estimate: (mode) => (mode === "quick" ? 40 : 350),
  notes: [
    "The seed says total parameters are matched exactly \"by varying the dense hidden width and the fractal circulation " +
      "depth T\" without giving the widths. We run the seed's default dense MLP (width 64, 4,417 parameters; the published " +
      "dense column is compared with it) and dense_matched: the widest 3-layer MLP within the HSN's raw count (eq. 13 " +
      "via @fcn/nn's widthMatched), which is the parameter-matched comparison.",
  ],
});
