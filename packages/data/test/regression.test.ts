import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { friedman1 } from "../src/generators/friedman1.js";
import { multiscaleFourierRegression } from "../src/generators/multiscaleFourier.js";
import { sine } from "../src/generators/sine.js";
import { bytesHash, mean, variance } from "./helpers.js";

describe("friedman1", () => {
  it("has shape [n, features], [n] and float64 dtype", () => {
    const data = friedman1({ n: 50, features: 7, seed: 1 });
    expect(data.x.shape).toEqual([50, 7]);
    expect(data.y.shape).toEqual([50]);
    expect(data.x.data).toBeInstanceOf(Float64Array);
    expect(data.meta).toMatchObject({ task: "regression", classes: 0, name: "friedman1" });
  });

  it("noise-free target equals 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 5, max: 12 }), fc.integer(), (n, features, seed) => {
        const { x, y } = friedman1({ n, features, noise: 0, seed });
        for (let i = 0; i < n; i++) {
          const r = x.data.subarray(i * features, i * features + 5);
          const expected = 10 * Math.sin(Math.PI * r[0] * r[1]) + 20 * (r[2] - 0.5) ** 2 + 10 * r[3] + 5 * r[4];
          expect(y.data[i]).toBe(expected);
        }
        expect(Math.min(...x.data)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...x.data)).toBeLessThan(1);
      }),
      { numRuns: 40, seed: 10 },
    );
  });

  it("x ~ U[0,1] (mean ½, variance 1/12) and the residual has variance noise²", () => {
    const noisy = friedman1({ n: 20000, noise: 2, seed: 3 });
    const clean = friedman1({ n: 20000, noise: 0, seed: 3 });
    expect(bytesHash(noisy.x.data)).toBe(bytesHash(clean.x.data)); // x does not depend on noise
    expect(mean(clean.x.data)).toBeCloseTo(0.5, 2);
    expect(variance(clean.x.data)).toBeCloseTo(1 / 12, 2);
    const residual = noisy.y.data.map((v, i) => v - clean.y.data[i]);
    expect(Math.abs(variance(residual) - 4)).toBeLessThan(0.15);
    expect(Math.abs(mean(residual))).toBeLessThan(0.05);
  });
});

describe("sine", () => {
  it("y = sin x exactly with noise 0, x within [0, 4π]", () => {
    const { x, y } = sine({ n: 500, noise: 0, seed: 2 });
    expect(x.shape).toEqual([500, 1]);
    for (let i = 0; i < 500; i++) {
      expect(y.data[i]).toBe(Math.sin(x.data[i]));
      expect(x.data[i] >= 0 && x.data[i] < 4 * Math.PI).toBe(true);
    }
  });

  it("noise has the requested standard deviation", () => {
    const { x, y } = sine({ n: 20000, noise: 0.3, seed: 4 });
    const residual = y.data.map((v, i) => v - Math.sin(x.data[i]));
    expect(Math.sqrt(variance(residual))).toBeCloseTo(0.3, 2);
  });
});

describe("multiscaleFourierRegression", () => {
  it("noise-free target is Σ aⱼ sin(2π fⱼ x) with the documented defaults", () => {
    const { x, y, meta } = multiscaleFourierRegression({ n: 300, noise: 0, seed: 5 });
    expect(meta.options).toMatchObject({ frequencies: [1, 4, 16], amplitudes: [1, 0.5, 0.25] });
    for (let i = 0; i < 300; i++) {
      const t = x.data[i];
      const expected = Math.sin(2 * Math.PI * t) + 0.5 * Math.sin(8 * Math.PI * t) + 0.25 * Math.sin(32 * Math.PI * t);
      expect(y.data[i]).toBeCloseTo(expected, 12);
      expect(t >= -1 && t < 1).toBe(true);
    }
  });

  it("target variance is Σ aⱼ²/2", () => {
    const { y } = multiscaleFourierRegression({ n: 40000, noise: 0, seed: 6, frequencies: [1, 5], amplitudes: [2, 1] });
    expect(variance(y.data)).toBeCloseTo((4 + 1) / 2, 1);
  });
});
