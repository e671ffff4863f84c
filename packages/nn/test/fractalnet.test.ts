import { describe, expect, it } from "vitest";
import { ArgumentError, Generator, type Tensor, concat, crossEntropy, randn, tensor, tidy } from "@fcn/tensor";
import {
  BatchNorm2d, Conv2d, FractalNet, type FractalNetConfig, FractalUnit, SGD, evaluate, fit, fractalColumnConvs, inferFractalNet,
} from "../src/index.js";
import { checkModuleGrads } from "./helpers.js";

const tiny: FractalNetConfig = { columns: 2, blocks: 2, channels: 4, input: [3, 8, 8], classes: 4, dropout: 0, seed: 1 };

/** Oriented gratings (the construction of @fcn/data's syntheticImages): class c at angle πc/classes. */
function images(n: number, seed: number, size = 8, classes = 4) {
  const gen = new Generator(seed);
  const x = new Float32Array(n * 3 * size * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    const angle = (Math.PI * y[i]) / classes;
    const f = 2 + 2 * gen.uniform();
    const phase = 2 * Math.PI * gen.uniform();
    for (let c = 0; c < 3; c++) {
      const g = 0.5 + 0.5 * gen.uniform();
      for (let r = 0; r < size; r++) {
        for (let col = 0; col < size; col++) {
          const wave = Math.cos(2 * Math.PI * f * ((col / size) * Math.cos(angle) + (r / size) * Math.sin(angle)) + phase);
          x[((i * 3 + c) * size + r) * size + col] = g * wave + 0.1 * gen.normal();
        }
      }
    }
  }
  return { x: tensor(x, { shape: [n, 3, size, size] }), y: tensor(y, { shape: [n], dtype: "int32" }) };
}

function gradsOf(model: FractalNet, x: Tensor, y: Tensor): Float32Array[] {
  for (const p of model.parameters()) p.value.grad = null;
  tidy(() => crossEntropy(model.forward(x), y).backward());
  return model.parameters().map((p) => Float32Array.from(p.value.grad!.dataSync()));
}

describe("conv modules", () => {
  it("Conv2d counts PyTorch's parameters and keeps the size with padding 'same'", () => {
    const conv = new Conv2d({ inputs: 3, outputs: 8, kernel: 3, padding: "same" });
    expect(conv.rawParams).toBe(8 * 3 * 9 + 8);
    expect(conv.forward(randn([2, 3, 8, 8], new Generator(0))).shape).toEqual([2, 8, 8, 8]);
    expect(new Conv2d({ inputs: 4, outputs: 8, kernel: 3, groups: 2, bias: false }).rawParams).toBe(8 * 2 * 9);
    expect(() => new Conv2d({ inputs: 3, outputs: 8, kernel: 3, groups: 2 })).toThrow(/groups/);
  });

  it("BatchNorm2d keeps running statistics as buffers and switches with train/eval", () => {
    const bn = new BatchNorm2d(2);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(["runningMean", "runningVar"]);
    const x = randn([4, 2, 3, 3], new Generator(1)).mul(2).add(5);
    bn.forward(x);
    const mean = bn.runningMean.dataSync();
    expect(mean[0]).toBeGreaterThan(0.3); // 0.1 · ~5
    bn.eval();
    const before = Float32Array.from(bn.runningMean.dataSync());
    bn.forward(x);
    expect(Array.from(bn.runningMean.dataSync())).toEqual(Array.from(before));
  });
});

describe("FractalNet template", () => {
  it("expands by f₁ = conv, f_{C+1} = join(f_C ∘ f_C, conv): column c has 2^{c−1} convs, 2^{C−1} − 1 joins", () => {
    for (const columns of [1, 2, 3, 4]) {
      const model = new FractalNet({ ...tiny, columns, blocks: 1, channels: 2 });
      const [block] = model.describe();
      expect(block.columnConvs).toEqual([1, 2, 4, 8].slice(0, columns));
      expect(block.columnConvs).toEqual(fractalColumnConvs(columns));
      expect(block.joins).toBe(2 ** (columns - 1) - 1);
      // The convolutions that exist as parameters: 2^C − 1 per block.
      const convs = model.namedParameters().filter(([n]) => /\.conv\.weight$/.test(n)).length;
      expect(convs).toBe(2 ** columns - 1);
    }
    const n2 = new FractalNet({ ...tiny, N: 2, columns: 3 }).describe();
    expect(n2.map((b) => b.columnConvs)).toEqual([[2, 4, 8], [2, 4, 8]]);
    expect(new FractalNet({ ...tiny, columns: 3, plain: true }).describe()[0]).toEqual({ columnConvs: [4], joins: 0 });
  });

  it("rejects broken configs with an ArgumentError naming the field, before building", () => {
    const cases: [FractalNetConfig, RegExp][] = [
      [{ ...tiny, blocks: 5 }, /blocks = 5/],
      [{ ...tiny, columns: 0 }, /columns/],
      [{ ...tiny, conv: { kernel: 4 } }, /conv\.kernel/],
      [{ ...tiny, conv: { kernel: 3, stride: 2 } }, /conv\.stride/],
      [{ ...tiny, conv: { kernel: 3, padding: 0 } }, /conv\.padding/],
      [{ ...tiny, conv: { kernel: 3, groups: 2 } }, /conv\.groups/],
      [{ ...tiny, norm: "group" as never }, /norm must be batch, layer, none/],
      [{ ...tiny, activation: "swish" as never }, /activation/],
      [{ ...tiny, join: "max" as never }, /join/],
      [{ ...tiny, dropout: 1 }, /dropout/],
      [{ ...tiny, channels: [4, 8, 16] }, /channels must list one width per block/],
    ];
    for (const [config, message] of cases) {
      expect(() => inferFractalNet(config)).toThrow(ArgumentError);
      expect(() => new FractalNet(config)).toThrow(message);
    }
    expect(() => inferFractalNet(tiny)).not.toThrow();
    expect(inferFractalNet(tiny).blocks.map((b) => b.outputSize)).toEqual([[8, 8], [4, 4]]);
  });

  it("every join, norm and activation runs forward to [n, classes]", () => {
    const x = randn([2, 3, 8, 8], new Generator(2));
    for (const join of ["mean", "sum", "concat"] as const) {
      for (const [norm, activation] of [["batch", "relu"], ["layer", "gelu"], ["none", "leakyRelu"], ["batch", "silu"], ["layer", "tanh"]] as const) {
        const y = new FractalNet({ ...tiny, join, norm, activation, dropPath: 0.1, dropout: 0.2 }).forward(x);
        expect(y.shape).toEqual([2, 4]);
        expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      }
    }
  });

  it("checkpointing gives identical gradients (with dropout, drop-path and batch norm) and updates running statistics once", () => {
    const { x, y } = images(8, 3);
    const config: FractalNetConfig = { ...tiny, columns: 3, dropout: 0.2, dropPath: 0.2, join: "concat" };
    const plain = new FractalNet(config);
    const ckpt = new FractalNet({ ...config, checkpoint: true });
    const a = gradsOf(plain, x, y);
    const b = gradsOf(ckpt, x, y);
    expect(b.length).toBe(a.length);
    a.forEach((g, i) => {
      expect(g.some((v) => v !== 0)).toBe(true);
      g.forEach((v, j) => expect(b[i][j]).toBeCloseTo(v, 5));
    });
    const running = (m: FractalNet) => Array.from((m.namedBuffers().find(([n]) => n.endsWith("runningMean"))![1]).dataSync());
    expect(running(ckpt)).toEqual(running(plain));
  });

  it("passes checkGrads (float64) through a FractalNet block", () => {
    const model = new FractalNet({ ...tiny, columns: 2, blocks: 1, channels: 2, input: [2, 4, 4], classes: 2, norm: "batch", join: "mean", activation: "tanh" });
    const x = randn([3, 2, 4, 4], new Generator(4), { dtype: "float64" });
    expect(checkModuleGrads(model, x).ok).toBe(true);
    const layer = new FractalNet({ ...tiny, columns: 2, blocks: 1, channels: 2, input: [2, 4, 4], classes: 2, norm: "layer", join: "concat", activation: "silu" });
    expect(checkModuleGrads(layer, x).ok).toBe(true);
    // The check can fail: a forward that cuts the gradient of the shallow branch is caught.
    const cut = (input: Tensor) => {
      const body = layer.blocks[0].body as FractalUnit;
      const deep = body.second!.forward(body.first!.forward(input));
      const joined = body.projection!.forward(concat([deep, body.shallow!.forward(input).detach()], 1));
      return layer.head.forward(layer.pool.forward(joined).reshape([3, 2]));
    };
    expect(checkModuleGrads(layer, x, cut).ok).toBe(false);
  });

  it("a tiny FractalNet learns the synthetic image set above chance in a fixed number of steps", async () => {
    const train = images(192, 11);
    const test = images(96, 12);
    const model = new FractalNet({ ...tiny, columns: 2, channels: 6, dropout: 0, seed: 3 });
    await fit(model, train, { epochs: 4, batchSize: 16, seed: 0, lossFn: "crossEntropy", optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }) });
    const { metrics } = await evaluate(model, test, { lossFn: "crossEntropy", metrics: ["accuracy"] });
    expect(metrics.accuracy).toBeGreaterThan(0.45); // chance is 0.25
  });
});
