// The benchmark harness (bench/harness.ts) on fake measurements: statistics, the timing loop
// with a fake clock, ratios and targets, and the JSON / Markdown writers. No timing here.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BenchReport,
  type CaseResult,
  type CaseSpec,
  type EngineResult,
  MARKER_END,
  MARKER_START,
  computeRatios,
  evaluateTargets,
  fmtRatio,
  measure,
  median,
  quantile,
  relativeSpread,
  renderMarkdown,
  replaceBetweenMarkers,
  summarize,
  toEngineResult,
  writeJsonReport,
  writeMarkdownReport,
} from "../bench/harness";

/** Every table row has as many cells (split on unescaped |) as its header. */
function expectRectangularTables(md: string): void {
  for (const table of md.split("\n\n").filter((b) => b.startsWith("|"))) {
    const lines = table.split("\n");
    const width = lines[0].split(/(?<!\\)\|/).length;
    for (const l of lines) expect(l.split(/(?<!\\)\|/).length, l).toBe(width);
  }
}

describe("statistics", () => {
  it("median and quantiles", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(quantile([1, 2, 3, 4, 5], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4, 5], 1)).toBe(5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([0, 10], 0.3)).toBeCloseTo(3);
    expect(() => median([])).toThrow(RangeError);
    expect(() => quantile([1], 2)).toThrow(RangeError);
  });

  it("relative spread is the interquartile range over the median", () => {
    expect(relativeSpread([5, 5, 5, 5])).toBe(0);
    expect(relativeSpread([1, 2, 3, 4, 5])).toBeCloseTo((4 - 2) / 3);
  });

  it("summarize reports the median, not the mean, of the repetitions", () => {
    const t = summarize([0.001, 0.002, 0.1], 10);
    expect(t.secondsPerOp).toBe(0.002);
    expect(t.opsPerSec).toBe(500);
    expect(t.minSecondsPerOp).toBe(0.001);
    expect(t.reps).toBe(3);
    expect(t.totalSeconds).toBeCloseTo(1.03);
  });
});

describe("measure (fake clock)", () => {
  /** A clock that advances `cost` seconds per call of the returned function. */
  function fake(cost: number) {
    let now = 0;
    let calls = 0;
    return { clock: () => now, fn: () => { now += cost; calls++; }, calls: () => calls };
  }

  it("warms up, sizes repetitions, and stops after minSeconds and minReps", () => {
    const f = fake(0.001);
    const t = measure(f.fn, { warmupSeconds: 0.01, minSeconds: 0.5, minReps: 5, maxSeconds: 4 }, f.clock);
    expect(t.secondsPerOp).toBeCloseTo(0.001);
    expect(t.callsPerRep).toBe(100); // 0.5 s / 5 reps / 1 ms
    expect(t.reps).toBe(5);
    expect(t.totalSeconds).toBeGreaterThanOrEqual(0.5 - 1e-9);
    expect(f.calls()).toBe(10 + 500);
  });

  it("slow calls stop at maxSeconds after three repetitions", () => {
    const f = fake(2);
    const t = measure(f.fn, { warmupSeconds: 0.2, minSeconds: 0.5, minReps: 7, maxSeconds: 4 }, f.clock);
    expect(t.callsPerRep).toBe(1);
    expect(t.reps).toBe(3);
    expect(t.secondsPerOp).toBe(2);
    const g = fake(10);
    const once = measure(g.fn, { warmupSeconds: 0.2, minSeconds: 0.5, minReps: 7, maxSeconds: 4 }, g.clock);
    expect(once.reps).toBe(1);
    expect(g.calls()).toBe(2); // one warm-up call, one timed
  });
});

const matmulSpec = (variant: "AB" | "AtB" | "ABt", n: number): CaseSpec => ({
  id: `matmul-f32-${variant}-${n}`,
  group: "matmul",
  label: `matmul f32 ${variant} ${n}`,
  flops: 2 * n ** 3,
  params: { kind: "matmul", dtype: "float32", n, transposeA: variant === "AtB", transposeB: variant === "ABt" },
});

function result(spec: CaseSpec, secondsPerOp: number): EngineResult {
  return toEngineResult(spec, summarize([secondsPerOp, secondsPerOp], 1));
}

function fakeCase(spec: CaseSpec, seconds: Partial<Record<"ours" | "tfjs-cpu" | "tfjs-wasm" | "torch", number | string>>): CaseResult {
  const results: CaseResult["results"] = {};
  for (const [k, v] of Object.entries(seconds)) results[k as keyof typeof results] = typeof v === "string" ? v : result(spec, v);
  return { ...spec, results, ratios: computeRatios(results) };
}

function fakeReport(): BenchReport {
  const n = 512;
  const flops = 2 * n ** 3;
  const ab = fakeCase(matmulSpec("AB", n), { ours: flops / 60e9, "tfjs-cpu": flops / 1e9, "tfjs-wasm": flops / 30e9, torch: flops / 60e9 });
  const atb = fakeCase(matmulSpec("AtB", n), { ours: (flops / 60e9) * 1.5, "tfjs-cpu": flops / 1e9, "tfjs-wasm": flops / 2e9, torch: "failed: x" });
  const f64: CaseSpec = { ...matmulSpec("AB", 256), id: "matmul-f64-AB-256", label: "matmul f64 AB 256", params: { kind: "matmul", dtype: "float64", n: 256, transposeA: false, transposeB: false } };
  const add: CaseSpec = { id: "add-1M", group: "elementwise", label: "add", elements: 2 ** 20, params: { kind: "elementwise", op: "add", rows: 1024, cols: 1024 } };
  const softmax: CaseSpec = { id: "softmax-1024x1024", group: "softmax", label: "softmax", elements: 2 ** 20, params: { kind: "elementwise", op: "softmax", rows: 1024, cols: 1024 } };
  const mlp: CaseSpec = { id: "mlp-adam-step", group: "training", label: "MLP step", opUnit: "steps/s", params: { kind: "mlp", batch: 64, layers: [2, 64, 64, 1], learningRate: 1e-3 } };
  const cases = [
    ab,
    atb,
    fakeCase(f64, { ours: 0.01, "tfjs-cpu": "tfjs has no float64", "tfjs-wasm": "tfjs has no float64" }),
    fakeCase(add, { ours: 0.002, "tfjs-cpu": 0.01, "tfjs-wasm": 0.001 }),
    fakeCase(softmax, { ours: 0.01, "tfjs-wasm": 0.01 }),
    fakeCase(mlp, { ours: 1 / 4000, "tfjs-cpu": 1 / 100, "tfjs-wasm": 1 / 700, torch: 1 / 900 }),
  ];
  return {
    schema: 1,
    generatedAt: "2026-01-02T03:04:05.000Z",
    command: "pnpm bench",
    quick: false,
    machine: { cpu: "Fake CPU", cores: 2, availableParallelism: 2, memoryGiB: 8, platform: "linux", arch: "x64", node: "v20.0.0", v8: "11", loadAverageStart: [0.1, 0.2, 0.3] },
    method: { warmupSeconds: 0.2, minSeconds: 0.5, minReps: 7, maxSeconds: 4, statistic: "median" },
    engines: {
      ours: { available: true, version: "0.0.0", commit: "abc1234" },
      "tfjs-cpu": { available: true, version: "4.22.0", threads: 1 },
      "tfjs-wasm": { available: true, version: "4.22.0", threads: 1 },
      torch: { available: true, version: "1.13.0", threads: 2 },
    },
    checks: {},
    cases,
    targets: evaluateTargets(cases),
    notes: ["a note"],
  };
}

describe("ratios and targets", () => {
  it("ratios are ours/peer in speed, null where a side is missing", () => {
    const r = fakeReport();
    expect(r.cases[0].ratios["tfjs-wasm"]).toBeCloseTo(2);
    expect(r.cases[0].ratios["tfjs-cpu"]).toBeCloseTo(60);
    expect(r.cases[0].ratios.torch).toBeCloseTo(1);
    expect(r.cases[1].ratios.torch).toBeNull();
    expect(r.cases[2].ratios["tfjs-cpu"]).toBeNull();
    expect((r.cases[0].results.ours as EngineResult).gflops).toBeCloseTo(60);
    expect((r.cases[3].results.ours as EngineResult).melemsPerSec).toBeCloseTo(2 ** 20 / 0.002 / 1e6);
  });

  it("evaluates the issue's targets", () => {
    const byId = new Map(fakeReport().targets.map((t) => [t.id, t]));
    expect(byId.get("matmul-f32-AB-512:tfjs-wasm")?.status).toBe("PASS"); // 2× ≥ 1.5×
    expect(byId.get("matmul-f32-AB-512:tfjs-cpu")?.status).toBe("PASS"); // 60× ≥ 30×
    expect(byId.get("matmul-f32-AtB-512:tfjs-wasm")?.status).toBe("PASS"); // 40 vs 2 GFLOP/s
    expect(byId.get("matmul-f32-AtB-512:tfjs-cpu")?.status).toBe("PASS"); // 40 vs 1 GFLOP/s
    const vsAB = byId.get("matmul-f32-AtB-512:vsAB");
    expect(vsAB?.measured).toBeCloseTo(1.5);
    expect(vsAB?.status).toBe("MISS");
    expect(byId.get("add-1M:tfjs-wasm")?.status).toBe("MISS"); // 0.5×
    expect(byId.get("mlp-adam-step:tfjs-wasm")?.status).toBe("PASS"); // 4000/700 ≈ 5.7×
    expect(byId.has("matmul-f64-AB-256:tfjs-wasm")).toBe(false); // no f64 target
    expect(byId.has("softmax-1024x1024:tfjs-wasm")).toBe(false); // reference only
  });

  it("a missing measurement gives N/A", () => {
    const spec = matmulSpec("AB", 128);
    const [t] = evaluateTargets([fakeCase(spec, { ours: 1, "tfjs-wasm": "failed" })]);
    expect(t.status).toBe("N/A");
    expect(t.measured).toBeNull();
  });
});

describe("writers", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("renders a Markdown table with every case, every peer, ratios and PASS/MISS", () => {
    const md = renderMarkdown(fakeReport());
    const rows = md.split("\n").filter((l) => l.startsWith("| matmul f32 AB 512 |"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("| 60.0 | 1.00 | 30.0 | 60.0 |");
    expect(rows[0]).toContain("60×");
    expect(rows[0]).toContain("PASS");
    expect(md).toContain("| matmul f64 AB 256 | GFLOP/s |");
    expect(md).toContain("| MLP step | steps/s | 4,000 |");
    expect(md).toMatch(/\| matmul f32 AtB 512: time within 1\.2× of AB \(issue 3\) \| time\(AᵀB\)\/time\(AB\) \| 1\.50× \| <= 1\.2× \| MISS \|/);
    expect(md).toContain("Targets: 7 of 10 met (2 not measurable in this run)");
    expect(md).toContain("Fake CPU, 2 cores");
    expect(md).toContain("PyTorch 1.13.0, 2 threads");
    expect(md).toContain("- a note");
    // Every table row has as many cells as its header.
    expectRectangularTables(md);
  });

  it("escapes a | inside a cell (a bound written Σ|x|), so the table keeps its columns", () => {
    const report = fakeReport();
    const add = report.cases.find((c) => c.id === "add-1M")!;
    add.label = "add, fast mode (≤ 1.2e-6·Σ|x|)";
    const md = renderMarkdown(report);
    expect(md).toContain("| add, fast mode (≤ 1.2e-6·Σ\\|x\\|) |");
    expectRectangularTables(md);
  });

  it("formats ratios", () => {
    expect(fmtRatio(null)).toBe("—");
    expect(fmtRatio(123.4)).toBe("123×");
    expect(fmtRatio(1.234)).toBe("1.23×");
    expect(fmtRatio(0.1234)).toBe("0.12×");
  });

  it("replaces only what lies between the markers", () => {
    const doc = `# Title\n\nintro\n\n${MARKER_START}\nold table\n${MARKER_END}\n\nafter\n`;
    const out = replaceBetweenMarkers(doc, "new table");
    expect(out).toBe(`# Title\n\nintro\n\n${MARKER_START}\nnew table\n${MARKER_END}\n\nafter\n`);
    expect(replaceBetweenMarkers(out, "new table")).toBe(out);
    expect(replaceBetweenMarkers("# Doc\n", "t")).toBe(`# Doc\n\n${MARKER_START}\nt\n${MARKER_END}\n`);
    expect(replaceBetweenMarkers("# Doc\n\nother section\n", "t", "## Tensor\n\nintro\n")).toBe(
      `# Doc\n\nother section\n\n## Tensor\n\nintro\n\n${MARKER_START}\nt\n${MARKER_END}\n`,
    );
    expect(() => replaceBetweenMarkers(`${MARKER_END}\n${MARKER_START}`, "t")).toThrow(/order/);
    expect(() => replaceBetweenMarkers(`${MARKER_START}\n`, "t")).toThrow(/missing/);
    expect(() => replaceBetweenMarkers(`${MARKER_START}${MARKER_END}${MARKER_START}${MARKER_END}`, "t")).toThrow(/more than once/);
  });

  it("writes the JSON report atomically and the Markdown doc in place", () => {
    dir = mkdtempSync(path.join(tmpdir(), "fcn-bench-"));
    const report = fakeReport();
    const json = path.join(dir, "benchmarks", "tensor.json");
    writeJsonReport(json, report);
    writeJsonReport(json, report); // overwriting works too
    const parsed = JSON.parse(readFileSync(json, "utf8")) as BenchReport;
    expect(parsed.schema).toBe(1);
    expect(parsed.cases).toHaveLength(report.cases.length);
    expect(parsed.cases[0].ratios["tfjs-wasm"]).toBeCloseTo(2, 5);
    expect(parsed.targets.map((t) => t.status)).toEqual(report.targets.map((t) => t.status));
    expect(readdirSync(path.dirname(json))).toEqual(["tensor.json"]); // no temporary file left

    const doc = path.join(dir, "performance.md");
    writeMarkdownReport(doc, report, { header: "# Performance\n\nIntro.\n", section: "## Tensor\n\nWhat is measured.\n" });
    const first = readFileSync(doc, "utf8");
    expect(first.startsWith("# Performance\n\nIntro.\n\n## Tensor\n\nWhat is measured.\n\n<!-- tensor-bench:start -->\n")).toBe(true);
    expect(first.trimEnd().endsWith(MARKER_END)).toBe(true);
    // Hand-written text around the markers survives a rewrite.
    writeFileSync(doc, first.replace("Intro.", "Edited intro.") + "\nFooter.\n");
    writeMarkdownReport(doc, { ...report, notes: ["another note"] }, { header: "unused", section: "unused" });
    const second = readFileSync(doc, "utf8");
    expect(second).toContain("Edited intro.");
    expect(second).toContain("Footer.");
    expect(second).toContain("- another note");
    expect(second).not.toContain("- a note");
    expect(second.split(MARKER_START)).toHaveLength(2);
    expect(second).not.toContain("unused");
    // A doc written by another package's benchmark gets the section appended, its text kept.
    const shared = path.join(dir, "shared.md");
    writeFileSync(shared, "# Performance\n\n<!-- other:start -->\nother table\n<!-- other:end -->\n");
    writeMarkdownReport(shared, report, { header: "unused", section: "## Tensor\n" });
    const third = readFileSync(shared, "utf8");
    expect(third.startsWith("# Performance\n\n<!-- other:start -->\nother table\n<!-- other:end -->\n\n## Tensor\n\n<!-- tensor-bench:start -->")).toBe(true);
  });
});
