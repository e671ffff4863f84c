/// <reference types="@webgpu/types" />
import { DeviceError } from "../../errors.js";
import { USAGE } from "./buffers.js";
import { type ElementFormat, type HalfStorage, ROUND_HALF_WGSL, accessors, storageType } from "./elements.js";
import { PRELUDE } from "./snippets.js";

/** How a kernel binds a storage buffer; a uniform block of parameters always follows. */
export type Binding = "read" | "rw";

/**
 * A WebGPU program: a cache key (everything its WGSL depends on), its bindings, and the
 * WGSL body. Sizes and strides are not in the key: they travel in the uniform block, so
 * one compiled pipeline serves every shape of the same rank, dtypes and layout.
 */
export interface Program {
  /** Kernel name, used in error messages. */
  readonly name: string;
  readonly key: string;
  readonly bindings: readonly Binding[];
  /** Number of u32 words in the uniform block. */
  readonly uniforms: number;
  /** The WGSL after the shared prelude and the binding declarations. */
  readonly body: string;
}

/**
 * Buffer declarations for a program, with the load/store accessors of each binding (the
 * only way kernels touch buffers), then the uniform block.
 */
function declarations(program: NamedProgram, halfStorage: HalfStorage): string {
  const lines = program.bindings.map((b, i) => {
    const name = program.names[i];
    const type = storageType(program.types[i], halfStorage);
    const declaration = `@group(0) @binding(${i}) var<storage, ${b === "read" ? "read" : "read_write"}> ${name}: array<${type}>;`;
    return `${declaration}\n${accessors(name, program.types[i], b === "rw", halfStorage)}`;
  });
  const words = Math.max(1, Math.ceil(program.uniforms / 4));
  lines.push(`struct Params { m: array<vec4<u32>, ${words}> }`);
  lines.push(`@group(0) @binding(${program.bindings.length}) var<uniform> params: Params;`);
  lines.push("fn param(i: u32) -> u32 { return params.m[i >> 2u][i & 3u]; }");
  lines.push("fn paramf(i: u32) -> f32 { return bitcast<f32>(param(i)); }");
  return lines.join("\n");
}

/**
 * A program's full WGSL source. Programs with float16 bindings get the rounding function,
 * and `enable f16;` where float16 lives in f16 buffers.
 */
export function programSource(program: NamedProgram, halfStorage: HalfStorage = "f32"): string {
  const half = program.types.includes("f16");
  const enable = half && halfStorage === "f16" ? "enable f16;\n" : "";
  return `${enable}${PRELUDE}\n${half ? `${ROUND_HALF_WGSL}\n` : ""}${declarations(program, halfStorage)}\n${program.body}`;
}

/**
 * A program with its bindings' names and element formats: `f16` bindings hold float16
 * (f16 or f32 buffers, per the runtime's HalfStorage); kernels read `load_<name>(i)` and
 * write `store_<name>(i, v)`.
 */
export type NamedProgram = Program & { readonly names: readonly string[]; readonly types: readonly ElementFormat[] };

/** Workgroups for `count` workgroups in 1-D, folded into 2-D past the per-dimension limit. */
export function grid(count: number): [number, number, number] {
  if (count <= 65535) return [count, 1, 1];
  const x = 32768;
  return [x, Math.ceil(count / x), 1];
}

interface PendingError {
  name: string;
  done: Promise<(GPUError | null)[]>;
}

/**
 * Compiles programs once per key, encodes one dispatch per kernel call, and turns
 * validation errors into DeviceErrors that name the kernel (error scopes in debug mode,
 * the device's uncaptured-error event otherwise).
 */
export class Runtime {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly uniformPool = new Map<number, GPUBuffer[]>();
  private pending: PendingError[] = [];
  private failure: DeviceError | null = null;
  private lastKernel = "(none)";
  /** Compiled pipelines (for tests and docs). */
  compiled = 0;
  dispatches = 0;

  constructor(
    readonly device: GPUDevice,
    readonly debug: boolean,
    /** Where float16 elements live; part of every pipeline's identity. */
    readonly halfStorage: HalfStorage = "f32",
  ) {
    const onError = (event: Event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      this.fail(this.lastKernel, error?.message ?? String(event));
    };
    device.addEventListener?.("uncapturederror", onError);
    void device.lost?.then((info) => {
      if (info.reason !== "destroyed") this.fail(this.lastKernel, `device lost: ${info.message}`);
    });
  }

  private fail(name: string, message: string): void {
    this.failure ??= new DeviceError(`webgpu kernel '${name}' failed: ${message}`);
  }

  private layout(bindings: readonly Binding[]): GPUBindGroupLayout {
    const key = bindings.join(",");
    let layout = this.layouts.get(key);
    if (!layout) {
      const COMPUTE = 0x4;
      const entries: GPUBindGroupLayoutEntry[] = bindings.map((b, i) => ({
        binding: i,
        visibility: COMPUTE,
        buffer: { type: b === "read" ? "read-only-storage" : "storage" },
      }));
      entries.push({ binding: bindings.length, visibility: COMPUTE, buffer: { type: "uniform" } });
      layout = this.device.createBindGroupLayout({ entries });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  private pipeline(program: NamedProgram): GPUComputePipeline {
    // The element formats pick the accessors (a float16 store rounds, a float32 one does not).
    const key = `${program.key}|${program.types.join(",")}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code: programSource(program, this.halfStorage), label: program.name });
      pipeline = this.device.createComputePipeline({
        label: program.name,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(program.bindings)] }),
        compute: { module, entryPoint: "main" },
      });
      this.pipelines.set(key, pipeline);
      this.compiled++;
    }
    return pipeline;
  }

  private uniformBuffer(bytes: number): GPUBuffer {
    const list = this.uniformPool.get(bytes);
    return list?.pop() ?? this.device.createBuffer({ size: bytes, usage: USAGE.UNIFORM | USAGE.COPY_DST });
  }

  /** Runs `program` once over `workgroups`, binding `buffers` in order and `meta` as its uniforms. */
  run(program: NamedProgram, buffers: readonly GPUBuffer[], meta: Uint32Array, workgroups: readonly [number, number, number]): void {
    this.lastKernel = program.name;
    this.dispatches++;
    if (this.debug) {
      this.device.pushErrorScope("validation");
      this.device.pushErrorScope("out-of-memory");
    }
    const pipeline = this.pipeline(program);
    const bytes = Math.max(1, Math.ceil(program.uniforms / 4)) * 16;
    const uniform = this.uniformBuffer(bytes);
    const words = new Uint32Array(bytes / 4);
    words.set(meta.subarray(0, words.length));
    this.device.queue.writeBuffer(uniform, 0, words);
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: uniform } });
    const bindGroup = this.device.createBindGroup({ layout: this.layout(program.bindings), entries });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    // Later writes to the uniform buffer are queued after this submission, so it can be reused now.
    let list = this.uniformPool.get(bytes);
    if (!list) this.uniformPool.set(bytes, (list = []));
    list.push(uniform);
    if (this.debug) {
      const done = Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]);
      this.pending.push({ name: program.name, done });
    }
  }

  /** Throws the first error recorded since the last check (as a DeviceError naming its kernel). */
  async check(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    for (const { name, done } of pending) {
      const errors = await done;
      const error = errors.find((e) => e !== null);
      if (error) this.fail(name, error.message);
    }
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure;
  }

  /** Waits until the queue is idle, then reports errors. */
  async sync(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
    await this.check();
  }
}
