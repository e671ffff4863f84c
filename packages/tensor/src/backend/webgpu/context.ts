/// <reference types="@webgpu/types" />
import { DeviceError } from "../../errors.js";
import type { HalfStorage } from "./elements.js";

/**
 * The part of WebGPU's `GPU` object (`navigator.gpu`, the `webgpu` package's `create()`) that
 * initWebGPU calls. Declared structurally, not as @webgpu/types' global `GPU`, so the published
 * types compile for consumers without WebGPU's global declarations (docs/typescript.md).
 */
export interface WebGPUEntryPoint {
  requestAdapter(options?: { powerPreference?: WebGPUPowerPreference; featureLevel?: string }): Promise<object | null>;
}

/** WebGPU's `GPUPowerPreference`, spelled out for the same reason. */
export type WebGPUPowerPreference = "low-power" | "high-performance";

/** How to reach a WebGPU implementation; every field is optional. */
export interface WebGPUOptions {
  /** A `GPU` object to use instead of `navigator.gpu` or the `webgpu` package (tests inject one). */
  gpu?: WebGPUEntryPoint;
  /**
   * Flags for the `webgpu` package's `create()` in Node. Without them the default
   * backend is tried first, then the OpenGL ES compatibility path (Mesa, software).
   */
  dawnFlags?: string[];
  powerPreference?: WebGPUPowerPreference;
  /**
   * Wrap every dispatch in error scopes, so a validation error becomes a `DeviceError`
   * naming the kernel. Defaults to true under a test runner (`VITEST`, `NODE_ENV=test`).
   */
  debug?: boolean;
  /** Also make 'webgpu' the default device for new tensors. */
  setDefault?: boolean;
  /**
   * Where float16 tensors live (internal, for tests): "f16" buffers need `shader-f16`
   * (a DeviceError without it), "f32" buffers of half values work everywhere. Default:
   * "f16" when the adapter has `shader-f16`, else "f32".
   */
  halfStorage?: HalfStorage;
}

/** What the adapter offers, as the backend uses it. */
export interface WebGPUCapabilities {
  /** The adapter has `shader-f16` and the device was created with it. */
  readonly shaderF16: boolean;
  /** float16 storage: "f16" buffers (2 bytes, with shader-f16) or "f32" buffers of half values. */
  readonly halfStorage: HalfStorage;
  /** 'core', or 'compatibility' on OpenGL ES adapters. */
  readonly featureLevel: "core" | "compatibility";
  readonly adapter: { vendor: string; architecture: string; device: string; description: string };
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxBufferSize: number;
  readonly debug: boolean;
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly capabilities: WebGPUCapabilities;
}

const HOW_TO =
  "No WebGPU adapter was found. In a browser, use one with WebGPU enabled (Chromium: --enable-unsafe-webgpu). " +
  "In Node, install the optional `webgpu` package; on a machine without a GPU, install Mesa's EGL/GL drivers " +
  "(Debian: apt-get install -y libegl1 libegl-mesa0 libgl1-mesa-dri, or run tools/setup-webgpu.sh) so the OpenGL ES " +
  "software path works, or point VK_ICD_FILENAMES at a SwiftShader Vulkan driver. See docs/webgpu.md.";

/** Objects returned by the `webgpu` package's `create()`: Dawn crashes if they are garbage collected. */
const keepAlive: unknown[] = [];

function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name];
}

function setEnv(name: string, value: string): void {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  if (p?.env && p.env[name] === undefined) p.env[name] = value;
}

type Candidate = { gpu: GPU; adapterOptions: GPURequestAdapterOptions };

/**
 * The OpenGL ES path needs EGL_PLATFORM=surfaceless in the native environment. A Node
 * worker thread's process.env is a private copy that never reaches it, so there the
 * variable must come from the parent: say so when no adapter is found in a worker.
 */
async function workerHint(): Promise<string> {
  try {
    const moduleName = "node:worker_threads";
    const { isMainThread } = (await import(/* @vite-ignore */ moduleName)) as { isMainThread: boolean };
    return isMainThread
      ? ""
      : " In a worker thread, set EGL_PLATFORM=surfaceless in the parent process before starting the worker (a worker's process.env does not reach the native environment Dawn reads).";
  } catch {
    return "";
  }
}

/**
 * The GPU objects to try, in order, made lazily: injected, navigator.gpu, then the
 * webgpu package (its default backend, then OpenGL ES in compatibility mode).
 */
async function candidates(options: WebGPUOptions): Promise<(() => Candidate)[]> {
  const base: GPURequestAdapterOptions = options.powerPreference ? { powerPreference: options.powerPreference } : {};
  const compat: GPURequestAdapterOptions = { ...base, featureLevel: "compatibility" };
  // A real GPU object satisfies WebGPUEntryPoint; the backend uses it as the full WebGPU type.
  const injected = options.gpu as GPU | undefined;
  if (injected) return [() => ({ gpu: injected, adapterOptions: base })];
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return [() => ({ gpu: nav.gpu!, adapterOptions: base })];
  let create: (flags: string[]) => GPU;
  try {
    const moduleName = "webgpu";
    ({ create } = (await import(/* @vite-ignore */ moduleName)) as { create: (flags: string[]) => GPU });
  } catch (error) {
    throw new DeviceError(`initWebGPU: the 'webgpu' package could not be loaded (${(error as Error).message}). ${HOW_TO}`);
  }
  const make = (flags: string[]): GPU => {
    const gpu = create(flags);
    keepAlive.push(gpu);
    return gpu;
  };
  const flags = options.dawnFlags ?? env("FCN_WEBGPU_FLAGS")?.split(",").filter(Boolean);
  if (flags) {
    return [() => ({ gpu: make(flags), adapterOptions: flags.includes("backend=opengles") ? compat : base })];
  }
  return [
    () => ({ gpu: make([]), adapterOptions: base }),
    () => {
      setEnv("EGL_PLATFORM", "surfaceless");
      return { gpu: make(["backend=opengles"]), adapterOptions: compat };
    },
  ];
}

/** Requests an adapter and a device; throws a DeviceError that says how to get one. */
export async function createContext(options: WebGPUOptions): Promise<GpuContext> {
  const list = await candidates(options);
  let adapter: GPUAdapter | null = null;
  let featureLevel: "core" | "compatibility" = "core";
  for (let i = 0; i < list.length && !adapter; i++) {
    const c = list[i]();
    try {
      adapter = await c.gpu.requestAdapter(c.adapterOptions);
    } catch {
      adapter = null;
    }
    featureLevel = c.adapterOptions.featureLevel === "compatibility" ? "compatibility" : "core";
  }
  if (!adapter) throw new DeviceError(`initWebGPU: ${HOW_TO}${await workerHint()}`);
  const shaderF16 = adapter.features.has("shader-f16");
  const halfStorage = options.halfStorage ?? (shaderF16 ? "f16" : "f32");
  if (halfStorage === "f16" && !shaderF16) {
    throw new DeviceError("initWebGPU: halfStorage 'f16' needs an adapter with the shader-f16 feature; this one lacks it (use 'f32')");
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: shaderF16 ? ["shader-f16"] : [],
    requiredLimits: {
      // Compatibility adapters default to 128; the kernels use up to 256.
      maxComputeInvocationsPerWorkgroup: Math.min(256, limits.maxComputeInvocationsPerWorkgroup),
      maxComputeWorkgroupSizeX: Math.min(256, limits.maxComputeWorkgroupSizeX),
      maxStorageBuffersPerShaderStage: Math.min(8, limits.maxStorageBuffersPerShaderStage),
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const debug = options.debug ?? (env("VITEST") !== undefined || env("NODE_ENV") === "test");
  return {
    device,
    capabilities: {
      shaderF16,
      halfStorage,
      featureLevel,
      adapter: { vendor: info.vendor ?? "", architecture: info.architecture ?? "", device: info.device ?? "", description: info.description ?? "" },
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
      maxComputeInvocationsPerWorkgroup: device.limits.maxComputeInvocationsPerWorkgroup,
      maxBufferSize: device.limits.maxBufferSize,
      debug,
    },
  };
}
