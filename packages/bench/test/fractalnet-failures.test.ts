import { describe, expect, it } from "vitest";
import { type FractalRunConfig, type FractalVariant, type RunRecord, trainSettings } from "../src/index.js";
import { chanceThreshold, failureCounts, outcomeOf } from "../src/experiments/fractalnetFailures.js";
import { fractalTables } from "../src/experiments/fractalnet.js";
import { verdictCells } from "../src/report/report.js";

const variant: FractalVariant = { N: 2, columns: 3, blocks: 2, channels: 16, kernel: 5, norm: "none", activation: "gelu", dropout: 0.2, dropPath: 0, join: "sum" };

/** A hand-made record of a fractal run on digits (360 test images) or CIFAR-10 (10,000). */
function record(options: { accuracy?: number; crashed?: boolean; mode?: "quick" | "full"; loss?: number[]; v?: Partial<FractalVariant>; hash?: string }): RunRecord {
  const mode = options.mode ?? "quick";
  const config: FractalRunConfig = { seed: 1, arm: "fractal", variant: { ...variant, ...options.v } as FractalRunConfig["variant"], train: trainSettings(mode) as FractalRunConfig["train"] };
  const loss = options.loss ?? [2.31, 2.3];
  return {
    hash: options.hash ?? Math.random().toString(16).slice(2), experiment: "fractalnet", mode, config, seed: 1,
    status: options.crashed ? "failed" : "ok",
    metrics: options.crashed ? {} : {
      finalTestAccuracy: options.accuracy ?? 0.1, finalValAccuracy: options.accuracy ?? 0.1, valAccuracy: loss.map(() => options.accuracy ?? 0.1),
      trainLoss: loss, depth: 16, params: 1000,
    },
    ...(options.crashed ? { error: "Error: non-finite training loss NaN at epoch 1, step 3" } : {}),
    wallTimeMs: 1, engine: {}, machine: { platform: "linux", arch: "x64", cpus: 2, cpuModel: "test", node: "20" }, finishedAt: "2026-01-01T00:00:00Z",
  };
}

describe("fractalnet failure rule (003: final test accuracy at chance; crashes apart)", () => {
  it("the chance threshold is 1/classes + 2 binomial SEs at the test size", () => {
    expect(chanceThreshold(10, 360)).toBeCloseTo(0.1 + 2 * Math.sqrt(0.09 / 360), 12);
    expect(chanceThreshold(10, 10000)).toBeCloseTo(0.106, 12);
  });

  it("a chance-level variant fails, a crash is counted apart, a learning variant is not failed", () => {
    const threshold = chanceThreshold(10, 360);
    expect(outcomeOf(record({ accuracy: 0.1 }))).toBe("chance");
    expect(outcomeOf(record({ accuracy: 0.08 }))).toBe("chance"); // below chance is still chance
    expect(outcomeOf(record({ accuracy: threshold }))).toBe("chance");
    expect(outcomeOf(record({ accuracy: threshold + 0.003 }))).toBe("learned"); // one more test image right
    expect(outcomeOf(record({ accuracy: 0.9 }))).toBe("learned");
    expect(outcomeOf(record({ crashed: true }))).toBe("crashed");
    const counts = failureCounts([record({ accuracy: 0.1 }), record({ crashed: true }), record({ accuracy: 0.9 }), record({ accuracy: 0.7 })]);
    expect(counts).toEqual({ variants: 4, crashed: 1, chance: 1, learned: 2, rate: 0.25, crashRate: 0.25 });
  });

  it("the report shows both rates; only the failure rate gets a verdict on digits, with a diagnosis from the records", () => {
    const records = [
      record({ accuracy: 0.1, loss: [2.31, 2.303] }), record({ crashed: true }),
      record({ accuracy: 0.9, v: { norm: "batch" } }), record({ accuracy: 0.7, v: { norm: "batch" } }),
    ];
    const section = fractalTables(records);
    const table = section.tables[0];
    const row = (prefix: string) => table.rows.find((r) => String(r[0]).startsWith(prefix))!;
    const verdict = table.columns.indexOf("verdict");
    expect(row("failure rate")[1]).toBe("1/4 = 25%");
    expect(row("crash rate")[1]).toBe("1/4 = 25%");
    expect(String(row("failure rate")[verdict])).toMatch(/^miss: 1 of 4 variants \(25%\) ended at chance/);
    // The diagnosis names the variant, its curve against ln 10, and the share per norm.
    expect(String(row("failure rate")[verdict])).toMatch(/N2 C3 B2 k5 none\/gelu\/sum .*train loss 2\.310→2\.303 vs ln 10 = 2\.303/);
    expect(String(row("failure rate")[verdict])).toMatch(/1 of the 1 at chance ended with train loss within 0\.05 of ln 10/);
    expect(String(row("failure rate")[verdict])).toMatch(/by norm: none 1\/1, batch 0\/2/);
    // With its plain twin at chance too, the diagnosis says so.
    const twin = { ...record({ accuracy: 0.1 }), config: { ...records[0].config, arm: "plain" } };
    const withTwin = fractalTables([...records, twin]).tables[0];
    expect(String(withTwin.rows.find((r) => String(r[0]).startsWith("failure rate"))![verdict])).toMatch(/Their plain twins: 1 of 1 at chance or crashed too\./);
    // CIFAR-10 accuracies are not judged against digits: one verdict in the section.
    expect(String(row("mean final test accuracy")[verdict])).toMatch(/^not judged: ours is digits/);
    expect(verdictCells("fractalnet", section).map((v) => v.kind)).toEqual(["miss"]);
  });

  it("the failure rate is judged under the default momentum, with the other sgdMomentum reading beside it", () => {
    const at = (momentum: string, r: RunRecord): RunRecord => ({ ...r, config: { ...r.config, reading: { sgdMomentum: momentum } } });
    const momentum0 = [...Array.from({ length: 20 }, (_, i) => record({ accuracy: 0.8 + i / 1000 })), ...Array.from({ length: 10 }, () => record({ accuracy: 0.1 }))].map((r) => at("0", r));
    const momentum09 = Array.from({ length: 30 }, (_, i) => at("0.9", record({ accuracy: 0.85 + i / 1000 })));
    const verdicts = verdictCells("fractalnet", fractalTables([...momentum0, ...momentum09]));
    expect(verdicts.map((v) => v.text)).toEqual(["reproduced under reading sgdMomentum=0.9"]);
    // Without the other reading the default's 10 of 30 is a miss.
    expect(verdictCells("fractalnet", fractalTables(momentum0))[0].text).toMatch(/^miss: 10 of 30 variants/);
  });

  it("no variant at chance among many is within a binomial SE of 3% (reproduced); 5 of 30 is not", () => {
    const learned = Array.from({ length: 30 }, (_, i) => record({ accuracy: 0.8 + i / 1000 }));
    const verdictOf = (records: RunRecord[]) => verdictCells("fractalnet", fractalTables(records));
    expect(verdictOf(learned).map((v) => v.text)).toEqual(["reproduced"]);
    const five = [...learned.slice(5), ...Array.from({ length: 5 }, () => record({ accuracy: 0.1 }))];
    expect(verdictOf(five)[0].text).toMatch(/^miss: 5 of 30 variants \(16\.7%\) ended at chance/);
  });

  it("on CIFAR-10 (full mode) the accuracy figures are judged too, each miss with a diagnosis", () => {
    const records = Array.from({ length: 4 }, (_, i) => record({ mode: "full", accuracy: 0.5 + i / 100, v: { norm: "batch" } }));
    const verdicts = verdictCells("fractalnet", fractalTables(records));
    expect(verdicts.map((v) => v.figure)).toEqual(["mean final test accuracy", "best final test accuracy", expect.stringMatching(/^failure rate/)]);
    expect(verdicts[0].text).toMatch(/^miss: ours 51\.5% after cifar10, 5 epochs/);
    expect(verdicts.every((v) => v.text !== "miss: undiagnosed")).toBe(true);
  });
});
