/** Every experiment module, in report order, and lookup by id with a helpful error. */
import { ArgumentError } from "@fcn/tensor";
import type { Experiment } from "../framework/types.js";
import { exp1 } from "./exp1.js";
import { exp2 } from "./exp2.js";
import { exp3 } from "./exp3.js";
import { exp4 } from "./exp4.js";
import { exp5 } from "./exp5.js";
import { exp8, exp9, exp10, exp11 } from "./nnExperiments.js";
import { frontier } from "./frontier.js";
import { exp6, exp7 } from "./attention.js";
import { scale } from "./scale.js";
import { hsn } from "./hsnDiagnosis.js";
import { fractalnet } from "./fractalnet.js";

/** All experiments, in the order of the seeds. */
export const EXPERIMENTS: readonly Experiment[] = [exp1, exp2, exp3, exp4, exp5, exp6, exp7, exp8, exp9, exp10, exp11, hsn, frontier, scale, fractalnet] as unknown as Experiment[];

/** Ids of every experiment. */
export function experimentIds(): string[] {
  return EXPERIMENTS.map((e) => e.id);
}

/**
 * The experiment with this id; throws an error listing the valid ids otherwise.
 * @example findExperiment("exp1").seedRef // "000 §4.1"
 */
export function findExperiment(id: string): Experiment {
  const found = EXPERIMENTS.find((e) => e.id === id);
  if (!found) throw new ArgumentError(`unknown experiment "${id}"; valid experiments: ${experimentIds().join(", ")} (or "all")`);
  return found;
}

/** Resolves command-line ids (`all` expands to every experiment), keeping order and dropping repeats. */
export function selectExperiments(ids: readonly string[]): Experiment[] {
  if (ids.length === 0 || ids.includes("all")) return [...EXPERIMENTS];
  return [...new Set(ids)].map(findExperiment);
}
