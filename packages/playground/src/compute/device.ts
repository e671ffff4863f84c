/**
 * Which tensor device training runs on, and why: WebGPU when the browser exposes navigator.gpu
 * and gives an adapter and device, the CPU otherwise (or when the page asks for it).
 */
import { initWebGPU, setDefaultDevice, webgpuCapabilities } from "@fcn/tensor";

export type DeviceName = "cpu" | "webgpu";
export type DevicePreference = "auto" | "cpu";

export interface DeviceChoice {
  readonly device: DeviceName;
  /** One sentence for the page: which device, and why. */
  readonly why: string;
}

export async function chooseDevice(preference: DevicePreference): Promise<DeviceChoice> {
  if (preference === "cpu") return { device: "cpu", why: "the CPU was chosen on the page" };
  if (typeof navigator === "undefined" || !("gpu" in navigator) || !navigator.gpu) {
    return { device: "cpu", why: "this browser has no WebGPU (navigator.gpu is missing in the worker)" };
  }
  try {
    await initWebGPU();
    const { vendor, architecture, device, description } = webgpuCapabilities().adapter;
    const adapter = [vendor, architecture, device, description].filter(Boolean).join(" / ") || "unnamed adapter";
    // A software adapter (SwiftShader, llvmpipe) runs WebGPU on the CPU: correct, but slower than the CPU backend.
    const software = /swiftshader|llvmpipe|lavapipe|software/i.test(adapter);
    const hint = software ? "; it is a software renderer, so the CPU choice above is usually faster" : "";
    return { device: "webgpu", why: `the browser gave a WebGPU adapter (${adapter})${hint}` };
  } catch (error) {
    return { device: "cpu", why: `WebGPU is present but gave no device: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** New tensors (model, data, batches) are created on this device. */
export function activate(device: DeviceName): void {
  setDefaultDevice(device);
}
