/**
 * The WebGPU API around the kernels: device selection and readback, errors (no adapter,
 * float64, synchronous reads, validation errors naming the kernel), the program cache and
 * the dispatch layout past 65535 workgroups.
 */
import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import type { WebGPUBackend } from "../../src/backend/webgpu/backend.js";
import { createContext } from "../../src/backend/webgpu/context.js";
import type { NamedProgram } from "../../src/backend/webgpu/program.js";
import { capabilities, hasGpu, on, read } from "./gpu.js";

const backend = () => T.getBackend("webgpu") as WebGPUBackend;

describe("WebGPU without an adapter", () => {
  it("raises a DeviceError that says how to get one", async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    const error = await createContext({ gpu }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(T.DeviceError);
    expect((error as Error).message).toMatch(/No WebGPU adapter/);
    expect((error as Error).message).toMatch(/libegl-mesa0/);
    expect((error as Error).message).toMatch(/docs\/webgpu\.md/);
  });
});

describe.skipIf(!hasGpu)("WebGPU API", () => {
  it("reports capabilities, including shader-f16 as a flag", () => {
    expect(typeof capabilities!.shaderF16).toBe("boolean");
    expect(["core", "compatibility"]).toContain(capabilities!.featureLevel);
    expect(T.webgpuCapabilities()).toBe(capabilities);
  });

  it("moves tensors both ways; synchronous reads raise DeviceErrors that point to the async form", async () => {
    const x = T.tensor([[1.5, -2], [3, 4]]);
    const g = x.to("webgpu");
    expect(g.device).toBe("webgpu");
    expect(await g.array()).toEqual([[1.5, -2], [3, 4]]);
    expect(() => g.item()).toThrow(T.ShapeError);
    expect(() => g.sum().item()).toThrow(/await tensor\.data\(\)/);
    expect(() => g.sum().item()).toThrow(T.DeviceError);
    expect(() => g.dataSync()).toThrow(T.DeviceError);
    expect(() => g.to("cpu")).toThrow(/toAsync\('cpu'\)/);
    const back = await g.mul(2).toAsync("cpu");
    expect(back.device).toBe("cpu");
    expect(back.arraySync()).toEqual([[3, -4], [6, 8]]);
    expect(String(g)).toMatch(/on device/);
    expect(() => T.add(x, g)).toThrow(/different devices/);
  });

  it("float64 raises a DTypeError; int32 labels on the device skip the host range check", async () => {
    expect(() => T.tensor([1, 2], { dtype: "float64" }).to("webgpu")).toThrow(T.DTypeError);
    const logits = on("webgpu", () => T.tensor([[2, 0, 1], [0, 3, 0]]));
    const labels = on("webgpu", () => T.tensor(Int32Array.from([0, 1])));
    const loss = T.crossEntropy(logits, labels);
    const expected = T.crossEntropy(T.tensor([[2, 0, 1], [0, 3, 0]]), T.tensor(Int32Array.from([0, 1]))).item();
    expect((await loss.data())[0]).toBeCloseTo(expected, 6);
  });

  it("turns a validation error into a DeviceError naming the kernel", async () => {
    const b = backend();
    const x = on("webgpu", () => T.ones([4]));
    const storage = x.storage as unknown as { buffer: GPUBuffer };
    const broken: NamedProgram = {
      name: "brokenKernel",
      key: "test|broken",
      bindings: ["rw"],
      uniforms: 1,
      names: ["y"],
      types: ["f32"],
      body: "@compute @workgroup_size(1) fn main() { y[0] = 1u; }",
    };
    b.runtime.run(broken, [storage.buffer], Uint32Array.from([1]), [1, 1, 1]);
    await expect(T.syncWebGPU()).rejects.toThrow(/webgpu kernel 'brokenKernel' failed/);
    // A valid program with a dispatch past the device limits: the error names that kernel too.
    const { program } = (await import("../../src/backend/webgpu/elementwise.js")).elementwiseProgram(
      "neg",
      "-v0",
      [{ storage: x.storage, shape: [4], dtype: "float32" }],
      { shape: [4], dtype: "float32" },
    );
    const out = on("webgpu", () => T.zeros([4]));
    b.runtime.run(program, [storage.buffer, (out.storage as unknown as { buffer: GPUBuffer }).buffer], Uint32Array.from([4, 1, 4]), [70000, 1, 1]);
    const error = await x.data().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(T.DeviceError);
    expect((error as Error).message).toMatch(/webgpu kernel 'neg' failed/);
    // The device keeps working afterwards.
    expect(await read(x.add(1))).toEqual([2, 2, 2, 2]);
  });

  it("compiles one pipeline per program key, not per shape", async () => {
    const first = on("webgpu", () => T.add(T.ones([3, 4]), T.ones([3, 4])));
    await first.data();
    const compiled = T.webgpuStats().pipelines;
    const second = on("webgpu", () => T.add(T.ones([7, 5]), T.ones([7, 5])));
    expect(await read(second)).toEqual(new Array(35).fill(2));
    expect(T.webgpuStats().pipelines).toBe(compiled);
  });

  it("folds dispatches past 65535 workgroups into two dimensions", async () => {
    const n = 65536 * 64 + 129;
    const x = on("webgpu", () => T.arange(n, { dtype: "int32" }));
    const y = await x.add(1).data();
    expect(y.length).toBe(n);
    expect([y[0], y[65535 * 64], y[n - 1]]).toEqual([1, 65535 * 64 + 1, n]);
    expect((await T.sum(x.cast("float32").mul(0).add(1)).data())[0]).toBe(n);
  });
});
