import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "../src/errors.js";
import { friedman1 } from "../src/generators/friedman1.js";
import { moons } from "../src/generators/moons.js";
import { batches } from "../src/utilities/batches.js";
import { oneHot } from "../src/utilities/oneHot.js";
import { trainValTestSplit } from "../src/utilities/split.js";
import { fitStandardizer, standardize } from "../src/utilities/standardize.js";
import { column, mean, variance } from "./helpers.js";

describe("standardize", () => {
  it("uses training statistics only: train is exactly centred, validation/test in general are not", () => {
    const splits = trainValTestSplit(friedman1({ n: 300, seed: 1 }), { seed: 1 });
    const result = standardize(splits, { targets: true });
    for (let j = 0; j < 10; j++) {
      const train = column(result.train.x.data, 10, j);
      expect(mean(train)).toBeCloseTo(0, 12);
      expect(variance(train)).toBeCloseTo(1, 12);
      const validation = column(result.validation!.x.data, 10, j);
      const raw = column(splits.validation.x.data, 10, j);
      expect(validation.map((v) => v * result.standardizer.std[j] + result.standardizer.mean[j])[3]).toBeCloseTo(raw[3], 12);
    }
    const validationMeans = Array.from({ length: 10 }, (_, j) => mean(column(result.validation!.x.data, 10, j)));
    expect(validationMeans.some((m) => Math.abs(m) > 1e-3)).toBe(true);
    expect(mean(result.train.y.data)).toBeCloseTo(0, 12);
    expect(result.targetStandardizer).toBeDefined();
    expect(result.test).toBeDefined();
  });

  it("inverseTransform undoes transform; constant columns get std 1", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 6, maxLength: 60 }), (values) => {
        const rows = Math.floor(values.length / 3);
        const x = { data: Float64Array.from(values.slice(0, rows * 3)), shape: [rows, 3] };
        const scaler = fitStandardizer(x);
        const back = scaler.inverseTransform(scaler.transform(x));
        back.data.forEach((v, i) => expect(v).toBeCloseTo(x.data[i], 6));
      }),
      { numRuns: 60, seed: 60 },
    );
    const constant = fitStandardizer({ data: Float64Array.of(2, 2, 2), shape: [3, 1] });
    expect(constant.std[0]).toBe(1);
    expect(() => constant.transform({ data: new Float64Array(4), shape: [2, 2] })).toThrow(ShapeError);
  });

  it("leaves classification targets untouched", () => {
    const splits = trainValTestSplit(moons({ n: 100, seed: 2 }), { seed: 2 });
    const result = standardize(splits, { targets: true });
    expect(result.train.y.data).toBe(splits.train.y.data);
    expect(result.targetStandardizer).toBeUndefined();
  });
});

describe("oneHot", () => {
  it("has one 1 per row at the label", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 50 }), (labels) => {
        const encoded = oneHot(Int32Array.from(labels), 7);
        expect(encoded.shape).toEqual([labels.length, 7]);
        labels.forEach((label, i) => {
          const row = [...encoded.data.subarray(i * 7, i * 7 + 7)];
          expect(row.reduce((a, b) => a + b, 0)).toBe(1);
          expect(row[label]).toBe(1);
        });
      }),
      { numRuns: 50, seed: 61 },
    );
  });

  it("rejects out-of-range labels naming labels", () => {
    expect(() => oneHot([0, 3], 3)).toThrow(ArgumentError);
    expect(() => oneHot([0, 3], 3)).toThrow(/labels\[1\]/);
  });
});

describe("batches", () => {
  it("covers every row once per pass, aligned, in seeded order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (n, size, seed) => {
        const x = { data: Float64Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2)), shape: [n, 2] };
        const y = { data: Int32Array.from({ length: n }, (_, i) => i), shape: [n] };
        const seen: number[] = [];
        const list = [...batches(x, y, size, { shuffle: true, seed })];
        for (const batch of list) {
          expect(batch.y.data.length).toBeLessThanOrEqual(size);
          batch.y.data.forEach((row, i) => expect(batch.x.data[2 * i]).toBe(row));
          seen.push(...batch.indices);
        }
        expect(list.length).toBe(Math.ceil(n / size));
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const again = [...batches(x, y, size, { shuffle: true, seed })].flatMap((b) => [...b.indices]);
        expect(again).toEqual(seen);
      }),
      { numRuns: 50, seed: 62 },
    );
  });

  it("in order without shuffle; dropLast skips the short batch; mismatched rows throw ShapeError", () => {
    const x = { data: new Float64Array(10), shape: [10, 1] };
    const y = { data: new Int32Array(10), shape: [10] };
    expect([...batches(x, y, 4)].map((b) => [...b.indices])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect([...batches(x, y, 4, { dropLast: true })]).toHaveLength(2);
    expect([...batches(x, y, 4, { shuffle: true, seed: 1 })].flatMap((b) => [...b.indices])).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => [...batches(x, { data: new Int32Array(9), shape: [9] }, 4)]).toThrow(ShapeError);
    expect(() => [...batches(x, y, 0)]).toThrow(/size/);
  });
});
