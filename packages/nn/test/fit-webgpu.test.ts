/**
 * One `fit` for every device: the same model, data and seed trained on the CPU and on WebGPU
 * give the same per-epoch losses to float32 tolerance. Skipped (with the reason printed) when
 * this machine has no WebGPU adapter, except under CI (`CI=true`), where it fails:
 * tools/setup-webgpu.sh installs a software one (Dawn on Mesa's llvmpipe).
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Device, Generator, initWebGPU, setDefaultDevice, tensor } from "@fcn/tensor";
import { Adam, DenseMLP, type EpochReport, FractalNet, SGD, evaluate, fit } from "../src/index.js";

let unavailable = "";
try {
  await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  if (process.env.CI === "true") throw new Error(`the fit CPU/WebGPU parity tests need an adapter under CI: ${unavailable}`, { cause: error });
  console.warn(`[webgpu] skipping the fit CPU/WebGPU parity tests: ${unavailable}`);
}

afterEach(() => setDefaultDevice("cpu"));

/** Points in the plane labelled by the sign of x₀·x₁ (not linearly separable). */
function quadrants(n: number, seed: number) {
  const gen = new Generator(seed);
  const x = Float32Array.from({ length: 2 * n }, () => gen.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(y, { shape: [n, 1] }) };
}

/** Every epoch's training and validation loss of two runs agree to `tolerance` relative to max(1, |loss|). */
function expectSameLosses(cpu: EpochReport[], gpu: EpochReport[], tolerance: number): void {
  expect(gpu).toHaveLength(cpu.length);
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(a)));
  cpu.forEach((c, i) => {
    close(c.loss, gpu[i].loss);
    close(c.validation!.loss, gpu[i].validation!.loss);
  });
}

describe.skipIf(unavailable !== "")("fit on the CPU and on WebGPU", () => {
  it("a DenseMLP with shuffled mini-batches, validation, early stopping and clipping: the same losses to float32 tolerance (3e-5 relative)", async () => {
    const run = async (device: Device) => {
      setDefaultDevice(device);
      const model = new DenseMLP({ width: 16, seed: 3 });
      const result = await fit(model, quadrants(96, 1), {
        epochs: 6, batchSize: 16, seed: 7, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "binaryCrossEntropy",
        metrics: ["accuracy"], validation: quadrants(48, 2), clipNorm: 1, earlyStopping: { patience: 10, restoreBest: true },
      });
      const test = await evaluate(model, quadrants(48, 3), { lossFn: "binaryCrossEntropy", metrics: ["accuracy"], batchSize: 20 });
      return { result, test, device: model.parameters()[0].value.device };
    };
    const cpu = await run("cpu");
    const gpu = await run("webgpu");
    expect(gpu.device).toBe("webgpu");
    expect(cpu.result.history[5].loss).toBeLessThan(cpu.result.history[0].loss);
    // 36 Adam steps let float32 rounding differences grow: measured 2.7e-6 on Dawn's software adapter.
    expectSameLosses(cpu.result.history, gpu.result.history, 3e-5);
    expect(gpu.result.bestEpoch).toBe(cpu.result.bestEpoch);
    expect(Math.abs(gpu.test.loss - cpu.test.loss)).toBeLessThanOrEqual(3e-5);
  });

  it("a FractalNet with checkpointing and dropout, amp on and off: the same losses (float32 to 1e-5, float16 to 1e-2)", async () => {
    const gen = new Generator(5);
    const images = Float32Array.from({ length: 24 * 64 }, () => gen.normal());
    const labels = Int32Array.from({ length: 24 }, (_, i) => i % 3);
    const run = async (device: Device, amp: boolean) => {
      setDefaultDevice(device);
      const data = { x: tensor(images, { shape: [24, 1, 8, 8] }), y: tensor(labels, { dtype: "int32" }) };
      const model = new FractalNet({ columns: 2, blocks: 2, channels: 4, input: [1, 8, 8], classes: 3, dropout: 0.2, dropPath: 0.15, checkpoint: true, seed: 1 });
      return fit(model, data, {
        epochs: 2, batchSize: 8, seed: 0, optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), lossFn: "crossEntropy",
        validation: data, validationBatchSize: 16, amp,
      });
    };
    for (const amp of [false, true]) {
      const cpu = await run("cpu", amp);
      const gpu = await run("webgpu", amp);
      // Measured 1.1e-7 either way on the software adapter (no shader-f16: float16 emulated as on the CPU);
      // adapters with shader-f16 compute in half precision, hence the float16 tolerance.
      expectSameLosses(cpu.history, gpu.history, amp ? 1e-2 : 1e-5);
      if (amp) expect(gpu.history[1].amp).toEqual(cpu.history[1].amp);
    }
  });
});
