/**
 * The seeds' published figures beside ours: bench's transcription (packages/bench/src/reference/
 * published.json, imported as data; bench's code is Node-only) and, per experiment, which record
 * metric and which row and column a published number stands for.
 */
import published from "../../../bench/src/reference/published.json";

type Table = { columns: string[]; rows: (string | number)[][] };
const table = (name: string): Table => (published as unknown as Record<string, Table>)[name];

const BENCHMARK: Record<string, string> = { swissRoll: "swiss_roll", circles: "circles", moons: "moons", sine: "sine_mse" };
const ATTENTION: Record<string, string> = { fractal: "fractal_attention", dense: "dense_attention", sparseRandom: "sparse_random", localWindow: "local_window" };
const EXP1_METRIC: Record<string, string> = { density: "density", diameter_largest_component: "diameter", spectral_gap: "spectral_gap" };

function cell(t: Table, rowKey: string | number, column: string): number | undefined {
  const row = t.rows.find((r) => r[0] === rowKey);
  const c = t.columns.indexOf(column);
  const v = row && c >= 0 ? row[c] : undefined;
  return typeof v === "number" ? v : undefined;
}

/** The published value for a family in a group's config under a metric, if the seeds give one. */
export function publishedValue(experiment: string, family: string, config: Record<string, unknown>, metric: string): number | undefined {
  const dataset = BENCHMARK[String(config.dataset)];
  switch (experiment) {
    case "exp1":
      return EXP1_METRIC[metric] ? cell(table("exp1_spectral_fingerprints"), family, EXP1_METRIC[metric]) : undefined;
    case "exp6":
      return metric === "test_accuracy" ? cell(table("exp6_fractal_attention"), ATTENTION[family] ?? family, "test_accuracy") : undefined;
    case "exp7": {
      if (metric !== "test_accuracy") return undefined;
      const n = Number(config.branching) ** Number(config.depth);
      return cell(table("exp7_scaling"), n, family === "fractal" ? "fractal_acc" : family === "dense" ? "dense_acc" : "");
    }
    case "exp8":
      return metric === "score" ? cell(table("exp8_iterative_circulation"), family, "test_accuracy") : undefined;
    case "exp9":
      return metric === "score" && dataset ? cell(table("exp9_synthetic_benchmarks"), dataset, family) : undefined;
    case "exp10": {
      if (metric !== "score" || !dataset) return undefined;
      const t = table("exp10_brain_inspired");
      if (family.startsWith("cen_H")) return cell(t, dataset, "cen_best_H") === Number(family.slice(5)) ? cell(t, dataset, "cen_best") : undefined;
      return cell(t, dataset, family);
    }
    case "exp11": {
      if (metric !== "score" || !dataset || !family.endsWith("_p0.2")) return undefined;
      const column = family.startsWith("hsn") ? "hsn" : family.startsWith("dense_matched") ? "dense" : "";
      return cell(table("exp11_dropout_p02"), dataset, column);
    }
    default:
      return undefined;
  }
}

/** The metric a published table speaks of, to select first. */
export const DEFAULT_METRIC: Record<string, string> = {
  exp1: "spectral_gap", exp6: "test_accuracy", exp7: "test_accuracy", exp8: "score", exp9: "score", exp10: "score", exp11: "score",
};

export const PUBLISHED_SOURCE: string = (published as { about: string }).about;
