import { describe, expect, it } from "vitest";
import { ArgumentError } from "../src/errors.js";
import { benchmarkDatasets, dataset, datasetInfo, datasetNames, frontierDatasets } from "../src/registry.js";
import { bytesHash, labelCounts } from "./helpers.js";

const small = (name: string) => (name === "syntheticImages" ? { n: 20, size: 8 } : name === "delayedInput" ? { n: 50, maxDelay: 8 } : { n: 60 });
const real = new Set(["iris", "wine", "digits"]);
const generated = datasetNames().filter((name) => !real.has(name));

describe("registry", () => {
  it("holds the 14 frontier data sets, the 4 benchmarks and the sequence and image tasks", () => {
    for (const name of [...frontierDatasets, ...benchmarkDatasets]) expect(datasetNames()).toContain(name);
    expect(frontierDatasets).toHaveLength(14);
    expect(datasetNames()).toEqual(expect.arrayContaining(["hierarchicalParity", "multiscaleSignal", "delayedInput", "multiscaleTarget", "syntheticImages"]));
  });

  it("accepts 001's snake_case names", () => {
    expect(datasetInfo("swiss_roll").name).toBe("swissRoll");
    expect(dataset("classification_20d", { n: 30, seed: 1 }).meta.name).toBe("classification20d");
  });

  it.each(datasetNames())("%s: meta agrees with the registry, shapes and dtypes are consistent", (name) => {
    const data = dataset(name, { ...small(name), seed: 3 });
    const info = datasetInfo(name);
    const n = data.x.shape[0];
    expect(data.meta.name).toBe(name);
    expect(data.meta.task).toBe(info.task);
    expect(data.y.shape[0]).toBe(n);
    expect(data.x.data.length).toBe(data.x.shape.reduce((a, b) => a * b, 1));
    expect(data.y.data.length).toBe(data.y.shape.reduce((a, b) => a * b, 1));
    expect(data.x.data.every((v) => Number.isFinite(v))).toBe(true);
    if (info.task === "regression") {
      expect(data.y.data).toBeInstanceOf(Float64Array);
    } else {
      expect(data.y.data).toBeInstanceOf(Int32Array);
      expect(data.meta.classes).toBe(info.classes);
      const counts = labelCounts(data.y.data, info.classes);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n); // every label in 0..classes-1
      expect(counts.every((count) => count > 0)).toBe(true);
    }
  });

  it.each(generated)("%s: same seed → identical bytes, different seed → different bytes", (name) => {
    const options = small(name);
    const a = dataset(name, { ...options, seed: 11 });
    const b = dataset(name, { ...options, seed: 11 });
    const c = dataset(name, { ...options, seed: 12 });
    expect(bytesHash(b.x.data)).toBe(bytesHash(a.x.data));
    expect(bytesHash(b.y.data)).toBe(bytesHash(a.y.data));
    expect(bytesHash(c.x.data) + bytesHash(c.y.data)).not.toBe(bytesHash(a.x.data) + bytesHash(a.y.data));
  });

  it.each(generated)("%s: bad n, noise and seed raise ArgumentErrors naming the argument", (name) => {
    const cases: [Record<string, unknown>, string][] = [
      [{ n: 0 }, "n"],
      [{ n: -3 }, "n"],
      [{ n: 2.5 }, "n"],
      [{ noise: -0.1 }, "noise"],
      [{ noise: Number.NaN }, "noise"],
      [{ seed: 0.5 }, "seed"],
    ];
    for (const [options, argument] of cases) {
      let caught: unknown;
      try {
        dataset(name, { ...small(name), ...options });
      } catch (error) {
        caught = error;
      }
      expect(caught, `${name} ${JSON.stringify(options)}`).toBeInstanceOf(ArgumentError);
      expect((caught as ArgumentError).argument).toBe(argument);
      expect((caught as Error).message).toContain(`${argument} must be`);
    }
  });

  it("classes < 2 raise an ArgumentError naming classes", () => {
    for (const name of ["gaussianQuantiles", "syntheticImages", "classification20d"]) {
      expect(() => dataset(name, { n: 20, classes: 1 })).toThrow(ArgumentError);
      expect(() => dataset(name, { n: 20, classes: 1 })).toThrow(/classes must be/);
    }
  });

  it("an unknown name raises an ArgumentError listing the valid names", () => {
    expect(() => dataset("mnist")).toThrow(ArgumentError);
    expect(() => dataset("mnist")).toThrow(/name must be one of friedman1, sine.*got "mnist"/);
    expect(() => datasetInfo("mnist")).toThrow(/moons/);
  });
});
