import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { delayedInput } from "../src/tasks/delayedInput.js";
import { diffusionInitialState } from "../src/tasks/diffusionInitialState.js";
import { hierarchicalParity } from "../src/tasks/hierarchicalParity.js";
import { multiscaleSignal, signalToNoiseDb } from "../src/tasks/multiscaleSignal.js";
import { multiscaleTarget } from "../src/tasks/multiscaleTarget.js";
import { labelCounts, mean, variance } from "./helpers.js";

describe("hierarchicalParity", () => {
  it("label = XOR of the bits of the coarse block holding the query, on every sample", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer(), (m, k, seed) => {
        const n = 40;
        const data = hierarchicalParity({ n, branching: m, depth: k, seed });
        const length = m ** k;
        const coarse = m ** (k - 1);
        expect(data.x.shape).toEqual([n, length, 2]);
        for (let i = 0; i < n; i++) {
          const q = data.query[i];
          let marks = 0;
          for (let p = 0; p < length; p++) marks += data.x.data[(i * length + p) * 2 + 1];
          expect(marks).toBe(1);
          expect(data.x.data[(i * length + q) * 2 + 1]).toBe(1);
          const start = Math.floor(q / coarse) * coarse;
          let parity = 0;
          for (let p = start; p < start + coarse; p++) parity ^= data.x.data[(i * length + p) * 2];
          expect(data.y.data[i]).toBe(parity);
        }
      }),
      { numRuns: 30, seed: 40 },
    );
  });

  it("scale labels nest: each block's label is the XOR of its m children", () => {
    const data = hierarchicalParity({ n: 20, seed: 3 });
    const [coarse, mid, fine] = data.scaleLabels;
    expect(coarse.shape).toEqual([20, 4]);
    expect(mid.shape).toEqual([20, 16]);
    expect(fine.shape).toEqual([20, 64]);
    for (let i = 0; i < 20; i++) {
      for (let b = 0; b < 16; b++) {
        const children = fine.data.subarray(i * 64 + 4 * b, i * 64 + 4 * b + 4);
        expect(mid.data[i * 16 + b]).toBe(children.reduce((a, c) => a ^ c, 0));
      }
      for (let b = 0; b < 4; b++) {
        const children = mid.data.subarray(i * 16 + 4 * b, i * 16 + 4 * b + 4);
        expect(coarse.data[i * 4 + b]).toBe(children.reduce((a, c) => a ^ c, 0));
      }
    }
  });

  it("labels are near balanced, and noise flips about that fraction", () => {
    const clean = hierarchicalParity({ n: 2000, seed: 4 });
    expect(Math.abs(labelCounts(clean.y.data, 2)[1] - 1000)).toBeLessThan(4 * Math.sqrt(500));
    const noisy = hierarchicalParity({ n: 2000, seed: 4, noise: 0.2 });
    let changed = 0;
    for (let i = 0; i < 2000; i++) if (clean.y.data[i] !== noisy.y.data[i]) changed += 1;
    expect(changed / 2000).toBeCloseTo(0.2, 1);
  });
});

describe("multiscaleSignal", () => {
  it("x = Σ components + noise; y = Σ components; each scale is constant on its blocks", () => {
    const data = multiscaleSignal({ n: 30, seed: 5, noise: 0.5 });
    const [coarse, mid, fine] = data.components;
    expect(data.scaleNames).toEqual(["coarse", "mid", "fine"]);
    for (let j = 0; j < 30 * 64; j++) {
      expect(data.y.data[j]).toBeCloseTo(coarse.data[j] + mid.data[j] + fine.data[j], 12);
      expect(data.x.data[j]).toBeCloseTo(data.y.data[j] + data.noiseComponent.data[j], 12);
      const p = j % 64;
      if (p % 16 !== 0) expect(coarse.data[j]).toBe(coarse.data[j - 1]);
      if (p % 4 !== 0) expect(mid.data[j]).toBe(mid.data[j - 1]);
    }
    expect(Math.sqrt(variance(data.noiseComponent.data))).toBeCloseTo(0.5, 1);
  });

  it("block values have the requested amplitude per scale", () => {
    const data = multiscaleSignal({ n: 3000, seed: 6, amplitudes: [2, 1, 0.5] });
    const stds = data.components.map((c) => Math.sqrt(variance(c.data)));
    expect(stds[0]).toBeCloseTo(2, 1);
    expect(stds[1]).toBeCloseTo(1, 1);
    expect(stds[2]).toBeCloseTo(0.5, 1);
  });

  it("signalToNoiseDb = 10 log10(Σ ref² / Σ err²)", () => {
    expect(signalToNoiseDb([1, 1], [1.1, 0.9])).toBeCloseTo(20, 10);
    expect(signalToNoiseDb([3, 4], [3, 5])).toBeCloseTo(10 * Math.log10(25), 10);
  });
});

describe("delayedInput", () => {
  it("y[t, k−1] = x[t − k] wherever both are in the window; inputs lie in [−0.8, 0.8]", () => {
    const { x, y } = delayedInput({ n: 300, maxDelay: 12, seed: 7 });
    expect(y.shape).toEqual([300, 12]);
    for (let t = 0; t < 300; t++) {
      expect(Math.abs(x.data[t])).toBeLessThanOrEqual(0.8);
      for (let k = 1; k <= 12; k++) if (t - k >= 0) expect(y.data[t * 12 + k - 1]).toBe(x.data[t - k]);
    }
    expect(variance(x.data)).toBeCloseTo(0.64 / 3, 1);
  });
});

describe("multiscaleTarget", () => {
  it("components follow their leaky integrators and y sums them / √S", () => {
    const data = multiscaleTarget({ n: 4000, seed: 8 });
    const scales = 3;
    const alphas = [1 / 2, 1 / 8, 1 / 32];
    for (let t = 1; t < 4000; t++) {
      let sum = 0;
      for (let s = 0; s < scales; s++) {
        const norm = Math.sqrt(alphas[s] / (3 * (2 - alphas[s])));
        const previous = data.components.data[(t - 1) * scales + s] * norm;
        const current = data.components.data[t * scales + s] * norm;
        expect(current).toBeCloseTo((1 - alphas[s]) * previous + alphas[s] * data.x.data[t], 12);
        sum += data.components.data[t * scales + s];
      }
      expect(data.y.data[t]).toBeCloseTo(sum / Math.sqrt(scales), 12);
    }
    for (let s = 0; s < scales; s++) {
      const values = Array.from({ length: 4000 }, (_, t) => data.components.data[t * scales + s]);
      expect(Math.abs(variance(values) - 1)).toBeLessThan(0.3); // unit stationary variance
      expect(Math.abs(mean(values))).toBeLessThan(0.3);
    }
  });
});

describe("diffusionInitialState", () => {
  it("impulse: unit mass on one node; localized: unit mass peaked at the centre", () => {
    const impulse = diffusionInitialState({ nodes: 16, center: 5 });
    expect([...impulse.data]).toEqual(Array.from({ length: 16 }, (_, i) => (i === 5 ? 1 : 0)));
    const bump = diffusionInitialState({ nodes: 64, kind: "localized", center: 20, width: 3 });
    expect(bump.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(bump.data.indexOf(Math.max(...bump.data))).toBe(20);
    const seeded = diffusionInitialState({ nodes: 128, seed: 9 });
    expect(seeded.data.reduce((a, b) => a + b, 0)).toBe(1);
    expect(() => diffusionInitialState({ nodes: 8, center: 8 })).toThrow(/center/);
  });
});
