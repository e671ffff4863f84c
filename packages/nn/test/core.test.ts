import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArgumentError, Generator, ShapeError, kron, matmul, memory, randn, tensor, tidy, zeros } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import {
  Adam, AdamW, CosineSchedule, DenseMLP, Dropout, Embedding, KroneckerLinear, LayerNorm, Linear, Module, SGD, Sequential, SparseLinear,
  StepSchedule, Tanh, accuracy, clipGradNorm, decodeSafetensors, encodeSafetensors, evaluate, fit, loadModule, predict, saveModule,
} from "../src/index.js";
import { checkModuleGrads, circles, randomInput } from "./helpers.js";

describe("Module", () => {
  it("names parameters deterministically, depth first, and counts them", () => {
    const net = new Sequential(new Linear({ inputs: 3, outputs: 4 }), Tanh(), new Linear({ inputs: 4, outputs: 2, bias: false }));
    expect(net.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight"]);
    expect(net.paramCounts()).toEqual({ raw: 12 + 4 + 8, effective: 24, fixed: 0 });
    net.eval();
    expect(net.layers.every((l) => !l.training)).toBe(true);
    net.freeze();
    expect(net.parameters()).toHaveLength(0);
    expect(net.paramCounts()).toEqual({ raw: 0, effective: 0, fixed: 24 });
  });

  it("rejects bad configs with ArgumentError naming the field", () => {
    expect(() => new Linear({ inputs: 0, outputs: 2 })).toThrow(/inputs/);
    expect(() => new SparseLinear({ inputs: 2, outputs: 2, density: 0 })).toThrow(ArgumentError);
    expect(() => new SparseLinear({ inputs: 2, outputs: 2, density: 1.5 })).toThrow(/density must be in \(0, 1\], got 1.5/);
    expect(() => new Dropout(1)).toThrow(/p must be in \[0, 1\), got 1/);
    expect(() => new Dropout(-0.1)).toThrow(ArgumentError);
    expect(() => new DenseMLP({ dropout: 1 })).toThrow(/dropout/);
  });
});

describe("layers", () => {
  it("Linear computes x Wᵀ + b and passes checkGrads", () => {
    const layer = new Linear({ inputs: 3, outputs: 2, seed: 1 });
    const x = randomInput([4, 3], 2);
    const expected = matmul(x, layer.weight.value.cast("float64").T).add(layer.bias!.value.cast("float64"));
    expect(layer.forward(x).dataSync()).toEqual(expected.dataSync());
    expect(checkModuleGrads(layer, x).ok).toBe(true);
  });

  it("SparseLinear keeps exactly round(density·size) weights; CSR and dense paths agree; gradients check", () => {
    const dense = new SparseLinear({ inputs: 8, outputs: 6, density: 0.25, seed: 3, compute: "dense" });
    const csr = new SparseLinear({ inputs: 8, outputs: 6, density: 0.25, seed: 3, compute: "csr" });
    expect(dense.paramCounts()).toEqual({ raw: 54, effective: 12 + 6, fixed: 0 });
    const x = randomInput([5, 8], 4);
    const a = dense.forward(x).dataSync();
    const b = csr.forward(x).dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 10));
    expect(checkModuleGrads(dense, x).ok).toBe(true);
    expect(checkModuleGrads(csr, x).ok).toBe(true);
  });

  it("KroneckerLinear applied factor-wise equals x (A₁⊗A₂⊗A₃)ᵀ; gradients check", () => {
    const layer = new KroneckerLinear({ factors: [[2, 3], [3, 2], [2, 2]], seed: 5 });
    expect(layer.inputs).toBe(12);
    expect(layer.outputs).toBe(12);
    expect(layer.rawParams).toBe(6 + 6 + 4 + 12);
    const [a, b, c] = layer.factors.map((f) => f.value.cast("float64"));
    const w = kron(kron(a, b), c);
    const x = randomInput([3, 12], 6);
    const expected = matmul(x, w, { transposeB: true }).add(layer.bias!.value.cast("float64")).dataSync();
    const got = layer.forward(x).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    expect(layer.denseWeight().shape).toEqual([12, 12]);
    expect(checkModuleGrads(layer, x).ok).toBe(true);
  });

  it("LayerNorm normalizes the last axis and passes checkGrads", () => {
    const norm = new LayerNorm(5);
    const x = randomInput([3, 5], 7);
    const y = norm.forward(x);
    const row = Array.from(y.dataSync().slice(0, 5));
    expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
    expect(checkModuleGrads(norm, x).ok).toBe(true);
  });

  it("Embedding looks rows up and its gradient checks", () => {
    const emb = new Embedding(5, 3, 1);
    const idx = tensor([[0, 4], [2, 2]], { dtype: "int32" });
    const out = emb.forward(idx);
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(out.dataSync().slice(3, 6))).toEqual(Array.from(emb.weight.value.dataSync().slice(12, 15)));
    expect(checkModuleGrads(emb, idx).ok).toBe(true);
  });

  it("Dropout zeroes about p of the entries in training and is the identity in eval", () => {
    const drop = new Dropout(0.5, 9);
    const x = tensor(new Float32Array(4000).fill(1), { shape: [4000] });
    const kept = drop.forward(x).dataSync().filter((v) => v !== 0);
    expect(kept.length / 4000).toBeGreaterThan(0.45);
    expect(kept.length / 4000).toBeLessThan(0.55);
    expect(kept[0]).toBeCloseTo(2);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
  });
});

/** A 1-parameter module for optimizer arithmetic. */
class Scalar extends Module {
  readonly w = this.param("w", tensor([2], { dtype: "float64" }));
  forward(): never {
    throw new Error("unused");
  }
}

function stepOnce(module: Scalar, opt: { step(): void; zeroGrad(): void }) {
  tidy(() => {
    module.w.value.mul(module.w.value).sum().backward(); // d(w²)/dw = 2w
    opt.step();
    opt.zeroGrad();
  });
}

describe("optimizers", () => {
  it("SGD with momentum and Nesterov follows PyTorch's update", () => {
    const m = new Scalar();
    const opt = new SGD(m.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
    stepOnce(m, opt); // g = 4, b = 4, d = 4 + 0.9·4 = 7.6, w = 2 − 0.76
    expect(m.w.value.item()).toBeCloseTo(1.24, 12);
    stepOnce(m, opt); // g = 2.48, b = 0.9·4 + 2.48 = 6.08, d = 2.48 + 0.9·6.08 = 7.952
    expect(m.w.value.item()).toBeCloseTo(1.24 - 0.7952, 12);
  });

  it("Adam's first step moves by lr·sign(g); AdamW also decays the weight", () => {
    const a = new Scalar();
    stepOnce(a, new Adam(a.parameters(), { lr: 0.1 }));
    expect(a.w.value.item()).toBeCloseTo(1.9, 6);
    const b = new Scalar();
    stepOnce(b, new AdamW(b.parameters(), { lr: 0.1, weightDecay: 0.5 }));
    expect(b.w.value.item()).toBeCloseTo(2 * (1 - 0.05) - 0.1, 6);
  });

  it("zeroGrad disposes gradients and training leaks no tensors", () => {
    const m = new Scalar();
    const opt = new Adam(m.parameters(), { lr: 0.1 });
    stepOnce(m, opt);
    const before = memory().tensors;
    for (let i = 0; i < 5; i++) stepOnce(m, opt);
    expect(memory().tensors).toBe(before);
    expect(m.w.value.grad).toBeNull();
  });

  it("clipGradNorm scales all gradients to the max norm", () => {
    const m = new Scalar();
    m.w.value.mul(m.w.value).sum().backward();
    expect(clipGradNorm(m.parameters(), 1)).toBeCloseTo(4);
    expect(m.w.value.grad!.item()).toBeCloseTo(1, 6);
  });

  it("schedules: step decay and cosine with warmup", () => {
    const opt = new SGD(new Scalar().parameters(), { lr: 1 });
    const s = new StepSchedule(opt, { stepSize: 2, gamma: 0.5 });
    expect([s.step(), s.step(), s.step(), s.step()]).toEqual([1, 0.5, 0.5, 0.25]);
    const c = new CosineSchedule(new SGD(new Scalar().parameters(), { lr: 1 }), { total: 10, warmup: 2, min: 0 });
    expect(c.rateAt(0)).toBeCloseTo(0.5);
    expect(c.rateAt(2)).toBeCloseTo(1);
    expect(c.rateAt(6)).toBeCloseTo(0.5);
    expect(c.rateAt(10)).toBeCloseTo(0);
  });

  it("rejects bad hyperparameters", () => {
    expect(() => new Adam(new Scalar().parameters(), { lr: -1 })).toThrow(/lr must be a positive number/);
    expect(() => new SGD(new Scalar().parameters(), { nesterov: true })).toThrow(ArgumentError);
  });
});

describe("fit and evaluate", () => {
  it("trains a DenseMLP on circles to ≥ 95% accuracy in 150 full-batch Adam steps", async () => {
    const data = circles(128, 1);
    const model = new DenseMLP({ width: 16, seed: 2 });
    const result = await fit(model, { x: data.x, y: data.y }, {
      epochs: 150, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "binaryCrossEntropy", metrics: ["accuracy"],
    });
    expect(result.history[0].loss).toBeGreaterThan(0.5);
    const test = circles(200, 3);
    const scores = await evaluate(model, test, { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] });
    expect(scores.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("shuffles mini-batches reproducibly, reports validation, and stops early", async () => {
    const data = circles(96, 4);
    const run = async () => {
      const model = new DenseMLP({ width: 8, seed: 5 });
      const reports: number[] = [];
      const result = await fit(model, data, {
        epochs: 40, batchSize: 32, seed: 11, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "binaryCrossEntropy",
        validation: circles(64, 5), earlyStopping: { patience: 3, minDelta: 10 }, onEpoch: (r) => { reports.push(r.loss); },
      });
      return { result, reports };
    };
    const a = await run();
    const b = await run();
    expect(a.reports).toEqual(b.reports);
    expect(a.result.stoppedEarly).toBe(true);
    expect(a.result.history).toHaveLength(4); // epoch 1 improves from ∞, then 3 without a 10-unit gain
    expect(a.result.history[0].validation!.loss).toBeGreaterThan(0);
  });

  it("accuracy handles logits and class scores; predict batches", async () => {
    expect(await accuracy(tensor([[0.3], [-1], [2]]), tensor([[1], [0], [0]]))).toBeCloseTo(2 / 3);
    expect(await accuracy(tensor([[1, 2], [3, 0]]), tensor([1, 1], { dtype: "int32" }))).toBeCloseTo(0.5);
    const model = new Linear({ inputs: 2, outputs: 1, seed: 1 });
    const x = randn([10, 2], new Generator(1));
    const whole = predict(model, x).dataSync();
    const batched = predict(model, x, 3).dataSync();
    expect(Array.from(batched)).toEqual(Array.from(whole));
  });
});

describe("safetensors", () => {
  const dir = mkdtempSync(join(tmpdir(), "fcn-nn-"));

  it("round-trips a state dict through a file: identical outputs, no temp files left", () => {
    const model = new DenseMLP({ width: 8, seed: 1 });
    const path = join(dir, "mlp.safetensors");
    saveModule(model, path, { model: "DenseMLP" });
    expect(readdirSync(dir)).toEqual(["mlp.safetensors"]);
    const other = new DenseMLP({ width: 8, seed: 99 });
    const x = randn([5, 2], new Generator(3));
    expect(other.forward(x).dataSync()).not.toEqual(model.forward(x).dataSync());
    loadModule(other, path);
    expect(other.forward(x).dataSync()).toEqual(model.forward(x).dataSync());
  });

  it("writes the standard layout: u64 header length, JSON with dtype/shape/data_offsets, little-endian data", () => {
    const bytes = encodeSafetensors({ b: tensor([1.5, -2], { dtype: "float64" }), a: tensor([[1, 2, 3]], { dtype: "int32" }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    // Widest dtype first (as the reference writer), so every tensor's data is aligned to its element size.
    expect(header.b).toEqual({ dtype: "F64", shape: [2], data_offsets: [0, 16] });
    expect(header.a).toEqual({ dtype: "I32", shape: [1, 3], data_offsets: [16, 28] });
    expect((8 + n) % 8).toBe(0);
    expect(new DataView(bytes.buffer).getFloat64(8 + n, true)).toBe(1.5);
    const back = decodeSafetensors(bytes).tensors;
    expect(back.get("b")!.arraySync()).toEqual([1.5, -2]);
    expect(back.get("a")!.dtype).toBe("int32");
  });

  it("loading wrong shapes or names raises typed errors naming the tensor", () => {
    const path = join(dir, "wide.safetensors");
    saveModule(new DenseMLP({ width: 9 }), path);
    expect(() => loadModule(new DenseMLP({ width: 8 }), path)).toThrow(ShapeError);
    expect(() => loadModule(new DenseMLP({ width: 8 }), path)).toThrow(/'layer0.weight' has shape \[9, 2\], expected \[8, 2\]/);
    const deeper = join(dir, "deep.safetensors");
    saveModule(new DenseMLP({ width: 8, hiddenLayers: 3 }), deeper);
    expect(() => loadModule(new DenseMLP({ width: 8 }), deeper)).toThrow(/unexpected tensors 'layer3.bias', 'layer3.weight'/);
    expect(() => loadModule(new DenseMLP({ width: 8, hiddenLayers: 3 }), join(dir, "mlp.safetensors"))).toThrow(/missing tensors 'layer3.weight', 'layer3.bias'/);
    const broken = join(dir, "broken.safetensors");
    const bytes = encodeSafetensors({ w: zeros([2, 2]) });
    writeFileSync(broken, bytes.subarray(0, bytes.length - 4));
    expect(() => loadModule(new DenseMLP(), broken)).toThrow(/'w'/);
    expect(decodeSafetensors(encodeSafetensors({ flag: tensor([true, false]) })).tensors.get("flag")!.dtype).toBe("bool");
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).length).toBeGreaterThan(8);
  });
});
