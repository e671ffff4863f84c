/**
 * Readings: where the seeds leave a choice open (a labelling, units, a scale), each value is run
 * as its own configuration. The value sits in `config.reading[id]`, so it is part of the
 * record's hash, and the report can set every published figure beside ours under each reading.
 */
import { ArgumentError } from "@fcn/tensor";
import type { Config, Experiment, Json, Mode, Reading } from "./types.js";

/** Reading id → the values to run. Ids left out run their default (quick) or every value. */
export type ReadingSelection = Readonly<Record<string, readonly string[]>>;

/**
 * The values of each of the experiment's readings that a sweep runs: quick mode runs the
 * defaults, standard and full every value; `overrides` (from `--reading id=a,b`) win.
 */
export function selectReadings(experiment: Experiment, mode: Mode, overrides: ReadingSelection = {}): Record<string, string[]> {
  const selected: Record<string, string[]> = {};
  for (const reading of experiment.readings ?? []) {
    const chosen = overrides[reading.id];
    if (chosen) {
      for (const value of chosen) {
        if (!(value in reading.values)) throw new ArgumentError(`--reading ${reading.id}: unknown value "${value}"; valid values: ${Object.keys(reading.values).join(", ")}`);
      }
      selected[reading.id] = [...new Set(chosen)];
    } else {
      selected[reading.id] = mode === "quick" ? [reading.default] : Object.keys(reading.values);
    }
  }
  return selected;
}

/**
 * Every reading id named in `overrides` must belong to one of the experiments: a typo would
 * otherwise silently run the defaults.
 */
export function checkReadingIds(experiments: readonly Experiment[], overrides: ReadingSelection): void {
  const known = new Set(experiments.flatMap((e) => (e.readings ?? []).map((r) => r.id)));
  for (const id of Object.keys(overrides)) {
    if (!known.has(id)) throw new ArgumentError(`--reading ${id}: no selected experiment has this reading; readings: ${[...known].join(", ") || "none"}`);
  }
}

/** Parses repeated `id=a,b` options into a selection. */
export function parseReadingOptions(texts: readonly string[]): ReadingSelection {
  const selection: Record<string, string[]> = {};
  for (const text of texts) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(text.trim());
    if (!match) throw new ArgumentError(`--reading must look like id=value[,value…] (e.g. swissRollLabels=halves,arms), got "${text}"`);
    const values = match[2].split(",").map((v) => v.trim()).filter(Boolean);
    selection[match[1]] = [...(selection[match[1]] ?? []), ...values];
  }
  return selection;
}

/**
 * The grid's configurations with readings applied: one configuration per combination of the
 * selected values of the readings that apply to it. A configuration to which no reading applies
 * is returned unchanged (its hash does not move).
 */
export function applyReadings(experiment: Experiment, configs: readonly Config[], selected: Record<string, readonly string[]>): Config[] {
  const readings = experiment.readings ?? [];
  if (readings.length === 0) return [...configs];
  return configs.flatMap((config) => {
    const applicable = readings.filter((r) => r.appliesTo?.(config) ?? true);
    if (applicable.length === 0) return [config];
    let combos: Record<string, string>[] = [{}];
    for (const reading of applicable) {
      const values = selected[reading.id] ?? [reading.default];
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [reading.id]: v })));
    }
    return combos.map((reading) => ({ ...config, reading: reading as Json }));
  });
}

/** The value of a reading in a configuration, or its default when the configuration has none. */
export function readingOf(config: Config, reading: Reading): string {
  const values = config.reading;
  const value = values && typeof values === "object" && !Array.isArray(values) ? values[reading.id] : undefined;
  return typeof value === "string" ? value : reading.default;
}

/** "id=value" labels of a configuration's readings, e.g. "swissRollLabels=arms"; "" when none. */
export function readingLabel(config: Config): string {
  const values = config.reading;
  if (!values || typeof values !== "object" || Array.isArray(values)) return "";
  return Object.keys(values).sort().map((k) => `${k}=${String(values[k])}`).join(", ");
}

/** Whether every reading of the configuration is at its default. */
export function atDefaults(config: Config, readings: readonly Reading[]): boolean {
  return readings.every((r) => readingOf(config, r) === r.default);
}
