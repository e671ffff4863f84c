import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FractalVariant, writeVariantFiles } from "../src/index.js";
import { GPU_SLICE_COMMAND, SLICE_MARKERS, SLICE_SETTINGS, runFractalSlice, sliceSection, sliceTable, writeSliceSection } from "../src/fractalnetSlice.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-fractal-slice-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const variant: FractalVariant = { N: 1, columns: 1, blocks: 2, channels: 16, kernel: 3, norm: "batch", activation: "relu", dropout: 0.2, dropPath: 0, join: "mean" };

describe("fractalnet slice", () => {
  it("trains each setting once, resumes, and writes only its own marked section", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [variant]);
    const out = tempDir();
    const options = { mode: "quick" as const, workers: 1, seed: 6, out, configs, backends: ["cpu" as const], train: { trainSize: 32, validationSize: 16, channels: 2, epochs: 1 } };
    const rows = await runFractalSlice(options);
    expect(rows.map((r) => r.setting)).toEqual(SLICE_SETTINGS.map((s) => s.name));
    expect(rows.every((r) => r.records.length === 1 && r.records[0].status === "ok")).toBe(true);
    expect(new Set(rows.map((r) => r.records[0].hash)).size).toBe(4);
    // A second slice resumes every record (same hashes, nothing re-run).
    const again = await runFractalSlice(options);
    expect(again.map((r) => r.records[0].finishedAt)).toEqual(rows.map((r) => r.records[0].finishedAt));

    const table = sliceTable(rows);
    expect(table.split("\n").filter((l) => l.startsWith("| cpu |")).length).toBe(4);
    expect(table).toMatch(/\| cpu \| --amp --checkpoint \| 1\/1 \| [\d,]+ \|/);
    const section = sliceSection(rows, "fcn-bench fractalnet slice --test", GPU_SLICE_COMMAND, { start: 1, end: 2 });
    expect(section.startsWith(SLICE_MARKERS.start) && section.endsWith(SLICE_MARKERS.end)).toBe(true);
    expect(section).toContain("--backends webgpu --mode full --dataset cifar10 --limit 50");

    const doc = join(tempDir(), "performance.md");
    const others = "# Performance\n\n<!-- nn-bench:start -->\nnn\n<!-- nn-bench:end -->\n";
    writeFileSync(doc, others);
    writeSliceSection(doc, section);
    writeSliceSection(doc, section.replace("--test", "--again"));
    const text = readFileSync(doc, "utf8");
    expect(text.startsWith(others.trimEnd())).toBe(true);
    expect(text.split(SLICE_MARKERS.start).length).toBe(2);
    expect(text).toContain("--again");
  }, 30_000);
});
