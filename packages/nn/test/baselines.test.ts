import { describe, expect, it } from "vitest";
import { Adam, DeepMLP, DenseMLP, SparseMLP, evaluate, fit, mlpParams, widthMatched } from "../src/index.js";
import { checkModuleGrads, randomInput, sine } from "./helpers.js";

describe("dense baselines: parameter counts", () => {
  it("000 / 002: the 3-layer width-64 MLP has 4,417 (classification, d=2) and 4,353 (regression, d=1) params", () => {
    expect(new DenseMLP({ inputs: 2, outputs: 1, width: 64 }).rawParams).toBe(4417);
    expect(new DenseMLP({ inputs: 1, outputs: 1, width: 64 }).rawParams).toBe(4353);
  });

  it("001's dense frontier points: 169, 465, 771 (friedman1, d=10), 321 (sine), 2,209 / 2,241 (deep), 682 (digits)", () => {
    expect(new DenseMLP({ inputs: 10, width: 8 }).rawParams).toBe(169);
    expect(new DenseMLP({ inputs: 10, width: 16 }).rawParams).toBe(465);
    expect(new DenseMLP({ inputs: 10, width: 22 }).rawParams).toBe(771);
    expect(new DenseMLP({ inputs: 1, width: 16 }).rawParams).toBe(321);
    expect(new DeepMLP({ inputs: 1, width: 32 }).rawParams).toBe(2209);
    expect(new DeepMLP({ inputs: 2, width: 32 }).rawParams).toBe(2241);
    expect(new DenseMLP({ inputs: 64, outputs: 10, width: 8 }).rawParams).toBe(682);
  });

  it("SparseMLP (25%) has the dense raw count 4,417 and about a quarter of the weights effective", () => {
    const sparse = new SparseMLP({ inputs: 2, width: 64 });
    const counts = sparse.paramCounts();
    expect(counts.raw).toBe(4417);
    // kept weights: round(0.25·128) + round(0.25·4096) + round(0.25·64), plus 129 biases
    expect(counts.effective).toBe(32 + 1024 + 16 + 129);
  });

  it("eq. 13 width matching returns the widest MLP within the budget", () => {
    expect(widthMatched(4417, { inputs: 2, outputs: 1, layers: 3 })).toEqual({ width: 64, params: 4417 });
    expect(widthMatched(4416, { inputs: 2, outputs: 1, layers: 3 }).width).toBe(63);
    expect(widthMatched(325, { inputs: 2, outputs: 1, layers: 3 })).toEqual({ width: 15, params: mlpParams(2, 15, 1, 3) });
    expect(widthMatched(897, { inputs: 2, outputs: 1, layers: 2 })).toEqual({ width: 224, params: 897 });
    for (const target of [100, 1000, 4421, 8513]) {
      const { width, params } = widthMatched(target, { inputs: 2, outputs: 1, layers: 4 });
      expect(params).toBeLessThanOrEqual(target);
      expect(mlpParams(2, width + 1, 1, 4)).toBeGreaterThan(target);
    }
    expect(() => widthMatched(3, { inputs: 2, outputs: 1 })).toThrow(/target 3/);
  });
});

describe("dense baselines: gradients and training", () => {
  it("DenseMLP, DeepMLP and SparseMLP pass checkGrads", () => {
    const x = randomInput([3, 2], 1);
    for (const model of [new DenseMLP({ width: 4, activation: "tanh" }), new DeepMLP({ width: 3, activation: "tanh" }), new SparseMLP({ width: 4, density: 0.5, activation: "tanh" })]) {
      expect(checkModuleGrads(model, x).ok).toBe(true);
    }
  });

  it("DenseMLP fits sin(2x) to MSE < 0.01 in 300 Adam steps", async () => {
    const data = sine(128, 1);
    const model = new DenseMLP({ inputs: 1, width: 16, seed: 3, activation: "tanh" });
    await fit(model, data, { epochs: 300, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "mse" });
    expect((await evaluate(model, sine(128, 2), { lossFn: "mse" })).loss).toBeLessThan(0.01);
  });

  it("SparseMLP at 25% density fits sin(2x) to MSE < 0.03", async () => {
    const data = sine(128, 1);
    const model = new SparseMLP({ inputs: 1, width: 32, seed: 3, activation: "tanh" });
    await fit(model, data, { epochs: 300, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "mse" });
    expect((await evaluate(model, sine(128, 2), { lossFn: "mse" })).loss).toBeLessThan(0.03);
  });
});
