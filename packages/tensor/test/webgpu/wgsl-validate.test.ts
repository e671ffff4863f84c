/**
 * Every WGSL program the WebGPU backend generates, validated with naga (wgpu's WGSL
 * compiler, as WebAssembly), for float32, float16, int32 and bool tensors and for both
 * float16 storages: f16 buffers (`enable f16;`, what adapters with shader-f16 run; none
 * here has it) and f32 buffers of half values. The backend runs on a recording device
 * (no adapter needed): a workload of ops over representative shapes and operand layouts
 * drives every kernel, and the test checks that every kernel of the table (and the fused
 * optimizer steps) produced at least one program per float dtype. Also: float16 uploads
 * become f16 bits (2 bytes each, padded to 4) in f16 storage and rounded f32 otherwise.
 */
import { parseWgsl, validate } from "naga-wasm";
import { afterEach, describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { createContext } from "../../src/backend/webgpu/context.js";
import { decodeElements, encodeElements, storageBytes, type HalfStorage } from "../../src/backend/webgpu/elements.js";
import { recordingBackend } from "./recording-device.js";

afterEach(() => T.setDefaultDevice("cpu"));

const UNARY = ["neg", "exp", "log", "sqrt", "abs", "sign", "sin", "cos", "tanh", "sigmoid", "relu", "erf"] as const;
const BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum"] as const;
const COMPARE = ["equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual"] as const;
const DTYPES: T.DType[] = ["float32", "float16", "int32", "bool"];

const ramp = (shape: number[], dtype: T.DType) => T.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape).cast(dtype);

/** Ops on `dtype` tensors (on the default device) that reach every kernel the dtype has. */
function workload(dtype: T.DType): void {
  const float = dtype === "float32" || dtype === "float16";
  const a = ramp([4, 5], dtype);
  const row = ramp([5], dtype);
  // Elementwise, in the three operand layouts: same shape, broadcast, single element.
  if (dtype !== "bool") {
    for (const op of dtype === "int32" ? (["neg", "abs", "sign", "relu"] as const) : UNARY) T[op](a);
    for (const op of BINARY) {
      T[op](a, a);
      T[op](a, row);
      T[op](a, 2);
    }
  }
  for (const op of COMPARE) T[op](a, row);
  T.where(T.greater(a, row), a, row);
  for (const to of DTYPES) if (to !== dtype) a.cast(to);
  // Reductions: per-output (≤ 64 elements), one workgroup per output, and two passes (> 16384).
  if (dtype !== "bool") {
    for (const r of ["sum", "prod", "max", "min"] as const) {
      T[r](a, 1);
      T[r](ramp([3, 100], dtype), 1);
      T[r](ramp([1, 20000], dtype));
    }
    T.argmax(a, 1);
    T.argmin(a, 0);
  }
  if (float) {
    T.softmax(a, 1);
    T.logSoftmax(a, 0);
  }
  // Movement.
  T.permute(a, [1, 0]);
  T.slice(a, [1, 1], [3, 4]);
  T.broadcastTo(row, [3, 5]);
  T.pad(a, [[1, 0], [0, 2]], 1);
  T.concat([a, a], 0);
  const idx = T.tensor(Int32Array.from([2, 0, 2]));
  T.gather(a, idx, 0);
  if (dtype !== "bool") T.scatterAdd(a, idx, ramp([3, 5], dtype), 0);
  if (dtype === "bool") return;
  // Matmul in all four transposed forms and with broadcast batches.
  const square = ramp([4, 4], dtype);
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) T.matmul(square, square, { transposeA: ta, transposeB: tb });
  T.matmul(ramp([2, 4, 5], dtype), ramp([5, 3], dtype));
  if (!float) return;
  // Convolutions and pooling, with the backward primitives; sparse products; optimizer steps.
  const x = ramp([1, 2, 6, 6], dtype);
  const w = ramp([4, 2, 3, 3], dtype);
  T.grad((xs: T.Tensor, ws: T.Tensor) => T.sum(T.conv2d(xs, ws, { padding: 1, stride: 2 })))(x, w);
  T.grad((xs: T.Tensor) => T.sum(T.maxPool2d(xs, 2)))(x);
  const values = ramp([4], dtype);
  const sparse = (v: T.Tensor) => T.SparseMatrix.fromCOO([0, 1, 1, 3], [2, 0, 3, 1], v, [4, 4]);
  T.grad((v: T.Tensor, d: T.Tensor) => T.sum(T.spmm(sparse(v), d)))(values, ramp([4, 3], dtype));
  const p = ramp([8], dtype);
  T.adamUpdate(p, ramp([8], dtype), T.zerosLike(p), T.zerosLike(p), { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
  T.sgdUpdate(p, ramp([8], dtype), T.zerosLike(p), { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, firstStep: true });
}

/** Runs the workload for each dtype on a fresh recording backend; returns the programs per dtype. */
function generate(halfStorage: HalfStorage) {
  const { backend, recording } = recordingBackend(halfStorage);
  T.registerBackend(backend);
  T.setDefaultDevice("webgpu");
  const perDtype = new Map<T.DType, { shaders: { name: string; code: string }[]; dispatched: Set<string> }>();
  for (const dtype of DTYPES) {
    const [shaders, dispatched] = [recording.shaders.length, recording.dispatched.length];
    T.tidy(() => workload(dtype));
    perDtype.set(dtype, { shaders: recording.shaders.slice(shaders), dispatched: new Set(recording.dispatched.slice(dispatched)) });
  }
  T.setDefaultDevice("cpu");
  return { backend, shaders: recording.shaders, perDtype };
}

function expectValid(shaders: readonly { name: string; code: string }[]): void {
  for (const { name, code } of shaders) {
    try {
      using module = parseWgsl(code);
      using _info = validate(module);
    } catch (error) {
      throw new Error(`naga rejects the '${name}' program: ${(error as Error).message}\n${code}`, { cause: error });
    }
  }
}

describe.each(["f16", "f32"] as const)("WGSL of every kernel, float16 in %s buffers", (halfStorage) => {
  const run = generate(halfStorage);

  it("covers every kernel of the table and the fused steps, for float32 and float16", () => {
    const expected = [...Object.keys(run.backend.kernels), "adam", "sgd"].sort();
    for (const dtype of ["float32", "float16"] as const) {
      const { dispatched } = run.perDtype.get(dtype)!;
      expect(expected.filter((k) => !dispatched.has(k)), `kernels the ${dtype} workload missed`).toEqual([]);
    }
    expect(run.shaders.length).toBeGreaterThan(150);
  });

  it("naga validates every program", () => {
    expectValid(run.shaders);
  });

  it(`float16 programs ${halfStorage === "f16" ? "declare array<f16> and enable f16" : "keep f32 buffers and round in their stores"}`, () => {
    const half = run.perDtype.get("float16")!.shaders;
    const withF16 = half.filter((s) => s.code.includes("enable f16;"));
    if (halfStorage === "f16") {
      expect(withF16.length).toBeGreaterThan(30);
      expect(half.filter((s) => s.code.includes("f16(round_half(value))")).length).toBeGreaterThan(30);
    } else {
      expect(withF16).toEqual([]);
      expect(half.filter((s) => s.code.includes("round_half(value)")).length).toBeGreaterThan(30);
    }
    // Only programs with a float16 binding change: f16 is enabled exactly where an f16 array is declared.
    for (const s of run.shaders) expect(s.code.includes("enable f16;"), s.name).toBe(s.code.includes("array<f16>"));
  });
});

describe("float16 buffers on the host side", () => {
  const halves = new Float32Array([1, -2.5, 0.1, 65519, 65520, -0, Number.NaN]);

  it("uploads f16 bits (2 bytes each, padded to 4) or rounded f32 values; readback restores half values", () => {
    for (const halfStorage of ["f16", "f32"] as const) {
      const bytes = encodeElements(halves.slice(), "float16", halfStorage);
      expect(bytes.byteLength).toBe(storageBytes("float16", halves.length, halfStorage));
      const back = Array.from(decodeElements(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, halves.length, "float16", halfStorage));
      expect(back).toEqual(Array.from(T.roundToHalf(halves.slice())));
      expect(Object.is(back[5], -0)).toBe(true);
    }
    expect(storageBytes("float16", 7, "f16")).toBe(16);
    expect(storageBytes("float16", 7, "f32")).toBe(28);
    expect(storageBytes("float32", 7, "f16")).toBe(28);
  });

  it("the f16 backend writes f16 bits for float16 tensors and counts 2 bytes per element", () => {
    const { backend, recording } = recordingBackend("f16");
    const storage = backend.upload(Float32Array.from([1, 0.1, -3]), "float16");
    expect(Array.from(new Uint16Array(recording.writes[0].buffer))).toEqual([...Array.from(T.halfBits([1, 0.1, -3])), 0]);
    expect(backend.bytesInUse()).toBe(8);
    backend.free(storage);
    expect(backend.bytesInUse()).toBe(0);
  });

  it("halfStorage can be forced: 'f32' on an adapter with shader-f16, 'f16' only where shader-f16 exists", async () => {
    const adapter = (features: string[]) => ({
      features: new Set(features),
      limits: { maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupSizeX: 256, maxStorageBuffersPerShaderStage: 8, maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 },
      info: { vendor: "fake" },
      requestDevice: async (descriptor: GPUDeviceDescriptor) => ({
        features: new Set(descriptor.requiredFeatures),
        limits: { maxStorageBuffersPerShaderStage: 8, maxComputeInvocationsPerWorkgroup: 256, maxBufferSize: 2 ** 28 },
      }),
    });
    const gpu = (features: string[]) => ({ requestAdapter: async () => adapter(features) }) as unknown as GPU;
    expect((await createContext({ gpu: gpu(["shader-f16"]) })).capabilities.halfStorage).toBe("f16");
    const forced = await createContext({ gpu: gpu(["shader-f16"]), halfStorage: "f32" });
    expect([forced.capabilities.shaderF16, forced.capabilities.halfStorage]).toEqual([true, "f32"]);
    expect((await createContext({ gpu: gpu([]) })).capabilities.halfStorage).toBe("f32");
    const error = await createContext({ gpu: gpu([]), halfStorage: "f16" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(T.DeviceError);
    expect((error as Error).message).toMatch(/halfStorage 'f16' needs an adapter with the shader-f16 feature/);
  });
});
