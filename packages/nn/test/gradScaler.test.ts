import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, DeviceError, Tensor, tensor } from "@fcn/tensor";
import { GradScaler, type Optimizer, Parameter, SGD } from "../src/index.js";

/** One parameter [1, 1] under plain SGD with lr 1, so a step subtracts the (unscaled) gradient. */
function setup() {
  const p = new Parameter(tensor([1, 1]));
  const optimizer = new SGD([p], { lr: 1 });
  const setGrad = (values: number[]) => {
    p.value.grad?.dispose();
    p.value.grad = tensor(values);
  };
  return { p, optimizer, setGrad, values: () => Array.from(p.value.dataSync()) };
}

/** One iteration: gradient `values` (already scaled), step, update; returns whether it stepped. */
function iterate(scaler: GradScaler, optimizer: Optimizer, setGrad: (v: number[]) => void, values: number[]): boolean {
  setGrad(values);
  const stepped = scaler.step(optimizer);
  scaler.update();
  optimizer.zeroGrad();
  return stepped;
}

describe("GradScaler", () => {
  it("has PyTorch's defaults", () => {
    const s = new GradScaler();
    expect(s.getScale()).toBe(65536);
    expect(s.stateDict()).toEqual({ scale: 65536, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000, growthTracker: 0 });
    expect(s.enabled).toBe(true);
  });

  it("grows after growthInterval clean steps, backs off and skips on inf/NaN (exact scales)", () => {
    const { optimizer, setGrad, values } = setup();
    const scaler = new GradScaler({ initScale: 8, growthInterval: 3 });
    const scales: number[] = [];
    const stepped: boolean[] = [];
    const grads = [[8, 16], [8, 16], [8, 16], [Infinity, 0], [16, 16], [16, 16], [Number.NaN, 1], [8, 8], [8, 8], [8, 8]];
    for (const g of grads) {
      stepped.push(iterate(scaler, optimizer, setGrad, g));
      scales.push(scaler.getScale());
    }
    // 3 clean → ×2; inf → ×0.5 and the tracker restarts; 2 clean; NaN → ×0.5; 3 clean → ×2.
    expect(scales).toEqual([8, 8, 16, 8, 8, 8, 4, 4, 4, 8]);
    expect(stepped).toEqual([true, true, true, false, true, true, false, true, true, true]);
    expect(scaler.skippedSteps).toBe(2);
    expect(scaler.lastStepSkipped).toBe(false);
    expect(optimizer.stepCount).toBe(8); // skipped steps do not count (Adam's bias correction sees only real steps)
    // Each gradient divided by the scale of its step: 3 × (1, 2) at 8, 2 × (2, 2) at 8, 3 × (2, 2) at 4.
    expect(values()).toEqual([1 - 3 * 1 - 2 * 2 - 3 * 2, 1 - 3 * 2 - 2 * 2 - 3 * 2]);
  });

  it("divides the gradients by the scale in place, once, before stepping", () => {
    const { p, optimizer, setGrad, values } = setup();
    const scaler = new GradScaler({ initScale: 4 });
    setGrad([2, -6]);
    scaler.unscale(optimizer);
    expect(Array.from(p.value.grad!.dataSync())).toEqual([0.5, -1.5]);
    expect(scaler.step(optimizer)).toBe(true); // does not unscale again
    expect(values()).toEqual([0.5, 2.5]);
    scaler.update();
    expect(scaler.getGrowthTracker()).toBe(1);
  });

  it("keeps the parameters bit-for-bit when one gradient entry is Infinity or NaN", () => {
    for (const bad of [Infinity, -Infinity, Number.NaN]) {
      const a = new Parameter(tensor([0.1, 0.2, 0.3]));
      const b = new Parameter(tensor([[0.4, 0.5]]));
      const optimizer = new SGD([a, b], { lr: 0.1, momentum: 0.9 });
      const scaler = new GradScaler({ initScale: 1024 });
      const before = [Array.from(a.value.dataSync()), Array.from(b.value.dataSync())];
      a.value.grad = tensor([1, 2, 3]);
      b.value.grad = tensor([[4, bad]]);
      expect(scaler.step(optimizer)).toBe(false);
      scaler.update();
      expect([Array.from(a.value.dataSync()), Array.from(b.value.dataSync())]).toEqual(before);
      expect(scaler.getScale()).toBe(512);
      expect(scaler.lastStepSkipped).toBe(true);
      expect(optimizer.stepCount).toBe(0);
    }
  });

  it("does not grow past the largest float32 (PyTorch keeps the scale finite)", () => {
    const { optimizer, setGrad } = setup();
    const scaler = new GradScaler({ initScale: 2 ** 127, growthInterval: 1 });
    iterate(scaler, optimizer, setGrad, [1, 1]);
    expect(scaler.getScale()).toBe(2 ** 127);
    expect(scaler.getGrowthTracker()).toBe(0);
    scaler.update(3);
    expect(scaler.getScale()).toBe(3);
  });

  it("scale(loss) multiplies by the scale; disabled, everything passes through", () => {
    const loss = tensor(1.5);
    expect(new GradScaler({ initScale: 4 }).scale(loss).item()).toBe(6);
    const { optimizer, setGrad, values } = setup();
    const off = new GradScaler({ enabled: false });
    expect(off.getScale()).toBe(1);
    expect(off.scale(loss)).toBe(loss);
    setGrad([1, Infinity]);
    off.unscale(optimizer);
    expect(off.step(optimizer)).toBe(true); // no check: a plain step, as PyTorch's disabled scaler
    off.update();
    expect(values()).toEqual([0, -Infinity]);
    expect(off.stateDict()).toEqual({});
    expect(() => off.loadStateDict({ scale: 2 })).toThrow(ArgumentError);
  });

  it("round-trips its state and refuses mismatched or empty states", () => {
    const { optimizer, setGrad } = setup();
    const a = new GradScaler({ initScale: 32, growthInterval: 5 });
    iterate(a, optimizer, setGrad, [1, 1]);
    iterate(a, optimizer, setGrad, [Infinity, 1]);
    iterate(a, optimizer, setGrad, [1, 1]);
    const state = a.stateDict();
    const b = new GradScaler({ growthInterval: 5 });
    b.loadStateDict(state);
    expect(b.stateDict()).toEqual(state);
    expect(b.getScale()).toBe(16);
    expect(b.getGrowthTracker()).toBe(1);
    expect(() => new GradScaler().loadStateDict(state)).toThrow(/growthInterval 5 differs from this scaler's 2000/);
    expect(() => b.loadStateDict({})).toThrow(/no scale/);
    expect(() => b.loadStateDict({ ...state, growthTracker: 5 })).toThrow(/growthTracker must be an integer in \[0, 5\), got 5/);
  });

  it("validates its options with ArgumentError naming the option and the value", () => {
    const cases: [ConstructorParameters<typeof GradScaler>[0], RegExp][] = [
      [{ initScale: 0 }, /initScale must be a positive finite float32, got 0/],
      [{ initScale: Infinity }, /initScale .* got Infinity/],
      [{ initScale: 1e39 }, /initScale .* got 1e\+39/],
      [{ growthFactor: 1 }, /growthFactor must be a finite number > 1, got 1/],
      [{ backoffFactor: 1 }, /backoffFactor must be in \(0, 1\), got 1/],
      [{ backoffFactor: 0 }, /backoffFactor must be in \(0, 1\), got 0/],
      [{ growthInterval: 2.5 }, /growthInterval must be a positive integer, got 2.5/],
      [{ growthInterval: 0 }, /growthInterval must be a positive integer, got 0/],
      [{ enabled: "yes" as unknown as boolean }, /enabled must be a boolean, got yes/],
    ];
    for (const [options, message] of cases) {
      expect(() => new GradScaler(options)).toThrow(ArgumentError);
      expect(() => new GradScaler(options)).toThrow(message);
    }
    expect(() => new GradScaler().update(-1)).toThrow(/newScale\) must be a positive finite float32, got -1/);
  });

  it("enforces PyTorch's call order: unscale and step once per optimizer between updates", () => {
    const { optimizer, setGrad } = setup();
    const scaler = new GradScaler();
    expect(() => scaler.update()).toThrow(/no inf\/NaN checks were recorded/);
    setGrad([1, 1]);
    scaler.unscale(optimizer);
    expect(() => scaler.unscale(optimizer)).toThrow(/already called on this optimizer/);
    scaler.step(optimizer);
    expect(() => scaler.step(optimizer)).toThrow(/step\(\) was already called/);
    expect(() => scaler.unscale(optimizer)).toThrow(/after step\(\)/);
    scaler.update();
    expect(() => scaler.step(optimizer)).not.toThrow();
  });

  it("refuses float16 gradients (unscaled, they would overflow again) with a DTypeError", () => {
    const p = new Parameter(tensor([1, 2], { dtype: "float16" }));
    p.value.grad = tensor([1, 1], { dtype: "float16" });
    expect(() => new GradScaler().step(new SGD([p]))).toThrow(DTypeError);
    expect(() => new GradScaler().step(new SGD([p]))).toThrow(/parameter 0 \[2\] has float16 gradients/);
  });

  it("stepAsync gives step's result; gradients without synchronous reads need the async form", async () => {
    const sync = setup();
    const viaAsync = setup();
    const a = new GradScaler({ initScale: 2, growthInterval: 1 });
    const b = new GradScaler({ initScale: 2, growthInterval: 1 });
    for (const g of [[2, 4], [Infinity, 4], [2, 2]]) {
      sync.setGrad(g);
      viaAsync.setGrad(g);
      const s1 = a.step(sync.optimizer);
      const s2 = await b.stepAsync(viaAsync.optimizer);
      a.update();
      b.update();
      expect(s2).toBe(s1);
      expect(b.getScale()).toBe(a.getScale());
      sync.optimizer.zeroGrad();
      viaAsync.optimizer.zeroGrad();
    }
    expect(viaAsync.values()).toEqual(sync.values());
    // A gradient on a device that can only be read asynchronously (as WebGPU): the sync forms say which to use.
    const { p, optimizer } = setup();
    const host = tensor([1, 1]);
    const storage = { ...host.storage, backend: { ...host.backend, device: "webgpu" as const, readSync: undefined } };
    p.value.grad = new Tensor(storage as typeof host.storage, [2], "float32");
    const scaler = new GradScaler();
    expect(() => scaler.step(optimizer)).toThrow(DeviceError);
    expect(() => scaler.step(optimizer)).toThrow(/gradients on 'webgpu' cannot be read synchronously .* use await scaler\.stepAsync\(optimizer\)/);
    expect(() => scaler.unscale(optimizer)).toThrow(/use await scaler\.unscaleAsync\(optimizer\)/);
  });
});
