import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
};

describe("batchNorm", () => {
  const gen = new T.Generator(1);
  const x = T.randn([4, 3, 2, 2], gen, { dtype: "float64", mean: 2, std: 3 });

  it("in training normalizes each channel to mean 0, variance 1 and updates the running statistics in place", () => {
    const runningMean = T.zeros([3], { dtype: "float64" });
    const runningVar = T.ones([3], { dtype: "float64" });
    const weight = T.tensor([1, 2, 3], { dtype: "float64" }).requireGrad();
    const bias = T.tensor([0, 1, -1], { dtype: "float64" });
    const y = T.batchNorm(x, runningMean, runningVar, weight, bias, { training: true, momentum: 0.25, eps: 0 });
    const z = T.div(T.sub(y, bias.reshape([1, 3, 1, 1])), weight.reshape([1, 3, 1, 1]));
    close(T.mean(z, [0, 2, 3]).dataSync(), [0, 0, 0]);
    close(T.mean(T.square(z), [0, 2, 3]).dataSync(), [1, 1, 1]);
    const mu = T.mean(x, [0, 2, 3]);
    const unbiased = T.variance(x, [0, 2, 3], false, 1);
    close(runningMean.dataSync(), T.mul(mu, 0.25).dataSync());
    close(runningVar.dataSync(), T.add(T.mul(unbiased, 0.25), 0.75).dataSync());
    expect(runningMean.requiresGrad).toBe(false);
    expect(runningVar.requiresGrad).toBe(false);
  });

  it("in evaluation uses the running statistics and leaves them unchanged", () => {
    const runningMean = T.tensor([1, -1, 0.5], { dtype: "float64" });
    const runningVar = T.tensor([4, 1, 0.25], { dtype: "float64" });
    const y = T.batchNorm(x, runningMean, runningVar, null, null, { eps: 0 });
    close(y.dataSync(), T.div(T.sub(x, runningMean.reshape([1, 3, 1, 1])), T.sqrt(runningVar).reshape([1, 3, 1, 1])).dataSync());
    close(runningMean.dataSync(), [1, -1, 0.5]);
    // Without running statistics the batch's are used in both modes.
    close(T.batchNorm(x, null, null).dataSync(), T.batchNorm(x, null, null, null, null, { training: true }).dataSync());
  });

  it("rejects shapes that do not match the channels", () => {
    expect(() => T.batchNorm(x, T.zeros([2]), T.ones([3]))).toThrow(/runningMean \[2\] must be \[3\]/);
    expect(() => T.batchNorm(x, T.zeros([3]), null)).toThrow(/both running statistics/);
    expect(() => T.batchNorm(T.zeros([1, 3]), T.zeros([3]), T.ones([3]), null, null, { training: true })).toThrow(/more than one value per channel/);
  });
});

describe("dropout2d and dropPath", () => {
  const x = T.ones([6, 5, 3, 3]);

  it("dropout2d zeroes whole channels with probability p, scales the rest, and repeats under the same seed", () => {
    const y = T.dropout2d(x, 0.5, new T.Generator(3));
    const perChannel = T.sum(y, [2, 3]).dataSync();
    const kept = Array.from(perChannel).filter((v) => v !== 0);
    for (const v of kept) expect(v).toBeCloseTo(18, 5);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(25);
    expect(Array.from(T.dropout2d(x, 0.5, new T.Generator(3)).dataSync())).toEqual(Array.from(y.dataSync()));
    expect(T.dropout2d(x, 0.5, new T.Generator(3), false)).toBe(x);
  });

  it("dropPath keeps or drops each sample whole", () => {
    const y = T.dropPath(x, 0.5, new T.Generator(4));
    const perSample = Array.from(T.sum(y, [1, 2, 3]).dataSync());
    for (const v of perSample) expect([0, 90]).toContain(Math.round(v));
    expect(perSample.some((v) => v === 0) && perSample.some((v) => v !== 0)).toBe(true);
    expect(() => T.dropPath(x, 1, new T.Generator(4))).toThrow(/p must be in \[0, 1\)/);
  });
});
