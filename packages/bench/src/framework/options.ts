/**
 * Experiment options: what an experiment lets `fcn-bench run` and `fcn-bench report` choose beyond
 * the mode, the seeds and the readings (a subset of the grid, training settings, an extra table).
 * Each option is declared once with its type, default and description; the command line gives
 * `--option id=value` (or `experiment.id=value`), parsed like `--reading`, validated here with a
 * typed error naming the option and the value, and listed by `--help`.
 *
 * An option that changes what a run computes (`changesResults`) must end up in every config the
 * grid makes from it, so in the record's hash, as readings do; the grid places it (FractalNet's
 * `amp` in its training settings), and a test holds every experiment to that.
 */
import { resolve } from "node:path";
import { ArgumentError } from "@fcn/tensor";
import { callerDirectory } from "./paths.js";

interface OptionBase<I extends string> {
  /** Key on the command line (`--option id=value`) and in the values the experiment receives. */
  readonly id: I;
  readonly description: string;
  /** Whether the value changes what a run computes (then the grid records it in each config); false: it only picks configs or outputs. */
  readonly changesResults: boolean;
}

/** The option types and what their values are. */
export type ExperimentOption<I extends string = string> = OptionBase<I> & (
  | { readonly type: "boolean"; readonly default: boolean }
  | { readonly type: "integer"; readonly default?: number; readonly min?: number; readonly max?: number }
  /** A file or folder, resolved against the caller's folder. */
  | { readonly type: "path"; readonly default?: string }
  | { readonly type: "choice"; readonly values: readonly string[]; readonly default?: string }
  /** A comma-separated subset of `values`. */
  | { readonly type: "choices"; readonly values: readonly string[]; readonly default?: readonly string[] }
);

/** The value type of an option type. */
type ValueOfType<O> = O extends { type: "boolean" } ? boolean : O extends { type: "integer" } ? number : O extends { type: "choices" } ? readonly string[] : string;

/** The values an experiment receives for its declared options (undefined where an option without a default was not given). */
export type OptionValues<O extends readonly ExperimentOption[] = readonly ExperimentOption[]> = {
  readonly [K in O[number] as K["id"]]: K extends { default: unknown } ? ValueOfType<K> : ValueOfType<K> | undefined;
};

/** Keeps the literal ids and types of a declaration list (so {@link OptionValues} is typed). */
export function defineOptions<const O extends readonly ExperimentOption[]>(options: O): O {
  const seen = new Set<string>();
  for (const option of options) {
    if (seen.has(option.id)) throw new ArgumentError(`option "${option.id}" is declared twice`);
    seen.add(option.id);
  }
  return options;
}

/** A bad `--option`: names the option, the experiment, the value and what was expected. */
export class OptionError extends ArgumentError {
  constructor(readonly option: string, readonly experiment: string | undefined, readonly value: string | undefined, expected: string) {
    super(`--option ${option}${experiment ? ` (${experiment})` : ""}: ${expected}${value === undefined ? "" : `, got "${value}"`}`);
  }
}

/** One `--option` as typed: an optional experiment id, the option id and the raw value. */
export interface OptionAssignment {
  readonly experiment?: string;
  readonly id: string;
  readonly value: string;
}

/**
 * Parses repeated `--option` texts: `id=value`, `experiment.id=value`, or a bare `id` (true, for
 * a boolean option). Values keep their commas (list options split them).
 */
export function parseOptionAssignments(texts: readonly string[]): OptionAssignment[] {
  return texts.map((text) => {
    const match = /^(?:([A-Za-z][\w-]*)\.)?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(text.trim());
    if (!match) throw new ArgumentError(`--option must look like id=value or experiment.id=value (e.g. limit=20 or fractalnet.amp=true), got "${text}"`);
    return { ...(match[1] ? { experiment: match[1] } : {}), id: match[2], value: match[3] ?? "true" };
  });
}

/** The options an experiment declares for a command. */
export interface OptionHolder {
  readonly id: string;
  readonly runOptions?: readonly ExperimentOption[];
  readonly reportOptions?: readonly ExperimentOption[];
}

/** Which command's options: `run` (the grid) or `report` (the tables). */
export type OptionCommand = "run" | "report";

function declared(experiment: OptionHolder, command: OptionCommand): readonly ExperimentOption[] {
  return (command === "run" ? experiment.runOptions : experiment.reportOptions) ?? [];
}

/**
 * Every assignment must name an option one of the selected experiments declares for this
 * command (a typo would otherwise silently run the defaults), and a qualified one a selected experiment.
 */
export function checkOptionIds(experiments: readonly OptionHolder[], assignments: readonly OptionAssignment[], command: OptionCommand): void {
  for (const a of assignments) {
    const targets = a.experiment === undefined ? experiments : experiments.filter((e) => e.id === a.experiment);
    if (a.experiment !== undefined && targets.length === 0) {
      throw new OptionError(`${a.experiment}.${a.id}`, undefined, undefined, `"${a.experiment}" is not among the selected experiments (${experiments.map((e) => e.id).join(", ")})`);
    }
    if (!targets.some((e) => declared(e, command).some((o) => o.id === a.id))) {
      const known = targets.flatMap((e) => declared(e, command).map((o) => `${e.id}.${o.id}`));
      throw new OptionError(a.id, a.experiment, undefined, `no selected experiment has this ${command} option; ${command} options: ${known.join(", ") || "none"}`);
    }
  }
}

/** Parses one raw value to the option's type, or throws an OptionError naming it. */
export function parseOptionValue(option: ExperimentOption, raw: string, experiment?: string): OptionValues[string] {
  const fail = (expected: string): never => {
    throw new OptionError(option.id, experiment, raw, expected);
  };
  switch (option.type) {
    case "boolean":
      if (raw === "true" || raw === "false") return raw === "true";
      return fail("expected true or false");
    case "integer": {
      const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
      const range = `${option.min === undefined ? "" : ` ≥ ${option.min}`}${option.max === undefined ? "" : ` ≤ ${option.max}`}`;
      if (!Number.isSafeInteger(n) || (option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max)) return fail(`expected an integer${range}`);
      return n;
    }
    case "path":
      if (raw.trim() === "") return fail("expected a path");
      return resolve(callerDirectory(), raw);
    case "choice":
      if (!option.values.includes(raw)) return fail(`expected one of ${option.values.join(", ")}`);
      return raw;
    case "choices": {
      const items = raw.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = items.find((s) => !option.values.includes(s));
      if (items.length === 0 || unknown !== undefined) return fail(`expected a comma-separated list of ${option.values.join(", ")}${unknown === undefined ? "" : ` ("${unknown}" is not one)`}`);
      return [...new Set(items)];
    }
  }
}

/** An experiment's option values for a command: each declared option at its given value or its default (a repeated option: the last wins). */
export function resolveOptions(experiment: OptionHolder, command: OptionCommand, assignments: readonly OptionAssignment[] = []): OptionValues {
  const values: Record<string, OptionValues[string]> = {};
  for (const option of declared(experiment, command)) {
    const given = assignments.filter((a) => a.id === option.id && (a.experiment === undefined || a.experiment === experiment.id)).at(-1);
    values[option.id] = given === undefined ? option.default : parseOptionValue(option, given.value, experiment.id);
  }
  return values;
}

function describeType(option: ExperimentOption): string {
  switch (option.type) {
    case "boolean": return "true|false";
    case "integer": return `integer${option.min === undefined ? "" : ` ≥ ${option.min}`}${option.max === undefined ? "" : ` ≤ ${option.max}`}`;
    case "path": return "path";
    case "choice": return option.values.join("|");
    case "choices": return "a,b,…";
  }
}

/** The help text of the experiments' options for a command: one line per option under its experiment. */
export function optionsHelp(experiments: readonly OptionHolder[], command: OptionCommand): string {
  const lines: string[] = [];
  for (const experiment of experiments) {
    const options = declared(experiment, command);
    if (options.length === 0) continue;
    lines.push(`  ${experiment.id}:`);
    for (const o of options) {
      const values = o.type === "choices" ? `; values: ${o.values.join(", ")}` : "";
      const fallback = o.default === undefined ? "" : `; default ${Array.isArray(o.default) ? o.default.join(",") : String(o.default)}`;
      lines.push(`    ${o.id}=<${describeType(o)}>`, `        ${o.description}${values}${fallback}${o.changesResults ? " (part of each run's config)" : ""}`);
    }
  }
  return lines.length ? `\nExperiment options (--option id=value, or experiment.id=value):\n${lines.join("\n")}\n` : "";
}
