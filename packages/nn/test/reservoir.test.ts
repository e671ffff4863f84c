import { matmul } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import {
  Adam, CEN, GRAPH_KINDS, GatedKroneckerReservoir, HSN, KroneckerReservoir, LeakyReservoir, evaluate, fit, ridgeReadout,
} from "../src/index.js";
import { checkModuleGrads, circles, randomInput, sine } from "./helpers.js";

describe("reservoirs (001)", () => {
  it("count (d+1)H + (d+H+1)o learned params: 203 (friedman1 H=16), 26/50/194 (sine H=8/16/64), 35 (d=2, H=8), gated 36", () => {
    expect(new KroneckerReservoir({ inputs: 10, hidden: 16 }).effectiveParams).toBe(203);
    expect(new KroneckerReservoir({ inputs: 1, hidden: 8 }).effectiveParams).toBe(26);
    expect(new KroneckerReservoir({ inputs: 1, hidden: 16 }).effectiveParams).toBe(50);
    expect(new KroneckerReservoir({ inputs: 1, hidden: 64 }).effectiveParams).toBe(194);
    expect(new KroneckerReservoir({ inputs: 2, hidden: 8 }).effectiveParams).toBe(35);
    expect(new GatedKroneckerReservoir({ inputs: 2, hidden: 8 }).effectiveParams).toBe(36);
    expect(new GatedKroneckerReservoir({ inputs: 2, hidden: 8, gate: "vector" }).effectiveParams).toBe(35 + 8);
    expect(new KroneckerReservoir({ inputs: 1, hidden: 32, graph: { kind: "randomSparse" } }).effectiveParams).toBe(98);
    expect(new KroneckerReservoir({ inputs: 2, hidden: 16, graph: { kind: "randomSparse" } }).effectiveParams).toBe(67);
    expect(new KroneckerReservoir({ inputs: 2, hidden: 64, graph: { kind: "noRecurrence" } }).effectiveParams).toBe(259);
    expect(new LeakyReservoir({ inputs: 1, hidden: 8, timescales: { fast: 0.9, slow: 0.1 } }).effectiveParams).toBe(16 + 18);
  });

  it("graph controls share the code path: same learned count (203), fixed count = edges of their G", () => {
    const fixed = Object.fromEntries(GRAPH_KINDS.map((kind) => {
      const model = new KroneckerReservoir({ inputs: 10, hidden: 16, graph: { kind } });
      expect(model.effectiveParams).toBe(203);
      return [kind, model.fixedParams];
    }));
    expect(fixed).toEqual({ kronecker: 80, randomSparse: 80, permutedKronecker: 80, denseRandom: 256, noRecurrence: 0 });
  });

  it("every variant passes checkGrads", () => {
    const x = randomInput([3, 2], 1);
    for (const model of [
      new KroneckerReservoir({ inputs: 2, hidden: 8, steps: 3 }),
      new GatedKroneckerReservoir({ inputs: 2, hidden: 8, steps: 3, gate: "vector" }),
      new LeakyReservoir({ inputs: 2, hidden: 8, steps: 3, timescales: { fast: 0.8, slow: 0.2 } }),
      new KroneckerReservoir({ inputs: 2, hidden: 8, steps: 2, graph: { kind: "permutedKronecker", mode: "learnable" } }),
      new KroneckerReservoir({ inputs: 2, hidden: 16, steps: 2, graph: { mode: "learnedInitiator", initiatorSize: 4, adapters: true } }),
    ]) {
      expect(checkModuleGrads(model, x).ok).toBe(true);
    }
  });

  it("rejects bad configs naming the field", () => {
    expect(() => new KroneckerReservoir({ hidden: 12 })).toThrow(/hidden must be a power of the initiator size 2/);
    expect(() => new KroneckerReservoir({ steps: -2 })).toThrow(/steps must be an integer ≥ 0, got -2/);
    expect(() => new LeakyReservoir({ leak: 0 })).toThrow(/leak must be in \(0, 1\], got 0/);
    expect(() => new GatedKroneckerReservoir({ gate: "matrix" as never })).toThrow(/gate/);
    expect(() => new KroneckerReservoir({ graph: { kind: "denseRandom", mode: "factored" } })).toThrow(/graph.mode "factored" needs kind "kronecker"/);
  });

  it("trains by gradient on sin(2x): H=16 Kronecker reservoir to MSE < 0.01 in 200 Adam steps", async () => {
    const model = new KroneckerReservoir({ inputs: 1, hidden: 16, seed: 1 });
    await fit(model, sine(128, 1), { epochs: 200, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "mse" });
    expect((await evaluate(model, sine(128, 2), { lossFn: "mse" })).loss).toBeLessThan(0.01);
  });

  it("gated and leaky reservoirs learn circles to ≥ 95%", async () => {
    for (const model of [new GatedKroneckerReservoir({ inputs: 2, hidden: 16, seed: 2 }), new LeakyReservoir({ inputs: 2, hidden: 16, seed: 2, timescales: { fast: 0.9, slow: 0.3 } })]) {
      await fit(model, circles(128, 1), { epochs: 200, optimizer: new Adam(model.parameters(), { lr: 0.03 }), lossFn: "binaryCrossEntropy" });
      expect((await evaluate(model, circles(200, 2), { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("ridgeReadout solves the normal equations: the penalized gradient vanishes at the solution", async () => {
    const data = sine(96, 3);
    const model = new KroneckerReservoir({ inputs: 1, hidden: 16, seed: 4 });
    const lambda = 0.01;
    const { mse } = ridgeReadout(model, data.x, data.y, { lambda });
    const f = model.features(data.x).cast("float64");
    const w = model.readout.weight.value.cast("float64");
    const residual = matmul(f, w, { transposeB: true }).add(model.readout.bias!.value.cast("float64")).sub(data.y.cast("float64"));
    // ∂/∂W: Fᵀr + λWᵀ = 0 and ∂/∂b: Σ r = 0 (float32 storage of W limits the precision)
    const gradW = matmul(f, residual, { transposeA: true }).add(w.T.mul(lambda)).dataSync();
    for (const g of gradW) expect(Math.abs(g)).toBeLessThan(1e-3);
    expect(Math.abs(residual.sum().item())).toBeLessThan(1e-3);
    expect(mse).toBeCloseTo(residual.square().mean().item(), 6);
    expect((await evaluate(model, sine(96, 4), { lossFn: "mse" })).loss).toBeLessThan(0.02);
  });
});

describe("brain-inspired models (002)", () => {
  it("CEN: o·H + o = 513 learned params at H=512; the 5% expander's nonzeros are fixed", () => {
    const cen = new CEN();
    expect(cen.paramCounts()).toEqual({ raw: 513, effective: 513, fixed: Math.round(0.05 * 1024) });
    expect(() => new CEN({ density: 0 })).toThrow(/density must be in \(0, 1\], got 0/);
  });

  it("HSN: 897 raw params (d=2) and 865 (d=1), as 002 counts them; 660 effective", () => {
    const hsn = new HSN();
    // DG 2·32 + 32, bridge 32·16 + 16, G 16², CA1 16 + 1
    expect(hsn.paramCounts()).toEqual({ raw: 897, effective: 3 + 32 + 528 + 80 + 17, fixed: 0 });
    expect(new HSN({ inputs: 1 }).rawParams).toBe(865);
    expect(() => new HSN({ ca3Width: 24 })).toThrow(/hidden must be a power of the initiator size 2 .*got 24/);
    expect(() => new HSN({ steps: -1 })).toThrow(/steps/);
    expect(() => new HSN({ dropout: 1.2 })).toThrow(/dropout/);
  });

  it("CEN and HSN pass checkGrads", () => {
    const x = randomInput([3, 2], 5);
    expect(checkModuleGrads(new CEN({ hidden: 16, density: 0.5 }), x).ok).toBe(true);
    expect(checkModuleGrads(new HSN({ dgWidth: 6, ca3Width: 8, steps: 2, density: 0.5 }), x).ok).toBe(true);
  });

  it("CEN with a ridge readout separates circles (≥ 90%); HSN trains on circles to ≥ 95% in 200 steps", async () => {
    const cen = new CEN({ hidden: 128, seed: 1 });
    const train = circles(256, 1);
    ridgeReadout(cen, train.x, train.y.mul(2).sub(1), { lambda: 0.1 });
    expect((await evaluate(cen, circles(200, 2), { lossFn: "mse", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    const hsn = new HSN({ seed: 3, density: 0.25 });
    await fit(hsn, circles(128, 1), { epochs: 200, optimizer: new Adam(hsn.parameters(), { lr: 0.02 }), lossFn: "binaryCrossEntropy" });
    expect((await evaluate(hsn, circles(200, 2), { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
