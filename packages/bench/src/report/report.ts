/**
 * `fcn-bench report`: records + published tables → a Markdown report with SVG plots.
 * For each experiment: our tables (mean ± std and 95% CI over seeds) beside the published ones,
 * the difference, whether ours is within the spread, notes with evidence, and plots.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordsToCsv } from "../framework/csv.js";
import { readRecords, writeFileAtomic } from "../framework/store.js";
import type { Cell, Experiment, RunRecord, Table } from "../framework/types.js";
import { fmt } from "./format.js";
import { renderSvg } from "./render.js";

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

/** Writes README.md, the plots and results.csv; returns the README path. */
export async function writeReport(options: ReportOptions): Promise<string> {
  mkdirSync(options.out, { recursive: true });
  const all = readRecords(options.results);
  const lines: string[] = ["# FCN benchmark results", ""];
  if (options.command) lines.push(`Produced by \`${options.command}\`.`, "");
  const modes = [...new Set(all.map((r) => r.mode))];
  const machines = [...new Set(all.map((r) => `${r.machine.cpuModel} × ${r.machine.cpus}, ${r.machine.platform}/${r.machine.arch}, Node ${r.machine.node}`))];
  const totalSeconds = all.reduce((s, r) => s + r.wallTimeMs, 0) / 1000;
  lines.push(
    `Records: ${all.length} (${all.filter((r) => r.status === "failed").length} failed), mode: ${modes.join(", ") || "—"}, summed run time ${fmt(totalSeconds)} s.`,
    `Machines: ${machines.join("; ") || "—"}.`,
    "",
    "Every number of ours is a mean over seeds with its sample standard deviation and the 95% t-interval of the mean. " +
      "\"Within spread\" means |ours − published| ≤ max(our std, the published std where the seed gives one, half a unit of the last printed digit). " +
      "Where a published figure contradicts the seed's own definitions, the note under the table gives the evidence; nothing is tuned to match.",
    "",
    "## Contents",
    "",
    ...options.experiments.map((e) => `- [${e.id}: ${e.title}](#${e.id}) (${e.seedRef})`),
    "",
  );
  for (const experiment of options.experiments) {
    const records: RunRecord[] = all.filter((r) => r.experiment === experiment.id);
    lines.push(`<a id="${experiment.id}"></a>`, "", `## ${experiment.id}: ${experiment.title} (${experiment.seedRef})`, "");
    if (records.length === 0) {
      lines.push(`No records. Run \`fcn-bench run ${experiment.id}\`.`, "");
      continue;
    }
    const seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
    lines.push(`${records.length} runs, seeds ${seeds.join(", ")}, mode ${[...new Set(records.map((r) => r.mode))].join(", ")}.`, "");
    let section;
    try {
      section = experiment.tables(records);
    } catch (error) {
      lines.push(`Report failed for this experiment: ${error instanceof Error ? error.message : String(error)}`, "");
      continue;
    }
    for (const table of section.tables) lines.push(markdownTable(table), "");
    for (const plot of section.plots) {
      if (options.plots !== false) {
        const svg = await renderSvg(plot.spec);
        writeFileAtomic(join(options.out, `${plot.name}.svg`), svg);
        lines.push(`![${plot.title}](${plot.name}.svg)`, "");
      }
    }
    if (section.notes.length) lines.push("Notes:", "", ...section.notes.map((n) => `- ${n}`), "");
  }
  lines.push(
    "## Not covered by this report",
    "",
    "- Seeds 003/004 on CIFAR-10 at full size: the `fractalnet` section above is the quick synthetic sample unless it says otherwise (`fcn-bench fractalnet run --mode full --dataset cifar10` needs the CIFAR-10 binary files and days of CPU time). Mixed precision (`--amp`) on the CPU emulates float16, so it shows the numerics (loss scale, skipped steps), not the speed or memory of half precision on a GPU.",
    "",
  );
  writeFileSync(join(options.out, "results.csv"), recordsToCsv(all));
  const readme = join(options.out, "README.md");
  writeFileAtomic(readme, `${lines.join("\n")}\n`);
  return readme;
}
