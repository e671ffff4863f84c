/**
 * Mixed-precision training end to end: float16 activations under autocast, float32 master
 * weights, dynamic loss scaling. Finite-difference checks mean little in float16, so float16
 * runs are compared with float32 runs at stated tolerances instead.
 */
import { describe, expect, it } from "vitest";
import { Generator, autocast, crossEntropy, randn, tensor, tidy } from "@fcn/tensor";
import { Adam, DenseMLP, FractalNet, type FractalNetConfig, GradScaler, Linear, type Module, SGD, fit, lossFunction } from "../src/index.js";
import { circles } from "./helpers.js";

const bce = lossFunction("binaryCrossEntropy");
const snapshot = (m: Module) => m.parameters().map((p) => Float32Array.from(p.value.dataSync()));

describe("autocast in nn layers", () => {
  it("Linear under autocast gives float16 like PyTorch's (bias cast down), float32 grads for its parameters", () => {
    const layer = new Linear({ inputs: 3, outputs: 4, seed: 1 });
    const x = randn([5, 3], new Generator(2));
    const y16 = autocast(() => layer.forward(x));
    expect(y16.dtype).toBe("float16");
    expect(layer.forward(x).dtype).toBe("float32"); // outside autocast nothing changes
    autocast(() => y16.sum()).backward();
    expect(layer.weight.value.grad!.dtype).toBe("float32");
    expect(layer.bias!.value.grad!.dtype).toBe("float32");
    // Within half precision of the float32 layer (|y| ≲ 2, half spacing 2^-10 at 1).
    const y32 = layer.forward(x).dataSync();
    y16.dataSync().forEach((v, i) => expect(Math.abs(v - y32[i])).toBeLessThan(4e-3));
  });
});

describe("loss scaling under autocast", () => {
  it("recovers from a genuine overflow: scale 2^40 overflows float16 activation gradients, the step is skipped, the scale backs off, then training proceeds", () => {
    const data = circles(64, 1);
    const model = new DenseMLP({ width: 16, seed: 3 });
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    const scaler = new GradScaler({ initScale: 2 ** 40, growthInterval: 1000 });
    const step = () => tidy(() => {
      const loss = autocast(() => bce(model.forward(data.x), data.y));
      scaler.scale(loss).backward();
      const stepped = scaler.step(optimizer);
      scaler.update();
      optimizer.zeroGrad();
      return { loss: loss.item(), stepped };
    });

    const before = snapshot(model);
    const first = step();
    expect(first.stepped).toBe(false);
    expect(snapshot(model)).toEqual(before); // bit for bit
    expect(scaler.getScale()).toBe(2 ** 39);

    const losses = [first.loss];
    const stepped = [first.stepped];
    for (let i = 0; i < 60; i++) {
      const r = step();
      losses.push(r.loss);
      stepped.push(r.stepped);
    }
    // Activation gradients are ~scale·1e-3: they fit float16 (< 65504) only once the scale is ≲ 2^26,
    // so a run of leading steps is skipped, each halving the scale; later an occasional skip as gradients grow.
    const leading = stepped.indexOf(true);
    expect(leading).toBeGreaterThan(10);
    expect(leading).toBeLessThan(30);
    expect(losses.slice(0, leading + 1)).toEqual(Array(leading + 1).fill(losses[0])); // nothing moved while skipping
    const skipped = stepped.filter((s) => !s).length;
    expect(scaler.skippedSteps).toBe(skipped);
    expect(skipped - leading).toBeLessThanOrEqual(3);
    expect(scaler.getScale()).toBe(2 ** (40 - skipped));
    expect(optimizer.stepCount).toBe(61 - skipped);
    // Then training proceeds: the loss falls well below its starting value.
    expect(losses[losses.length - 1]).toBeLessThan(0.3 * losses[0]);
  });

  it("an Infinity or NaN injected into one gradient skips that step only", () => {
    const data = circles(32, 2);
    const model = new DenseMLP({ width: 8, seed: 4 });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const scaler = new GradScaler({ initScale: 1024 });
    const iterate = (inject: number | null) => tidy(() => {
      scaler.scale(autocast(() => bce(model.forward(data.x), data.y))).backward();
      if (inject !== null) {
        const g = model.parameters()[2].value.grad!;
        const values = Float32Array.from(g.dataSync());
        values[values.length - 1] = inject;
        g.assign(tensor(values, { shape: [...g.shape] }));
      }
      const stepped = scaler.step(optimizer);
      scaler.update();
      optimizer.zeroGrad();
      return stepped;
    });
    expect(iterate(null)).toBe(true);
    for (const bad of [Infinity, Number.NaN]) {
      const before = snapshot(model);
      expect(iterate(bad)).toBe(false);
      expect(snapshot(model)).toEqual(before);
    }
    expect(scaler.getScale()).toBe(256);
    expect(iterate(null)).toBe(true);
    expect(scaler.skippedSteps).toBe(2);
  });

  it("fit({ amp: true }) follows the float32 run's loss curve (within 0.005 per epoch) and reports the scale", async () => {
    const data = circles(128, 5);
    const run = (amp: boolean) => {
      const model = new DenseMLP({ width: 16, seed: 7 });
      return fit(model, data, { epochs: 8, batchSize: 32, seed: 1, lossFn: "binaryCrossEntropy", optimizer: new Adam(model.parameters(), { lr: 0.02 }), amp });
    };
    const full = (await run(false)).history;
    const mixed = (await run(true)).history;
    const last = (h: typeof full) => h[h.length - 1].loss;
    expect(last(full)).toBeLessThan(0.3 * full[0].loss);
    // Every epoch's mean loss within 0.005 of the float32 run's (measured: ≤ 3e-4).
    mixed.forEach((h, i) => expect(Math.abs(h.loss - full[i].loss)).toBeLessThan(0.005));
    expect(full[0].amp).toBeUndefined();
    expect(mixed[mixed.length - 1].amp).toEqual({ scale: 65536, skippedSteps: 0 });
    // Metrics are computed on a float32 copy of the float16 prediction.
    const model16 = new DenseMLP({ width: 16, seed: 7 });
    const scored = (await fit(model16, data, { epochs: 1, lossFn: "mse", metrics: ["mse", "loss"], optimizer: new SGD(model16.parameters()), amp: true })).history[0];
    expect(scored.metrics.mse).toBeCloseTo(scored.loss, 3);
    expect(scored.metrics.loss).toBeCloseTo(scored.loss, 3);
    // A scaler passed in is the one used (its skipped steps are visible to the caller).
    const scaler = new GradScaler({ initScale: 2 ** 40 });
    const model = new DenseMLP({ width: 16, seed: 7 });
    const h = (await fit(model, data, { epochs: 2, batchSize: 32, lossFn: "binaryCrossEntropy", optimizer: new Adam(model.parameters()), amp: scaler })).history;
    expect(scaler.skippedSteps).toBe(8); // every step of both epochs overflows, scale 2^40 → 2^32
    expect(h[1].amp).toEqual({ scale: 2 ** 32, skippedSteps: 8 });
  });
});

describe("FractalNet under autocast", () => {
  const config: FractalNetConfig = { columns: 2, blocks: 2, channels: 4, input: [3, 8, 8], classes: 4, dropout: 0.2, dropPath: 0.15, seed: 1 };
  const x = randn([4, 3, 8, 8], new Generator(9));
  const y = tensor([0, 1, 2, 3], { dtype: "int32" });
  const gradients = (checkpoint: boolean, amp: boolean): Float32Array[] => {
    const model = new FractalNet({ ...config, checkpoint });
    const loss = autocast(() => crossEntropy(model.forward(x), y), { enabled: amp });
    loss.mul(amp ? 1024 : 1).backward();
    return model.parameters().map((p) => {
      const g = Float32Array.from(p.value.grad!.dataSync());
      if (amp) g.forEach((v, i) => (g[i] = v / 1024));
      return g;
    });
  };

  it("checkpointing under autocast gives the same gradients as autocast alone (bit for bit), close to float32's", () => {
    const plain = gradients(false, true);
    const checkpointed = gradients(true, true);
    expect(checkpointed).toEqual(plain);
    // Against float32: float16 activations (11-bit significands) through ~6 layers; 1% of the largest gradient entry per tensor (measured: ≤ 0.2%).
    const reference = gradients(false, false);
    reference.forEach((ref, t) => {
      const scale = Math.max(...ref.map(Math.abs));
      ref.forEach((v, i) => expect(Math.abs(plain[t][i] - v)).toBeLessThanOrEqual(0.01 * scale + 1e-6));
    });
  });
});

