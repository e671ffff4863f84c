import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../src/errors.js";
import { blobs } from "../src/generators/blobs.js";
import { makeClassification } from "../src/generators/makeClassification.js";
import { classification20d, synthetic3class, synthetic5class } from "../src/generators/syntheticClassification.js";
import { column, labelCounts, mean, rank } from "./helpers.js";

function columnsWithRole(roles: readonly string[], role: string): number[] {
  return roles.flatMap((r, j) => (r === role ? [j] : []));
}

function centered(data: Float64Array, width: number, columns: number[]): Float64Array {
  const n = data.length / width;
  const out = new Float64Array(n * columns.length);
  columns.forEach((j, c) => {
    const values = column(data, width, j);
    const m = mean(values);
    values.forEach((v, i) => (out[i * columns.length + c] = v - m));
  });
  return out;
}

describe("makeClassification", () => {
  it("informative + redundant + repeated columns span exactly `informative` dimensions (rank check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer(),
        (informative, redundant, repeated, seed) => {
          const features = informative + redundant + repeated + 3;
          const data = makeClassification({ n: 120, features, informative, redundant, repeated, seed, classes: 2, clustersPerClass: 2 });
          const roles = data.featureRoles;
          expect(columnsWithRole(roles, "informative")).toHaveLength(informative);
          const structured = [...columnsWithRole(roles, "informative"), ...columnsWithRole(roles, "redundant"), ...columnsWithRole(roles, "repeated")];
          expect(rank(centered(data.x.data, features, structured), 120, structured.length)).toBe(informative);
          const all = [...structured, ...columnsWithRole(roles, "useless")];
          expect(rank(centered(data.x.data, features, all), 120, all.length)).toBe(informative + 3);
        },
      ),
      { numRuns: 25, seed: 30 },
    );
  });

  it("informative columns separate the classes; useless ones do not", () => {
    const data = makeClassification({ n: 4000, features: 6, informative: 2, redundant: 0, classes: 2, clustersPerClass: 1, flipY: 0, classSeparation: 2, seed: 4 });
    for (const [j, role] of data.featureRoles.entries()) {
      const values = column(data.x.data, 6, j);
      const zero = values.filter((_, i) => data.y.data[i] === 0);
      const one = values.filter((_, i) => data.y.data[i] === 1);
      const gap = Math.abs(mean(zero) - mean(one));
      if (role === "useless") expect(gap).toBeLessThan(0.15);
    }
    // the class centroids are distinct hypercube vertices at ±2: their mean difference norm is ≥ 4
    const inf = columnsWithRole(data.featureRoles, "informative");
    const difference = inf.map((j) => {
      const values = column(data.x.data, 6, j);
      return mean(values.filter((_, i) => data.y.data[i] === 0)) - mean(values.filter((_, i) => data.y.data[i] === 1));
    });
    expect(Math.hypot(...difference)).toBeGreaterThan(3.5);
  });

  it("balanced classes without flips; weights set the class proportions", () => {
    const clean = makeClassification({ n: 1000, classes: 4, informative: 3, clustersPerClass: 1, flipY: 0, seed: 5 });
    expect(labelCounts(clean.y.data, 4)).toEqual([250, 250, 250, 250]);
    const weighted = makeClassification({ n: 1000, classes: 2, weights: [0.75], flipY: 0, seed: 5 });
    expect(labelCounts(weighted.y.data, 2)).toEqual([750, 250]);
  });

  it("rejects impossible configurations with ArgumentErrors naming the argument", () => {
    expect(() => makeClassification({ features: 3, informative: 2, redundant: 2 })).toThrow(/features/);
    expect(() => makeClassification({ informative: 1, classes: 3 })).toThrow(ArgumentError);
    expect(() => makeClassification({ classes: 1 })).toThrow(/classes/);
    expect(() => makeClassification({ flipY: 2 })).toThrow(/flipY/);
  });
});

describe("named make_classification sets", () => {
  it("classification20d: 20 features with sklearn's default roles, 2 classes", () => {
    const data = classification20d({ n: 400, seed: 1 });
    expect(data.x.shape).toEqual([400, 20]);
    expect(data.meta).toMatchObject({ name: "classification20d", task: "binary", classes: 2 });
    expect(columnsWithRole(data.featureRoles, "informative")).toHaveLength(2);
    expect(columnsWithRole(data.featureRoles, "redundant")).toHaveLength(2);
    expect(columnsWithRole(data.featureRoles, "useless")).toHaveLength(16);
  });

  it("synthetic3class and synthetic5class have near-equal class counts (flip_y only)", () => {
    const three = labelCounts(synthetic3class({ n: 900, seed: 2, noise: 0 }).y.data, 3);
    expect(three).toEqual([300, 300, 300]);
    const five = labelCounts(synthetic5class({ n: 1000, seed: 2 }).y.data, 5);
    for (const count of five) expect(Math.abs(count - 200)).toBeLessThanOrEqual(10);
  });

  it("noise is the label-flip fraction (a flipped label is redrawn uniformly, so ≈ noise/2 change)", () => {
    const flipped = classification20d({ n: 2000, seed: 3, noise: 0.5, shuffle: false });
    const clean = classification20d({ n: 2000, seed: 3, noise: 0, shuffle: false });
    let changed = 0;
    for (let i = 0; i < 2000; i++) if (flipped.y.data[i] !== clean.y.data[i]) changed += 1;
    expect(changed / 2000).toBeGreaterThan(0.18); // ≈ 0.5 × ½
    expect(changed / 2000).toBeLessThan(0.32);
  });
});

describe("blobs", () => {
  it("class k is N(centre_k, std²): sample means near the centres, counts n/k", () => {
    const data = blobs({ n: 3000, centers: 3, clusterStd: 0.5, seed: 6 });
    expect(labelCounts(data.y.data, 3)).toEqual([1000, 1000, 1000]);
    for (let k = 0; k < 3; k++) {
      for (let j = 0; j < 2; j++) {
        const values = column(data.x.data, 2, j).filter((_, i) => data.y.data[i] === k);
        expect(mean(values)).toBeCloseTo(data.centers[k * 2 + j], 1);
      }
      expect(Math.abs(data.centers[2 * k])).toBeLessThanOrEqual(10);
    }
  });
});
