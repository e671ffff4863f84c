import { Generator, randint, tensor } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { Adam, FractalCirculator, GraphOperator, KroneckerMixer, KroneckerReservoir, evaluate, fit } from "../src/index.js";
import { checkModuleGrads, randomInput, sine } from "./helpers.js";

describe("learned initiator and rank-1 factor adapters (001 §10)", () => {
  it("a learned 2×2 or 4×4 initiator adds 4 or 16 learned params; adapters add 2m per factor and loop", () => {
    const base = new KroneckerReservoir({ inputs: 1, hidden: 16 }).effectiveParams;
    expect(new KroneckerReservoir({ inputs: 1, hidden: 16, graph: { mode: "learnedInitiator" } }).effectiveParams).toBe(base + 4);
    expect(new KroneckerReservoir({ inputs: 1, hidden: 16, graph: { mode: "learnedInitiator", initiatorSize: 4 } }).effectiveParams).toBe(base + 16);
    // T = 5 loops × k = 4 factors × (u, v ∈ ℝ²)
    expect(new KroneckerReservoir({ inputs: 1, hidden: 16, graph: { mode: "factored", adapters: true } }).effectiveParams).toBe(base + 5 * 4 * 4);
    expect(() => new KroneckerReservoir({ graph: { mode: "fixed", adapters: true } })).toThrow(/adapters need mode/);
  });

  it("gradients reach the initiator through every Kronecker factor (checkGrads on the graph alone)", () => {
    const graph = new GraphOperator(8, { mode: "learnedInitiator", adapters: true }, { steps: 2 });
    const h = randomInput([3, 8], 1);
    expect(checkModuleGrads(graph, h, (x) => graph.apply(x, 1)).ok).toBe(true);
    expect(checkModuleGrads(graph, h, (x) => graph.apply(graph.apply(x, 0), 1)).ok).toBe(true);
  });

  it("adapters start as the base graph (u = 0) and training moves the initiator", async () => {
    const graph = new GraphOperator(8, { mode: "factored", adapters: true }, { steps: 3 });
    const a = graph.matrix(0).dataSync();
    const b = graph.matrix(2).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    const model = new FractalCirculator({ inputs: 1, hidden: 8, steps: 3, graph: { mode: "learnedInitiator" }, seed: 2 });
    const before = Array.from(model.graph.namedParameters()[0][1].value.dataSync());
    await fit(model, sine(64, 1), { epochs: 60, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "mse" });
    const after = Array.from(model.graph.namedParameters()[0][1].value.dataSync());
    expect(after).not.toEqual(before);
    expect((await evaluate(model, sine(64, 2), { lossFn: "mse" })).loss).toBeLessThan(0.05);
  });
});

describe("KroneckerMixer (001 §10 design 2)", () => {
  it("counts its params: fixed token graph adds none, a learned initiator adds m² per block", () => {
    const mixer = new KroneckerMixer({ tokens: 16, inputs: 3, classes: 4, channels: 8 });
    // embed 4·8, per block 2 LayerNorms (2·16) + up 9·16 + down 17·8, final norm 16, head 9·4
    expect(mixer.rawParams).toBe(32 + 2 * (32 + 144 + 136) + 16 + 36);
    expect(mixer.fixedParams).toBe(2 * 80);
    expect(new KroneckerMixer({ tokens: 16, inputs: 3, classes: 4, channels: 8, graph: { mode: "learnedInitiator" } }).rawParams).toBe(mixer.rawParams + 2 * 4);
    expect(() => new KroneckerMixer({ tokens: 12, inputs: 3, classes: 4 })).toThrow(/hidden must be a power of the initiator size 2 .*got 12/);
  });

  it("passes checkGrads", () => {
    const model = new KroneckerMixer({ tokens: 4, inputs: 2, classes: 2, channels: 2, hidden: 3, steps: 2, graph: { mode: "learnedInitiator" } });
    expect(checkModuleGrads(model, randomInput([2, 4, 2], 3)).ok).toBe(true);
  });

  it("learns label = first token on N=8 sequences (no position embedding: only the graph tells tokens apart) to ≥ 90% in 40 Adam steps", async () => {
    const gen = new Generator(4);
    const make = (n: number) => {
      const bits = randint(0, 2, [n, 8], gen).dataSync();
      return { x: tensor(Float32Array.from(bits), { shape: [n, 8, 1] }), y: tensor(Int32Array.from({ length: n }, (_, i) => bits[i * 8]), { shape: [n], dtype: "int32" }) };
    };
    const model = new KroneckerMixer({ tokens: 8, inputs: 1, classes: 2, channels: 8, seed: 1 });
    await fit(model, make(128), { epochs: 40, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "crossEntropy" });
    const acc = (await evaluate(model, make(200), { lossFn: "crossEntropy", metrics: ["accuracy"] })).metrics.accuracy;
    expect(acc).toBeGreaterThanOrEqual(0.9);
  });
});
