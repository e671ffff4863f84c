import { DeviceError } from "../errors.js";
import type { Backend, Device } from "./backend.js";
import { cpuBackend } from "./cpu/index.js";

const backends = new Map<Device, Backend>([["cpu", cpuBackend]]);
let current: Device = "cpu";

/** Makes a backend available under its device name (replacing any previous one). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

export function getBackend(device: Device = current): Backend {
  const backend = backends.get(device);
  if (!backend) {
    const hint = device === "webgpu" ? " (call `await initWebGPU()` first)" : "";
    throw new DeviceError(`no backend registered for device '${device}'${hint}`);
  }
  return backend;
}

/** The device new tensors are created on. */
export function setDefaultDevice(device: Device): void {
  getBackend(device);
  current = device;
}

export function getDefaultDevice(): Device {
  return current;
}
