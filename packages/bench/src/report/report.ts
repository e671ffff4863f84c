/**
 * `fcn-bench report`: records + published tables → a Markdown report with SVG plots.
 * For each experiment: our tables (mean ± std and 95% CI over seeds) beside the published ones,
 * the difference, whether ours is within the spread, notes with evidence, and plots.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { recordsToCsv } from "../framework/csv.js";
import { checkOptionIds, type OptionAssignment, resolveOptions } from "../framework/options.js";
import { readRecords, writeFileAtomic } from "../framework/store.js";
import type { Cell, Experiment, ReportSection, RunRecord, Table } from "../framework/types.js";
import { fmt } from "./format.js";
import { renderSvg } from "./render.js";
import { undiagnosed, VERDICT_KINDS, type VerdictKind, verdictKindOf } from "./verdict.js";

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Folder of records (`fcn-bench run --out`). */
  readonly results: string;
  /** Folder the README.md and plots go to. */
  readonly out: string;
  readonly experiments: readonly Experiment[];
  /** The command that produced the records, printed at the top. */
  readonly command?: string;
  /** Skip SVG rendering (tests). */
  readonly plots?: boolean;
  /** The experiments' report options (`--option id=value`); the rest take their defaults. */
  readonly options?: readonly OptionAssignment[];
}

/** Where writeReport wrote: the README and any files the experiments' report options asked for. */
export interface ReportWritten {
  readonly readme: string;
  readonly files: readonly string[];
}

function cellText(c: Cell): string {
  if (c === null) return "—";
  return (typeof c === "number" ? fmt(c) : c).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A Markdown table. */
export function markdownTable(table: Table): string {
  const lines = [`**${table.title}**`, "", `| ${table.columns.join(" | ")} |`, `|${table.columns.map(() => " --- ").join("|")}|`];
  for (const row of table.rows) lines.push(`| ${row.map(cellText).join(" | ")} |`);
  if (table.caption) lines.push("", `_${table.caption}_`);
  return lines.join("\n");
}

/** A verdict found in a table's "verdict" column. */
export interface VerdictCell {
  readonly experiment: string;
  /** The row's label cells (before the comparison columns), " / "-joined. */
  readonly figure: string;
  readonly kind: VerdictKind;
  readonly text: string;
}

/** Every verdict of a section's tables: the cells of each table's "verdict" column. */
export function verdictCells(experiment: string, section: ReportSection): VerdictCell[] {
  const found: VerdictCell[] = [];
  for (const table of section.tables) {
    const column = table.columns.indexOf("verdict");
    if (column < 0) continue;
    const labelColumns = Math.max(1, table.columns.findIndex((c) => c.startsWith("ours")));
    for (const row of table.rows) {
      const text = row[column];
      const kind = typeof text === "string" ? verdictKindOf(text) : undefined;
      if (kind && typeof text === "string") found.push({ experiment, figure: row.slice(0, labelColumns).map((c) => (c === null ? "—" : String(c))).join(" / "), kind, text });
    }
  }
  return found;
}

/** The summary at the top of the report: counts per verdict, contradictions, undiagnosed misses. */
export function verdictSummary(verdicts: readonly VerdictCell[]): string[] {
  const lines = ["## Summary", "", `${verdicts.length} published figures judged:`, ""];
  for (const kind of VERDICT_KINDS) lines.push(`- ${kind}: ${verdicts.filter((v) => v.kind === kind).length}`);
  const contradictions = verdicts.filter((v) => v.kind === "contradicts the seed's own definitions");
  if (contradictions.length) {
    lines.push("", "Where the seeds contradict their own definitions:", "");
    for (const v of contradictions) lines.push(`- [${v.experiment}](#${v.experiment}) ${v.figure}: ${v.text.replace(/^contradicts the seed's own definitions: /, "")}`);
  }
  const readings = verdicts.filter((v) => v.kind === "reproduced under reading");
  if (readings.length) {
    lines.push("", "Reproduced only under a reading other than the default:", "");
    for (const v of readings) lines.push(`- [${v.experiment}](#${v.experiment}) ${v.figure}: ${v.text}`);
  }
  const open = verdicts.filter((v) => undiagnosed(v.text));
  lines.push("", open.length ? `Misses without a diagnosis (${open.length}): ${open.map((v) => `${v.experiment} ${v.figure}`).join("; ")}.` : "Every miss has a diagnosis.");
  return lines;
}

/** The readings of an experiment: each value, the default and the sentence it rests on. */
export function readingsNotes(experiment: Experiment, records: readonly RunRecord[]): string[] {
  return (experiment.readings ?? []).map((r) => {
    const counts = Object.keys(r.values).map((v) => {
      const n = records.filter((rec) => rec.config.reading && typeof rec.config.reading === "object" && !Array.isArray(rec.config.reading) && rec.config.reading[r.id] === v).length;
      return `\`${v}\`${v === r.default ? " (default)" : ""}: ${r.values[v]} — ${n} runs`;
    });
    return `Reading \`${r.id}\`: ${counts.join("; ")}. Default because ${r.basis}`;
  });
}

/** The number of the review finding a finding addresses ("… Review finding 4 (…): …"), if any. */
export function reviewNumber(finding: string): number | undefined {
  const match = /Review finding (\d+)/.exec(finding);
  return match ? Number(match[1]) : undefined;
}

/** The review's findings 1–9, each with the evidence of ours that confirms or refutes it. */
export function reviewSection(findings: readonly string[]): string[] {
  const numbered = findings.filter((f) => reviewNumber(f) !== undefined).sort((a, b) => reviewNumber(a)! - reviewNumber(b)!);
  if (numbered.length === 0) return [];
  return ["The review's findings, each with our evidence:", "", ...numbered.map((f) => `- ${f}`), ""];
}

/** Writes README.md, the plots and results.csv; returns the README path. */
export async function writeReport(options: ReportOptions): Promise<string> {
  return (await writeReportFiles(options)).readme;
}

/** {@link writeReport}, also returning the files besides the report that report options asked for. */
export async function writeReportFiles(options: ReportOptions): Promise<ReportWritten> {
  checkOptionIds(options.experiments, options.options ?? [], "report");
  const values = new Map(options.experiments.map((e) => [e, resolveOptions(e, "report", options.options)]));
  mkdirSync(options.out, { recursive: true });
  const all = readRecords(options.results);
  const head: string[] = ["# FCN benchmark results", ""];
  if (options.command) head.push(`Produced by \`${options.command}\`.`, "");
  const modes = [...new Set(all.map((r) => r.mode))];
  const machines = [...new Set(all.map((r) => `${r.machine.cpuModel} × ${r.machine.cpus}, ${r.machine.platform}/${r.machine.arch}, Node ${r.machine.node}`))];
  const totalSeconds = all.reduce((s, r) => s + r.wallTimeMs, 0) / 1000;
  head.push(
    `Records: ${all.length} (${all.filter((r) => r.status === "failed").length} failed), mode: ${modes.join(", ") || "—"}, summed run time ${fmt(totalSeconds)} s.`,
    `Machines: ${machines.join("; ") || "—"}.`,
    "",
    "Every number of ours is a mean over seeds with its sample standard deviation and the 95% t-interval of the mean. " +
      "Each published figure gets one verdict: *reproduced* (|ours − published| ≤ max(our std over seeds, the published " +
        "std where the seed gives one or the binomial standard error of a published accuracy where the seed gives its evaluation " +
        "size, half a unit of the last printed digit), under the default reading); " +
      "*reproduced under reading X* (the same, only under another reading of a choice the seed leaves open); *contradicts the seed's own definitions* (with the evidence); " +
      "*both at chance* (published and ours within two binomial standard errors of chance at our test-set size); or *miss*, with a diagnosis. " +
      "Where the seeds leave a choice open, each experiment names its readings, the default and the sentence it rests on; nothing is tuned to match.",
    "",
  );
  const body: string[] = [];
  const verdicts: VerdictCell[] = [];
  const findings: string[] = [];
  const notCovered: string[] = [];
  const files: string[] = [];
  for (const experiment of options.experiments) {
    const records: RunRecord[] = all.filter((r) => r.experiment === experiment.id);
    body.push(`<a id="${experiment.id}"></a>`, "", `## ${experiment.id}: ${experiment.title} (${experiment.seedRef})`, "");
    if (records.length === 0) {
      body.push(`No records. Run \`fcn-bench run ${experiment.id}\`.`, "");
      continue;
    }
    const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
    body.push(`${records.length} runs, seeds ${seeds.join(", ")}, mode ${[...new Set(records.map((r) => r.mode))].join(", ")}.`, "");
    let section: ReportSection;
    try {
      section = experiment.tables(records, values.get(experiment)!);
    } catch (error) {
      body.push(`Report failed for this experiment: ${error instanceof Error ? error.message : String(error)}`, "");
      continue;
    }
    for (const file of experiment.reportFiles?.(records, values.get(experiment)!, { command: options.command }) ?? []) {
      writeFileAtomic(file.path, file.update(existsSync(file.path) ? readFileSync(file.path, "utf8") : null));
      files.push(file.path);
    }
    verdicts.push(...verdictCells(experiment.id, section));
    notCovered.push(...(section.notCovered ?? []));
    findings.push(...(section.findings ?? []).map((f) => `[${experiment.id}](#${experiment.id}): ${f}`));
    const readings = readingsNotes(experiment, records);
    if (readings.length) body.push(...readings.map((r) => `- ${r}`), "");
    for (const table of section.tables) body.push(markdownTable(table), "");
    for (const plot of section.plots) {
      if (options.plots !== false) {
        const svg = await renderSvg(plot.spec);
        writeFileAtomic(join(options.out, `${plot.name}.svg`), svg);
        body.push(`![${plot.title}](${plot.name}.svg)`, "");
      }
    }
    if (section.notes.length) body.push("Notes:", "", ...section.notes.map((n) => `- ${n}`), "");
  }
  const lines = [...head, ...verdictSummary(verdicts), "", ...reviewSection(findings)];
  const others = findings.filter((f) => reviewNumber(f) === undefined);
  if (others.length) lines.push("Main findings:", "", ...others.map((f) => `- ${f}`), "");
  lines.push("## Contents", "", ...options.experiments.map((e) => `- [${e.id}: ${e.title}](#${e.id}) (${e.seedRef})`), "", ...body);
  if (notCovered.length) lines.push("## Not covered by this report", "", ...notCovered.map((n) => `- ${n}`), "");
  writeFileAtomic(join(options.out, "results.csv"), recordsToCsv(all));
  const readme = join(options.out, "README.md");
  writeFileAtomic(readme, `${lines.join("\n")}\n`);
  return { readme, files };
}
