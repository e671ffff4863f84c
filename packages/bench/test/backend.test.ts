import { getDefaultDevice } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { type Config, type Experiment, executeConfig, planJobs } from "../src/index.js";

// Reports which device new tensors go to while the run executes.
const probe: Experiment = {
  id: "probe", title: "probe", seedRef: "—", estimate: () => 0,
  grid: (_mode, seeds) => seeds.map((seed) => ({ seed }) as Config),
  run: () => ({ device: getDefaultDevice() }),
  tables: () => ({ tables: [], plots: [], notes: [] }),
};

describe("--backend", () => {
  it("cpu keeps configs as they are; webgpu is part of the config and its hash", () => {
    const cpu = planJobs([probe], "quick", [1, 2]);
    const gpu = planJobs([probe], "quick", [1, 2], undefined, "webgpu");
    expect(cpu.map((j) => j.config)).toEqual([{ seed: 1 }, { seed: 2 }]);
    expect(gpu.map((j) => j.config)).toEqual([{ seed: 1, backend: "webgpu" }, { seed: 2, backend: "webgpu" }]);
    expect(new Set([...cpu, ...gpu].map((j) => j.hash)).size).toBe(4);
  });

  it("a webgpu run executes with webgpu as the default device, then restores cpu", async () => {
    const [job] = planJobs([probe], "quick", [7], undefined, "webgpu");
    const record = await executeConfig(probe, job.config, "quick");
    expect(getDefaultDevice()).toBe("cpu");
    if (record.status === "failed" && process.env.CI !== "true") {
      // No adapter on this machine (tools/setup-webgpu.sh installs one); CI must have it.
      expect(record.error).toMatch(/adapter|WebGPU|webgpu/);
      return;
    }
    expect(record.status).toBe("ok");
    expect(record.metrics.device).toBe("webgpu");
  }, 60_000);
});
