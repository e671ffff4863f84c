import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type FractalVariant, GPU_SLICE_COMMAND, SLICE_MARKERS, SLICE_SETTINGS, markdownTable, readRecords, runSweep, sliceRows, sliceSection, sliceTable, withSliceSection,
  writeReportFiles, writeVariantFiles,
} from "../src/index.js";
import { tinyFractal } from "./fixtures/tinyFractal.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-fractal-slice-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const variant: FractalVariant = { N: 1, columns: 1, blocks: 2, channels: 16, kernel: 3, norm: "batch", activation: "relu", dropout: 0.2, dropPath: 0, join: "mean" };

describe("fractalnet slice", () => {
  it("--option slice=true trains each setting once and resumes; report --option slice=true tables it and writes only its own marked section", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [variant]);
    const out = tempDir();
    const experiment = tinyFractal({ trainSize: 32, validationSize: 16, channels: 2, epochs: 1 });
    const options = { mode: "quick" as const, workers: 1, seeds: [6], out, resume: true, options: [{ id: "configs", value: configs }, { id: "slice", value: "true" }] };
    const first = await runSweep([experiment], options);
    expect(first.records.map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(new Set(first.records.map((r) => r.hash)).size).toBe(4);
    // A second slice resumes every record (nothing re-run).
    const again = await runSweep([experiment], options);
    expect(again.records.length).toBe(0);
    expect(again.skipped).toBe(4);

    const rows = sliceRows(readRecords(out));
    expect(rows.map((r) => r.setting)).toEqual(SLICE_SETTINGS.map((s) => s.name));
    expect(rows.every((r) => r.backend === "cpu" && r.records.length === 1 && r.records[0].status === "ok")).toBe(true);
    const table = markdownTable(sliceTable(rows));
    expect(table.split("\n").filter((l) => l.startsWith("| cpu |")).length).toBe(4);
    expect(table).toMatch(/\| cpu \| --amp --checkpoint \| 1\/1 \| [\d,]+ \|/);
    const section = sliceSection(rows, "fcn-bench report fractalnet --test");
    expect(section.startsWith(SLICE_MARKERS.start) && section.endsWith(SLICE_MARKERS.end)).toBe(true);
    expect(section).toContain("--backend webgpu --mode full --reading sgdMomentum=0 --option dataset=cifar10 --option limit=50");
    expect(section).toContain(GPU_SLICE_COMMAND);

    // The generic report: the table only when asked for, the section into the named file only.
    const doc = join(tempDir(), "performance.md");
    const others = "# Performance\n\n<!-- nn-bench:start -->\nnn\n<!-- nn-bench:end -->\n";
    writeFileSync(doc, others);
    const plain = await writeReportFiles({ results: out, out: tempDir(), experiments: [experiment], plots: false });
    expect(plain.files).toEqual([]);
    expect(readFileSync(plain.readme, "utf8")).not.toContain("FractalNet slice");
    for (const command of ["--test", "--again"]) {
      const written = await writeReportFiles({
        results: out, out: tempDir(), experiments: [experiment], plots: false, command, options: [{ id: "slice", value: "true" }, { id: "performanceDoc", value: doc }],
      });
      expect(written.files).toEqual([doc]);
      expect(readFileSync(written.readme, "utf8")).toContain("**FractalNet slice: training throughput and peak tensor memory per backend and setting**");
    }
    const text = readFileSync(doc, "utf8");
    expect(text.startsWith(others.trimEnd())).toBe(true);
    expect(text.split(SLICE_MARKERS.start).length).toBe(2);
    expect(text).toContain("Measured by `--again`");
    expect(withSliceSection(null, section)).toBe(`# Performance\n\n${section}\n`);
  }, 60_000);
});
