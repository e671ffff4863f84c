/// <reference types="@webgpu/types" />
import { describe, expect, expectTypeOf, it } from "vitest";
import { DeviceError, type WebGPUEntryPoint, type WebGPUOptions, type WebGPUPowerPreference, initWebGPU } from "../src/index.js";

// The published types spell WebGPU's GPU and GPUPowerPreference out structurally, so consumers
// need no global WebGPU declarations; these checks keep them compatible with the real ones.
describe("WebGPU option types", () => {
  it("accept WebGPU's own GPU object and power preferences (checked by pnpm typecheck)", () => {
    expectTypeOf<GPU>().toExtend<WebGPUEntryPoint>();
    expectTypeOf<GPUPowerPreference>().toEqualTypeOf<WebGPUPowerPreference>();
    expectTypeOf<{ gpu: GPU; powerPreference: GPUPowerPreference }>().toExtend<WebGPUOptions>();
  });

  it("an injected entry point is the one asked for an adapter, with the power preference", async () => {
    const asked: unknown[] = [];
    const gpu: WebGPUEntryPoint = {
      requestAdapter: async (options) => {
        asked.push(options);
        return null;
      },
    };
    await expect(initWebGPU({ gpu, powerPreference: "low-power" })).rejects.toThrow(DeviceError);
    expect(asked).toEqual([{ powerPreference: "low-power" }]);
  });
});
