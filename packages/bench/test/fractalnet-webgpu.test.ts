/**
 * `run fractalnet --backend webgpu` at a tiny size: the same runs on the CPU and on WebGPU
 * agree, records carry the backend and throughput, and CPU and WebGPU records never resume
 * from each other. Without an adapter the suite is skipped with the reason printed, except
 * under CI (`CI=true`), where it fails (tools/setup-webgpu.sh installs a software adapter).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initWebGPU } from "@fcn/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { type Backend, type FractalVariant, type RunRecord, type SweepEvent, runSweep, writeVariantFiles } from "../src/index.js";
import { tinyFractal } from "./fixtures/tinyFractal.js";

let unavailable = "";
try {
  await initWebGPU();
} catch (error) {
  unavailable = (error as Error).message;
  if (process.env.CI === "true") throw new Error(`the FractalNet WebGPU tests need an adapter under CI: ${unavailable}`, { cause: error });
  console.warn(`[webgpu] skipping the FractalNet WebGPU tests: ${unavailable}`);
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-fractal-gpu-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Two columns (so a plain twin too), width 4, 8×8 images, 3 steps of 16.
const variant: FractalVariant = { N: 1, columns: 2, blocks: 2, channels: 16, kernel: 3, norm: "batch", activation: "relu", dropout: 0.2, dropPath: 0.15, join: "mean" };
const tiny = { trainSize: 48, validationSize: 32, testSize: 32, channels: 4, epochs: 1 };

/**
 * float32 tolerance: both devices run the same ops in float32 (float16 values under --amp are
 * rounded the same way) but sum in other orders, so the epoch loss may differ in its last
 * bits, amplified over 3 SGD steps: 1e-3 absolute. Accuracy counts hits, so a near-tie logit
 * may flip one of the 32 validation images.
 */
const LOSS_TOLERANCE = 1e-3;
const ACCURACY_TOLERANCE = 1 / tiny.validationSize;

describe.skipIf(unavailable !== "")("run fractalnet --backend webgpu", () => {
  it("matches the CPU run (with and without --amp, --amp with --checkpoint); records stay apart on resume", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [variant]);
    const out = tempDir();
    const plans: number[] = [];
    const sweep = (settings: { backend: Backend; amp?: boolean; checkpoint?: boolean }) => runSweep([tinyFractal(tiny)], {
      mode: "quick", workers: 1, seeds: [5], out, resume: true, backend: settings.backend,
      options: [{ id: "configs", value: configs }, { id: "amp", value: String(settings.amp ?? false) }, { id: "checkpoint", value: String(settings.checkpoint ?? false) }],
      onEvent: (e: SweepEvent) => { if (e.type === "plan") plans.push(e.skipped); },
    });
    const cpu = (await sweep({ backend: "cpu" })).records;
    const gpu = (await sweep({ backend: "webgpu" })).records;
    const cpuAmp = (await sweep({ backend: "cpu", amp: true })).records;
    const gpuAmp = (await sweep({ backend: "webgpu", amp: true })).records;
    const gpuAmpCheckpoint = (await sweep({ backend: "webgpu", amp: true, checkpoint: true })).records;
    // Each setting is new to the shared folder: nothing resumed from another backend's records.
    expect(plans).toEqual([0, 0, 0, 0, 0]);
    for (const records of [cpu, gpu, cpuAmp, gpuAmp, gpuAmpCheckpoint]) {
      expect(records.map((r) => r.status), records.map((r) => r.error).join("; ")).toEqual(["ok", "ok"]);
    }
    const compare = (a: RunRecord[], b: RunRecord[]) => a.forEach((r, i) => {
      const [x, y] = [r.metrics, b[i].metrics];
      expect(Math.abs((x.trainLoss as number[])[0] - (y.trainLoss as number[])[0])).toBeLessThanOrEqual(LOSS_TOLERANCE);
      expect(Math.abs((x.finalValAccuracy as number) - (y.finalValAccuracy as number))).toBeLessThanOrEqual(ACCURACY_TOLERANCE);
      expect(x.lossScale).toBe(y.lossScale);
      expect(x.skippedSteps).toBe(y.skippedSteps);
    });
    compare(gpu, cpu);
    compare(gpuAmp, cpuAmp);
    compare(gpuAmpCheckpoint, gpuAmp);
    // Records: the backend, the adapter on WebGPU, throughput on both, peak bytes of the active device.
    for (const r of [...cpu, ...cpuAmp]) {
      expect(r.metrics.backend).toBe("cpu");
      expect("adapter" in r.metrics).toBe(false);
      expect("backend" in r.config).toBe(false);
    }
    for (const r of [...gpu, ...gpuAmp, ...gpuAmpCheckpoint]) {
      expect(r.metrics.backend).toBe("webgpu");
      expect(r.metrics.adapter).toMatch(/\S/);
      expect(r.config.backend).toBe("webgpu");
    }
    for (const r of [...cpu, ...gpu, ...cpuAmp, ...gpuAmp, ...gpuAmpCheckpoint]) {
      expect(r.metrics.trainImagesPerSecond).toBeGreaterThan(0);
      expect(r.metrics.trainTimeMs).toBeGreaterThan(0);
      expect(r.metrics.peakTensorBytes).toBeGreaterThan(0);
    }
    // The same tensors are live on both devices; WebGPU rounds small buffers up (4-byte
    // elements, bool as u32), so its peak is within 1% of the CPU's.
    gpu.forEach((r, i) => {
      const [g, c] = [r.metrics.peakTensorBytes as number, cpu[i].metrics.peakTensorBytes as number];
      expect(Math.abs(g - c)).toBeLessThanOrEqual(0.01 * c);
    });
    expect(readdirSync(join(out, "fractalnet")).length).toBe(10);
    // Running the WebGPU setting again resumes only from its own records.
    plans.length = 0;
    const again = await sweep({ backend: "webgpu" });
    expect(again.records.length).toBe(0);
    expect(plans).toEqual([2]);
  }, 240_000);

  it("--workers 2: each worker thread gets its own device", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [variant, { ...variant, columns: 1 }]);
    const { records } = await runSweep([tinyFractal({ ...tiny, trainSize: 16, validationSize: 16 })], {
      mode: "quick", workers: 2, seeds: [5], out: tempDir(), backend: "webgpu", options: [{ id: "configs", value: configs }],
    });
    expect(records.map((r) => r.status), records.map((r) => r.error).join("; ")).toEqual(["ok", "ok", "ok"]);
    expect(records.every((r) => r.metrics.backend === "webgpu")).toBe(true);
  }, 240_000);
});

// Only where there is no adapter (never under CI, which requires one).
describe.skipIf(unavailable === "")("run fractalnet --backend webgpu without an adapter", () => {
  it("stops before any run with the adapter message and writes no record (a later --resume would skip failed ones)", async () => {
    const configs = tempDir();
    writeVariantFiles(configs, [variant]);
    const out = tempDir();
    await expect(runSweep([tinyFractal(tiny)], { mode: "quick", workers: 1, seeds: [5], out, resume: true, backend: "webgpu", options: [{ id: "configs", value: configs }] }))
      .rejects.toThrow(/adapter/i);
    expect(readdirSync(out).length).toBe(0);
  });
});
