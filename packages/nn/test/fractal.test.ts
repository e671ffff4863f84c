import { fromData, spectralRadius } from "@fcn/kron";
import { ArgumentError, Generator, matmul, randn, tensor } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { Adam, FractalCirculator, FractalLayerMLP, GraphOperator, RecurrentNet, evaluate, fit } from "../src/index.js";
import { checkModuleGrads, circles, randomInput } from "./helpers.js";

const radius = (g: { dataSync(): ArrayLike<number>; shape: readonly number[] }) => spectralRadius(fromData(g.shape[0], g.shape[1], Float64Array.from(g.dataSync())));

describe("FractalCirculator (000 eq. 11–12, Exp 8)", () => {
  it("has 325 learned params with a fixed graph (d=2, H=64, o=1) and the 728-edge Sierpinski graph as fixed weights", () => {
    const model = new FractalCirculator();
    expect(model.paramCounts()).toEqual({ raw: 325, effective: 325, fixed: 728 });
  });

  it("with G learnable on the Sierpinski support: raw 325 + 64² = 4,421 (Exp 9), effective 325 + 728; regression 4,291", () => {
    expect(new FractalCirculator({ graph: { mode: "learnable" } }).paramCounts()).toEqual({ raw: 4421, effective: 1053, fixed: 0 });
    expect(new FractalCirculator({ inputs: 1, graph: { mode: "learnable" } }).rawParams).toBe(4291);
  });

  it("G is the binarized Sierpinski power (edge i→j iff i AND j = 0, i ≠ j) scaled to spectral radius 0.9", () => {
    const graph = new GraphOperator(16);
    const g = graph.matrix().dataSync();
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) expect(g[i * 16 + j] !== 0).toBe((i & j) === 0 && i !== j);
    expect(radius(graph.matrix())).toBeCloseTo(0.9, 6);
    const factored = new GraphOperator(16, { mode: "factored" });
    expect(radius(factored.matrix())).toBeCloseTo(0.9, 5);
  });

  it("factor-wise graph application equals the materialized K^{⊗k}", () => {
    for (const config of [{ mode: "factored" as const }, { mode: "learnedInitiator" as const, initiatorSize: 4 as const }]) {
      const graph = new GraphOperator(16, config);
      const h = randomInput([3, 16], 1);
      const direct = matmul(h, graph.matrix().cast("float64"), { transposeB: true }).dataSync();
      graph.apply(h).dataSync().forEach((v, i) => expect(v).toBeCloseTo(direct[i], 6));
    }
  });

  it("rejects H that is not a power of the initiator size, T < 0 and dropout ∉ [0, 1)", () => {
    expect(() => new FractalCirculator({ hidden: 48 })).toThrow(ArgumentError);
    expect(() => new FractalCirculator({ hidden: 48 })).toThrow(/hidden must be a power of the initiator size 2 .*got 48/);
    expect(() => new FractalCirculator({ hidden: 8, graph: { mode: "factored", initiatorSize: 4 } })).toThrow(/hidden.*size 4.*got 8/);
    expect(() => new FractalCirculator({ steps: -1 })).toThrow(/steps must be an integer ≥ 0, got -1/);
    expect(() => new FractalCirculator({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
    expect(() => new FractalCirculator({ graph: { kind: "ring" as never } })).toThrow(/graph.kind/);
  });

  it("passes checkGrads: fixed, learnable, residual (Exp 8) and learned-initiator graphs", () => {
    const x = randomInput([3, 2], 2);
    for (const config of [
      { hidden: 8, steps: 3 },
      { hidden: 8, steps: 2, graph: { mode: "learnable" as const } },
      { hidden: 8, steps: 3, update: "residual" as const },
      { hidden: 16, steps: 2, graph: { mode: "learnedInitiator" as const, adapters: true } },
    ]) {
      expect(checkModuleGrads(new FractalCirculator(config), x).ok).toBe(true);
    }
  });

  it("trains on circles (H=64, T=5, fixed graph) to ≥ 95% test accuracy in 200 Adam steps", async () => {
    const data = circles(128, 1);
    const model = new FractalCirculator({ seed: 3 });
    await fit(model, data, { epochs: 200, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "binaryCrossEntropy" });
    expect((await evaluate(model, circles(200, 2), { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe("FractalLayerMLP (Exp 9)", () => {
  it("has 8,513 raw params (d=2, H=64, o=1) with the masked Kronecker layer; 728 of its 4,096 weights effective", () => {
    const model = new FractalLayerMLP();
    expect(model.paramCounts()).toEqual({ raw: 8513, effective: 8513 - 4096 + 728, fixed: 0 });
    expect(new FractalLayerMLP({ layer: "kronecker" }).rawParams).toBe(8513 - 4096 + 6 * 4);
  });

  it("passes checkGrads with both layer kinds and trains on circles to ≥ 95%", async () => {
    const x = randomInput([3, 2], 3);
    expect(checkModuleGrads(new FractalLayerMLP({ hidden: 8, activation: "tanh" }), x).ok).toBe(true);
    expect(checkModuleGrads(new FractalLayerMLP({ hidden: 8, layer: "kronecker", activation: "tanh" }), x).ok).toBe(true);
    const data = circles(128, 1);
    const model = new FractalLayerMLP({ hidden: 16, seed: 1 });
    await fit(model, data, { epochs: 150, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "binaryCrossEntropy" });
    expect((await evaluate(model, circles(200, 2), { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe("RecurrentNet (eq. 17, Exp 5)", () => {
  it("fixes W at the requested spectral radius, with the Kronecker graph's edge count for the random-sparse control", () => {
    const kron = new RecurrentNet({ hidden: 32 });
    const sparse = new RecurrentNet({ hidden: 32, structure: "randomSparse" });
    const dense = new RecurrentNet({ hidden: 32, structure: "dense" });
    expect(radius(kron.recurrent)).toBeCloseTo(0.95, 5);
    expect(kron.fixedParams).toBe(3 ** 5 - 1);
    expect(sparse.fixedParams).toBe(kron.fixedParams);
    expect(dense.fixedParams).toBe(32 * 32);
    expect(kron.rawParams).toBe(32 + 32 + 33);
    expect(() => new RecurrentNet({ structure: "ring" as never })).toThrow(/structure/);
  });

  it("passes checkGrads over a 4-step sequence", () => {
    const x = randomInput([2, 4, 2], 4);
    expect(checkModuleGrads(new RecurrentNet({ inputs: 2, hidden: 8 }), x).ok).toBe(true);
    expect(checkModuleGrads(new RecurrentNet({ inputs: 2, hidden: 8, readout: "last", structure: "dense" }), x).ok).toBe(true);
  });

  it("learns to recall the previous input (delay 1) to MSE < 0.05 in 150 steps", async () => {
    const gen = new Generator(5);
    const x = randn([64, 8, 1], gen).mul(0.5);
    const xs = x.dataSync();
    const y = new Float32Array(64 * 8);
    for (let b = 0; b < 64; b++) for (let t = 1; t < 8; t++) y[b * 8 + t] = xs[b * 8 + t - 1];
    const target = tensor(y, { shape: [64, 8, 1] });
    const model = new RecurrentNet({ hidden: 32, seed: 2 });
    const before = (await evaluate(model, { x, y: target }, { lossFn: "mse" })).loss;
    await fit(model, { x, y: target }, { epochs: 150, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "mse" });
    const after = (await evaluate(model, { x, y: target }, { lossFn: "mse" })).loss;
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(0.05);
  });
});
