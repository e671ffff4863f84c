import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../src/errors.js";
import { friedman1 } from "../src/generators/friedman1.js";
import { moons } from "../src/generators/moons.js";
import { iris } from "../src/real/iris.js";
import { stratifiedCounts } from "../src/utilities/allocate.js";
import { kFold } from "../src/utilities/kFold.js";
import { trainValSplit, trainValTestSplit } from "../src/utilities/split.js";
import type { ClassificationDataset } from "../src/types.js";
import { labelCounts } from "./helpers.js";

function labelled(labels: number[]): ClassificationDataset {
  const n = labels.length;
  return {
    x: { data: Float64Array.from({ length: n }, (_, i) => i), shape: [n, 1] },
    y: { data: Int32Array.from(labels), shape: [n] },
    meta: { name: "test", task: "multiclass", classes: Math.max(...labels) + 1, featureNames: ["i"], targetNames: ["class"], seed: 0, options: {}, source: "test" },
  };
}

const labelLists = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 12, maxLength: 200 });

describe("stratifiedCounts", () => {
  it("rows sum to class counts, columns to sizes, cells within 1 of nₖ·sⱼ/n", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (counts, weights) => {
        const n = counts.reduce((a, b) => a + b, 0);
        fc.pre(n > 0);
        const total = weights.reduce((a, b) => a + b, 0) || 1;
        const sizes = weights.map((w) => Math.floor((w / total) * n));
        sizes[0] += n - sizes.reduce((a, b) => a + b, 0);
        const table = stratifiedCounts(counts, sizes);
        counts.forEach((count, c) => expect(table[c].reduce((a, b) => a + b, 0)).toBe(count));
        sizes.forEach((size, j) => expect(table.reduce((sum, row) => sum + row[j], 0)).toBe(size));
        counts.forEach((count, c) => sizes.forEach((size, j) => expect(Math.abs(table[c][j] - (count * size) / n)).toBeLessThan(1)));
      }),
      { numRuns: 150, seed: 50 },
    );
  });
});

describe("trainValTestSplit", () => {
  it("is disjoint, complete, seeded, and stratified within ±1 per class", () => {
    fc.assert(
      fc.property(labelLists, fc.integer({ min: 0, max: 1000 }), (labels, seed) => {
        const data = labelled(labels);
        const n = labels.length;
        const split = trainValTestSplit(data, { validationSize: 0.25, testSize: 0.2, seed });
        const all = [...split.trainIndices, ...split.validationIndices, ...split.testIndices].sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(split.validationIndices.length).toBe(Math.ceil(0.25 * n));
        expect(split.testIndices.length).toBe(Math.ceil(0.2 * n));
        const classes = 5;
        const counts = labelCounts(labels, classes);
        for (const part of [split.train, split.validation, split.test]) {
          const partCounts = labelCounts(part.y.data, classes);
          const size = part.y.data.length;
          counts.forEach((count, c) => expect(Math.abs(partCounts[c] - (count * size) / n)).toBeLessThan(1 + 1e-9));
          part.x.data.forEach((row, i) => expect(part.y.data[i]).toBe(labels[row])); // x and y stay aligned
        }
        const again = trainValTestSplit(data, { validationSize: 0.25, testSize: 0.2, seed });
        expect(again.trainIndices).toEqual(split.trainIndices);
      }),
      { numRuns: 60, seed: 51 },
    );
  });

  it("different seeds give different splits", () => {
    const data = iris();
    expect(trainValTestSplit(data, { seed: 1 }).testIndices).not.toEqual(trainValTestSplit(data, { seed: 2 }).testIndices);
  });
});

describe("trainValSplit", () => {
  it("002's protocol: 512 train / 256 validation from 768, balanced classes", () => {
    const split = trainValSplit(moons({ n: 768, seed: 3 }), { trainSize: 512, validationSize: 256, seed: 3 });
    expect(labelCounts(split.train.y.data, 2)).toEqual([256, 256]);
    expect(labelCounts(split.validation.y.data, 2)).toEqual([128, 128]);
  });

  it("trainSize below the remainder drops the unused rows", () => {
    const split = trainValSplit(friedman1({ n: 100, seed: 1 }), { trainSize: 50, validationSize: 20, seed: 1 });
    expect(split.train.x.shape).toEqual([50, 10]);
    expect(split.validation.y.shape).toEqual([20]);
    expect(new Set([...split.trainIndices, ...split.validationIndices]).size).toBe(70);
  });

  it("rejects impossible sizes and stratifying a regression target", () => {
    const data = friedman1({ n: 10 });
    expect(() => trainValSplit(data, { validationSize: 11 })).toThrow(ArgumentError);
    expect(() => trainValSplit(data, { validationSize: -1 })).toThrow(/validationSize/);
    expect(() => trainValSplit(data, { validationSize: 2.5 })).toThrow(/validationSize/);
    expect(() => trainValSplit(data, { stratify: true })).toThrow(/stratify/);
  });
});

describe("kFold", () => {
  it("validates every row exactly once; folds differ in size by ≤ 1; train is the complement", () => {
    fc.assert(
      fc.property(labelLists, fc.integer({ min: 2, max: 6 }), fc.integer(), (labels, folds, seed) => {
        const n = labels.length;
        const splits = kFold(labelled(labels), { folds, seed });
        expect(splits).toHaveLength(folds);
        const validated = splits.flatMap((s) => [...s.validationIndices]).sort((a, b) => a - b);
        expect(validated).toEqual(Array.from({ length: n }, (_, i) => i));
        for (const s of splits) {
          expect([Math.floor(n / folds), Math.ceil(n / folds)]).toContain(s.validationIndices.length);
          expect(s.trainIndices.length + s.validationIndices.length).toBe(n);
          const inValidation = new Set(s.validationIndices);
          expect(s.trainIndices.some((i) => inValidation.has(i))).toBe(false);
        }
      }),
      { numRuns: 40, seed: 52 },
    );
  });

  it("stratified folds of iris hold 10 of each class", () => {
    for (const { validation } of kFold(iris(), { folds: 5, seed: 4 })) expect(labelCounts(validation.y.data, 3)).toEqual([10, 10, 10]);
  });
});
