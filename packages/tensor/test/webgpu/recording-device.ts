/**
 * A stand-in GPUDevice that records the WGSL of every shader module and the bytes of every
 * buffer write, and runs nothing. The real WebGPU backend built on it generates exactly the
 * programs it would send to an adapter, so their WGSL can be checked (with naga) for
 * configurations no adapter here offers, such as float16 in f16 buffers.
 */
import { createWebGPUBackend, type WebGPUBackend } from "../../src/backend/webgpu/backend.js";
import type { HalfStorage } from "../../src/backend/webgpu/elements.js";

export interface Recording {
  /** Every shader module created: the program name (its label) and its WGSL. */
  readonly shaders: { name: string; code: string }[];
  /** Every queue.writeBuffer: the bytes written. */
  readonly writes: Uint8Array[];
  /** The program name of every dispatch (programs that share a key compile once under the first name). */
  readonly dispatched: string[];
}

function recordingDevice(recording: Recording): GPUDevice {
  const nothing = () => ({});
  const pass = { setPipeline() {}, setBindGroup() {}, dispatchWorkgroups() {}, end() {} };
  const device = {
    limits: { maxStorageBuffersPerShaderStage: 8, maxComputeInvocationsPerWorkgroup: 256, maxBufferSize: 2 ** 30 },
    createBuffer: ({ size }: GPUBufferDescriptor) => ({ size, destroy() {} }),
    createShaderModule: ({ code, label }: GPUShaderModuleDescriptor) => {
      recording.shaders.push({ name: label ?? "", code });
      return {};
    },
    createComputePipeline: nothing,
    createPipelineLayout: nothing,
    createBindGroupLayout: nothing,
    createBindGroup: nothing,
    createCommandEncoder: () => ({ beginComputePass: () => pass, copyBufferToBuffer() {}, finish: nothing }),
    queue: {
      writeBuffer(_buffer: GPUBuffer, _offset: number, data: ArrayBufferLike, dataOffset = 0, size?: number) {
        recording.writes.push(new Uint8Array(data, dataOffset, size).slice());
      },
      submit() {},
      onSubmittedWorkDone: async () => undefined,
    },
  };
  return device as unknown as GPUDevice;
}

/** The WebGPU backend on a recording device, storing float16 as `halfStorage` says. */
export function recordingBackend(halfStorage: HalfStorage): { backend: WebGPUBackend; recording: Recording } {
  const recording: Recording = { shaders: [], writes: [], dispatched: [] };
  const backend = createWebGPUBackend({
    device: recordingDevice(recording),
    capabilities: {
      shaderF16: halfStorage === "f16",
      halfStorage,
      featureLevel: "core",
      adapter: { vendor: "recording", architecture: "", device: "", description: "records WGSL, runs nothing" },
      maxStorageBuffersPerShaderStage: 8,
      maxComputeInvocationsPerWorkgroup: 256,
      maxBufferSize: 2 ** 30,
      debug: false,
    },
  });
  const run = backend.runtime.run.bind(backend.runtime);
  backend.runtime.run = (program, ...rest) => {
    recording.dispatched.push(program.name);
    run(program, ...rest);
  };
  return { backend, recording };
}
