import { describe, expect, it } from "vitest";
import { digitsImages } from "@fcn/data";
import { buildProgram, modelConfig } from "../src/index.js";
import { MODE_SETTINGS, QUICK_SAMPLE, STANDARD_SAMPLE, fractalnet, modeVariants, trainSettings } from "../src/experiments/fractalnet.js";
import { DIGITS_SPLIT, digitsSplit, fractalData } from "../src/experiments/fractalnetData.js";
import { variantHash } from "../src/experiments/fractalnet.js";

const labels = (y: { data: ArrayLike<number> }) => Array.from(y.data);

describe("fractalnet on digits (quick and standard mode)", () => {
  it("digits images are [1797, 1, 8, 8] with 10 classes", () => {
    const d = digitsImages();
    expect(d.x.shape).toEqual([1797, 1, 8, 8]);
    expect(new Set(labels(d.y)).size).toBe(10);
    expect(d.meta.classes).toBe(10);
  });

  it("the 60/20/20 split is disjoint, covers every image, is stratified and seeded", () => {
    const a = digitsSplit(DIGITS_SPLIT, 101);
    const parts = [a.trainIndices, a.validationIndices, a.testIndices].map((p) => Array.from(p));
    expect(parts.map((p) => p.length)).toEqual([1077, 360, 360]);
    const all = new Set(parts.flat());
    expect(all.size).toBe(1797); // disjoint and complete
    // Stratified: every class's share of the test split within one image of its share of the data.
    const y = labels(digitsImages().y);
    for (let k = 0; k < 10; k++) {
      const inTest = parts[2].filter((i) => y[i] === k).length;
      const expected = (y.filter((c) => c === k).length * 360) / 1797;
      expect(Math.abs(inTest - expected)).toBeLessThanOrEqual(1);
    }
    // The same seed gives the same split; another seed another.
    expect(Array.from(digitsSplit(DIGITS_SPLIT, 101).testIndices)).toEqual(parts[2]);
    expect(Array.from(digitsSplit(DIGITS_SPLIT, 102).testIndices)).not.toEqual(parts[2]);
  });

  it("a run's splits are grey 8×8 tensors of the split's sizes, and the model takes one channel", async () => {
    const t = trainSettings("quick");
    const { train, validation, test } = await fractalData(t, 101, "cpu");
    expect(train.x.shape).toEqual([1077, 1, 8, 8]);
    expect(validation.x.shape).toEqual([360, 1, 8, 8]);
    expect(test.x.shape).toEqual([360, 1, 8, 8]);
    expect(new Set(Array.from(await test.y.data())).size).toBe(10);
    const [config] = fractalnet.grid("quick", [101]);
    expect(modelConfig(config).input).toEqual([1, 8, 8]);
    expect(modelConfig(config).classes).toBe(10);
  });

  it("modes: quick and standard train seeded samples on digits (quick's variants first), full every variant on CIFAR-10, within the time budgets", () => {
    expect(MODE_SETTINGS.quick).toMatchObject({ dataset: "digits", epochs: 2 });
    expect(MODE_SETTINGS.standard).toMatchObject({ dataset: "digits", epochs: 5, ...DIGITS_SPLIT });
    expect(MODE_SETTINGS.full).toMatchObject({ dataset: "cifar10", epochs: 5, trainSize: 45000, validationSize: 5000, testSize: 10000 });
    const quick = modeVariants("quick").map(variantHash);
    const standard = modeVariants("standard").map(variantHash);
    expect(quick.length).toBe(QUICK_SAMPLE.count);
    expect(standard.length).toBe(STANDARD_SAMPLE.count);
    expect(standard.slice(0, quick.length)).toEqual(quick);
    const grid = fractalnet.grid("standard", [101]);
    expect(grid.every((c) => c.train.dataset === "digits" && c.train.epochs === 5)).toBe(true);
    expect(fractalnet.estimate("quick")).toBeLessThanOrEqual(60);
    // Two momentum readings of 40 runs each at about 16 single-core seconds a run.
    expect(fractalnet.estimate("standard")).toBeLessThanOrEqual(1300);
    expect(fractalnet.estimate("standard")).toBeGreaterThan(fractalnet.estimate("quick"));
  });

  it("`fcn-bench run fractalnet --mode standard` plans the standard sample on digits", async () => {
    const lines: string[] = [];
    const stdout = process.stdout.write;
    process.stdout.write = ((text: string) => { lines.push(...text.split("\n").filter(Boolean)); return true; }) as typeof process.stdout.write;
    try {
      await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "run", "fractalnet", "--mode", "standard", "--seeds", "101", "--dry-run"]);
    } finally {
      process.stdout.write = stdout;
    }
    // Every configuration once per sgdMomentum reading (standard runs every value).
    expect(lines.length).toBe(2 * fractalnet.grid("standard", [101]).length);
    expect(lines.filter((l) => l.includes('"sgdMomentum":"0.9"')).length).toBe(fractalnet.grid("standard", [101]).length);
    expect(lines.every((l) => l.startsWith("fractalnet ") && l.includes('"dataset":"digits"') && l.includes('"epochs":5'))).toBe(true);
  });
});
