/**
 * GradScaler with gradients on WebGPU, where reads are asynchronous. Skipped (with the reason
 * printed) when this machine has no WebGPU adapter; tools/setup-webgpu.sh installs a software one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DeviceError, Generator, autocast, initWebGPU, randn, setDefaultDevice, tensor, tidy } from "@fcn/tensor";
import { GradScaler, Linear, Parameter, SGD, lossFunction } from "../src/index.js";

let unavailable = "";
try {
  await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  console.warn(`[webgpu] skipping the GradScaler WebGPU tests: ${unavailable}`);
}

afterEach(() => setDefaultDevice("cpu"));

describe.skipIf(unavailable !== "")("GradScaler on WebGPU", () => {
  it("step throws a DeviceError naming stepAsync; stepAsync unscales, skips on Infinity, and steps", async () => {
    setDefaultDevice("webgpu");
    const p = new Parameter(tensor([1, 1]));
    const optimizer = new SGD([p], { lr: 1 });
    const scaler = new GradScaler({ initScale: 4 });
    p.value.grad = tensor([4, 8]);
    expect(() => scaler.step(optimizer)).toThrow(DeviceError);
    expect(() => scaler.step(optimizer)).toThrow(/use await scaler\.stepAsync\(optimizer\)/);
    expect(await scaler.stepAsync(optimizer)).toBe(true);
    scaler.update();
    expect(Array.from(await p.value.data())).toEqual([0, -1]);
    optimizer.zeroGrad();
    p.value.grad = tensor([Infinity, 8]);
    expect(await scaler.stepAsync(optimizer)).toBe(false);
    scaler.update();
    expect(Array.from(await p.value.data())).toEqual([0, -1]);
    expect(scaler.getScale()).toBe(2);
    expect(scaler.skippedSteps).toBe(1);
  });

  it("a scaled autocast step of a Linear layer on WebGPU matches the CPU's", async () => {
    const step = async (device: "cpu" | "webgpu") => {
      setDefaultDevice(device);
      const layer = new Linear({ inputs: 4, outputs: 3, seed: 1 });
      const x = randn([8, 4], new Generator(2));
      const y = randn([8, 3], new Generator(3));
      const optimizer = new SGD(layer.parameters(), { lr: 0.1 });
      const scaler = new GradScaler();
      tidy(() => scaler.scale(autocast(() => lossFunction("mse")(layer.forward(x), y))).backward());
      const stepped = await scaler.stepAsync(optimizer);
      scaler.update();
      return { stepped, weight: Array.from(await layer.weight.value.data()) };
    };
    const cpu = await step("cpu");
    const gpu = await step("webgpu");
    expect(gpu.stepped).toBe(true);
    gpu.weight.forEach((v, i) => expect(Math.abs(v - cpu.weight[i])).toBeLessThan(1e-3));
  });
});
