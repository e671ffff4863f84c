/**
 * The FCN models build and train on WebGPU: construction reads no device tensor synchronously
 * (mask counts come from the host arrays the masks are built from), and `fit` gives the CPU's
 * per-epoch losses to float32 tolerance with the same parameter counts. Skipped (with the reason
 * printed) when this machine has no WebGPU adapter, except under CI (`CI=true`), where it fails.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ArgumentError, type Device, initWebGPU, ones, setDefaultDevice, tensor } from "@fcn/tensor";
import { Adam, CEN, FractalCirculator, FractalLayerMLP, HSN, KroneckerReservoir, type Module, Parameter, fit } from "../src/index.js";
import { circles } from "./helpers.js";

let unavailable = "";
try {
  await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  if (process.env.CI === "true") throw new Error(`the FCN models' WebGPU tests need an adapter under CI: ${unavailable}`, { cause: error });
  console.warn(`[webgpu] skipping the FCN models' WebGPU tests: ${unavailable}`);
}

afterEach(() => setDefaultDevice("cpu"));

const MODELS: [string, () => Module][] = [
  ["HSN (sparse DG, learnable CA3 on the Kronecker support)", () => new HSN({ inputs: 2, outputs: 1, seed: 1 })],
  ["FractalCirculator (fixed graph)", () => new FractalCirculator({ inputs: 2, outputs: 1, hidden: 16, seed: 1 })],
  ["FractalCirculator (learnable graph)", () => new FractalCirculator({ inputs: 2, outputs: 1, hidden: 16, graph: { mode: "learnable" }, seed: 1 })],
  ["FractalLayerMLP (masked Kronecker layer)", () => new FractalLayerMLP({ inputs: 2, outputs: 1, hidden: 16, seed: 1 })],
  ["CEN (fixed sparse expander)", () => new CEN({ inputs: 2, outputs: 1, hidden: 64, seed: 1 })],
  ["KroneckerReservoir", () => new KroneckerReservoir({ inputs: 2, outputs: 1, hidden: 16, seed: 1 })],
];

describe("a Parameter's mask count", () => {
  it("is counted on the CPU, checked against maskNonzeros, and a bad count is named", () => {
    const mask = tensor([1, 0, 0, 1, 1, 0], { shape: [2, 3] });
    expect(new Parameter(ones([2, 3]), { mask }).effective).toBe(3);
    expect(new Parameter(ones([2, 3]), { mask, maskNonzeros: 3 }).effective).toBe(3);
    expect(() => new Parameter(ones([2, 3]), { mask, maskNonzeros: 2 })).toThrow(/maskNonzeros is 2 but the mask has 3 nonzeros/);
    expect(() => new Parameter(ones([2, 3]), { mask, maskNonzeros: 7 })).toThrow(ArgumentError);
    expect(() => new Parameter(ones([2, 3]), { mask, maskNonzeros: 1.5 })).toThrow(/maskNonzeros must be an integer in \[0, 6\], got 1.5/);
  });
});

describe.skipIf(unavailable !== "")("FCN models on WebGPU", () => {
  it("a mask on WebGPU takes its count from maskNonzeros, and without one the error says so", () => {
    setDefaultDevice("webgpu");
    const mask = tensor([1, 0, 0, 1, 1, 0], { shape: [2, 3] });
    expect(mask.device).toBe("webgpu");
    expect(new Parameter(ones([2, 3]), { mask, maskNonzeros: 3 }).effective).toBe(3);
    expect(() => new Parameter(ones([2, 3]), { mask })).toThrow(/a mask on 'webgpu' needs maskNonzeros/);
  });

  // Measured on Dawn's software adapter: at most 2.8e-7 between the CPU's and WebGPU's epoch losses.
  it.each(MODELS)("%s builds and trains on WebGPU with the CPU's losses and parameter counts", async (_, build) => {
    const run = async (device: Device) => {
      setDefaultDevice(device);
      const model = build();
      const result = await fit(model, circles(48, 1), {
        epochs: 3, batchSize: 16, seed: 2, optimizer: new Adam(model.parameters(), { lr: 0.02 }), lossFn: "binaryCrossEntropy",
      });
      return { losses: result.history.map((h) => h.loss), counts: model.paramCounts(), device: model.parameters()[0].value.device };
    };
    const cpu = await run("cpu");
    const gpu = await run("webgpu");
    expect(gpu.device).toBe("webgpu");
    expect(gpu.counts).toEqual(cpu.counts);
    expect(gpu.losses).toHaveLength(3);
    gpu.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu.losses[i]))));
  });
});
