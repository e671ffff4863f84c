/// <reference types="@webgpu/types" />
import { type DType, type TypedArray, allocArray } from "../../dtype.js";
import type { BinaryPrimitive, ComparePrimitive, ReducePrimitive, UnaryPrimitive } from "../../ops/primitives.js";
import { BINARY, COMPARE, REDUCE, UNARY } from "../../ops/primitives.js";
import type { CsrStructure } from "../../ops/csr.js";
import { broadcastStrides, sizeOf } from "../../shape.js";
import type { Backend, Kernel, KernelTable, OutputInfo, Storage, TensorInfo } from "../backend.js";
import { BufferPool, type GpuStorage, USAGE } from "./buffers.js";
import { decodeElements, encodeElements, wgslType } from "./elements.js";
import type { GpuContext } from "./context.js";
import { elementwiseProgram, groupsFor } from "./elementwise.js";
import { gpuFused } from "./fused.js";
import { matmulProgram } from "./matmul.js";
import { matmulVec4Program } from "./matmul-vec4.js";
import * as mv from "./movement.js";
import { type NamedProgram, Runtime } from "./program.js";
import { argReduceProgram, reduceProgram, softmaxProgram } from "./reduce.js";
import { valueBits } from "./shapes.js";
import { BINARY_WGSL, COMPARE_WGSL, UNARY_WGSL, WHERE_WGSL, castWgsl, typed } from "./snippets.js";
import { sddmmProgram, spmmProgram } from "./sparse.js";
import { conv2dBackwardInputProgram, conv2dBackwardWeightProgram, conv2dProgram, maxPool2dIndicesProgram } from "./conv.js";

/** The WebGPU backend object plus what tests and docs inspect. */
export interface WebGPUBackend extends Backend {
  readonly runtime: Runtime;
  readonly pool: BufferPool;
  readonly context: GpuContext;
}

const MAP_READ = 0x1;

/** Builds the backend on a device: buffer pool, program runtime, one kernel per primitive. */
export function createWebGPUBackend(context: GpuContext): WebGPUBackend {
  const { device } = context;
  const { halfStorage } = context.capabilities;
  const runtime = new Runtime(device, context.capabilities.debug, halfStorage);
  const pool = new BufferPool(device, halfStorage);
  const structures = new WeakMap<CsrStructure, { rowPointer: GPUBuffer; colIndex: GPUBuffer; rowIndex: GPUBuffer }>();
  const destroyLater = new FinalizationRegistry<GPUBuffer[]>((buffers) => buffers.forEach((b) => b.destroy()));

  const buf = (t: TensorInfo | Storage) => ("storage" in t ? (t.storage as GpuStorage) : (t as GpuStorage)).buffer;
  const alloc = (out: OutputInfo) => pool.allocate(backend, out.dtype, sizeOf(out.shape));

  /** Allocates the output and runs one program over n elements (skipped when n is 0). */
  function launch(out: OutputInfo, built: { program: NamedProgram; meta: Uint32Array; n?: number; groups?: [number, number, number] }, inputs: GPUBuffer[]): Storage {
    const storage = alloc(out);
    const n = built.n ?? sizeOf(out.shape);
    if (n > 0) runtime.run(built.program, [...inputs, storage.buffer], built.meta, built.groups ?? groupsFor(n));
    return storage;
  }

  /** One template serves many primitives: the kernel takes no attributes, so it fits every `Kernel<P>`. */
  function mapped(name: string, snippet: string | ((inputs: TensorInfo[], out: OutputInfo) => string)): (inputs: TensorInfo[], out: OutputInfo) => Storage {
    return (inputs: TensorInfo[], out: OutputInfo) => {
      const expr = typeof snippet === "string" ? typed(snippet, inputs[inputs.length - 1].dtype) : snippet(inputs, out);
      return launch(out, elementwiseProgram(name, expr, inputs, out), inputs.map(buf));
    };
  }

  function upload(data: TypedArray, dtype: DType, target?: GpuStorage): GpuStorage {
    wgslType(dtype);
    const storage = target ?? pool.allocate(backend, dtype, data.length);
    if (data.length === 0) return storage;
    const words = encodeElements(data, dtype, halfStorage);
    device.queue.writeBuffer(storage.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    return storage;
  }

  async function read(storage: Storage): Promise<TypedArray> {
    const s = storage as GpuStorage;
    await runtime.check();
    const out = allocArray(s.dtype, s.size);
    if (s.size === 0) return out;
    const staging = device.createBuffer({ size: s.bytes, usage: MAP_READ | USAGE.COPY_DST });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(s.buffer, 0, staging, 0, s.bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(MAP_READ);
    out.set(decodeElements(staging.getMappedRange(), s.size, s.dtype, halfStorage));
    staging.unmap();
    staging.destroy();
    await runtime.check();
    return out;
  }

  /** Row pointers and indices of a CSR structure, uploaded once per structure. */
  function structureBuffers(s: CsrStructure) {
    let entry = structures.get(s);
    if (!entry) {
      const make = (data: Int32Array) => {
        const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: USAGE.STORAGE | USAGE.COPY_DST });
        if (data.length > 0) device.queue.writeBuffer(b, 0, data.buffer, data.byteOffset, data.byteLength);
        return b;
      };
      entry = { rowPointer: make(s.rowPointer), colIndex: make(s.colIndex), rowIndex: make(s.rowIndex) };
      structures.set(s, entry);
      destroyLater.register(s, [entry.rowPointer, entry.colIndex, entry.rowIndex]);
    }
    return entry;
  }

  const elementwiseKernels = Object.fromEntries([
    ...UNARY.map((p: UnaryPrimitive) => [p, mapped(p, UNARY_WGSL[p])]),
    ...BINARY.map((p: BinaryPrimitive) => [p, mapped(p, BINARY_WGSL[p])]),
    ...COMPARE.map((p: ComparePrimitive) => [p, mapped(p, COMPARE_WGSL[p])]),
    ...REDUCE.map((p: ReducePrimitive) => [
      p,
      ((inputs, out, { axes }) => {
        const built = reduceProgram(p, inputs[0], axes);
        const outSize = sizeOf(out.shape);
        if (built.chunks === 1) return launch(out, { ...built, n: outSize }, [buf(inputs[0])]);
        // Two passes: [outSize, chunks] partials, then their reduction over the chunks.
        // float16 partials stay float32, so the result is rounded once.
        const partialType = out.dtype === "float16" ? "float32" : out.dtype;
        const partials = pool.allocate(backend, partialType, outSize * built.chunks);
        const first = partialType === out.dtype ? built : reduceProgram(p, inputs[0], axes, partialType);
        if (outSize > 0) runtime.run(first.program, [buf(inputs[0]), partials.buffer], first.meta, first.groups);
        const second = reduceProgram(p, { storage: partials, shape: [outSize, built.chunks], dtype: partialType }, [1], out.dtype);
        const storage = launch(out, { ...second, n: outSize }, [partials.buffer]);
        pool.release(partials);
        return storage;
      }) as Kernel<ReducePrimitive>,
    ]),
  ]) as Pick<KernelTable, UnaryPrimitive | BinaryPrimitive | ComparePrimitive | ReducePrimitive>;

  const kernels: KernelTable = {
    ...elementwiseKernels,
    argmax: ([x], out, { axis }) => launch(out, argReduceProgram(true, x, axis), [buf(x)]),
    argmin: ([x], out, { axis }) => launch(out, argReduceProgram(false, x, axis), [buf(x)]),
    where: mapped("where", (inputs) => typed(WHERE_WGSL, inputs[1].dtype)),
    cast: mapped("cast", ([x], out) => castWgsl(x.dtype, out.dtype)),
    permute: ([x], out, { perm }) => launch(out, mv.permuteCopy(x.dtype, x.shape, perm), [buf(x)]),
    broadcastTo: ([x], out) => launch(out, mv.stridedCopy("broadcastTo", x.dtype, out.shape, broadcastStrides(x.shape, out.shape), 0), [buf(x)]),
    slice: ([x], out, { begin }) => launch(out, mv.sliceCopy(x.dtype, x.shape, begin, out.shape), [buf(x)]),
    pad: ([x], out, { before, value }) => launch(out, mv.padProgram(x.dtype, x.shape, out.shape, before, valueBits(value, x.dtype)), [buf(x)]),
    concat: (inputs, out, { axis }) => {
      const storage = alloc(out);
      let offset = 0;
      for (const x of inputs) {
        const part = mv.concatPart(x.dtype, x.shape, axis, out.shape, offset);
        if (part.n > 0) runtime.run(part.program, [buf(x), storage.buffer], part.meta, groupsFor(part.n));
        offset += x.shape[axis];
      }
      return storage;
    },
    matmul: ([a, b], out, { transposeA, transposeB }) => {
      const built =
        matmulVec4Program(out.dtype, a.shape, b.shape, out.shape, transposeA, transposeB) ??
        matmulProgram(out.dtype, a.shape, b.shape, out.shape, transposeA, transposeB);
      return launch(out, built, [buf(a), buf(b)]);
    },
    softmax: ([x], out, { axis }) => launch(out, { ...softmaxProgram(false, x, axis), n: sizeOf(x.shape) }, [buf(x)]),
    logSoftmax: ([x], out, { axis }) => launch(out, { ...softmaxProgram(true, x, axis), n: sizeOf(x.shape) }, [buf(x)]),
    gather: ([x, i], out, { axis }) => launch(out, mv.gatherProgram(x.dtype, x.shape, axis, i.storage.size), [buf(x), buf(i)]),
    scatterAdd: ([t, i, u], out, { axis }) => launch(out, mv.scatterAddProgram(t.dtype, t.shape, axis, i.storage.size), [buf(t), buf(i), buf(u)]),
    spmm: ([v, x], out, { structure }) => {
      const s = structureBuffers(structure);
      return launch(out, { program: spmmProgram(out.dtype), meta: Uint32Array.from([sizeOf(out.shape), x.shape[1]]) }, [buf(v), buf(x), s.rowPointer, s.colIndex]);
    },
    sddmm: ([g, x], out, { structure }) => {
      const s = structureBuffers(structure);
      return launch(out, { program: sddmmProgram(out.dtype), meta: Uint32Array.from([sizeOf(out.shape), x.shape[1]]) }, [buf(g), buf(x), s.rowIndex, s.colIndex]);
    },
    conv2d: ([x, w], out, attrs) => launch(out, conv2dProgram(out.dtype, x.shape, w.shape, out.shape, attrs, sizeOf(out.shape)), [buf(x), buf(w)]),
    conv2dBackwardInput: ([g, w], out, attrs) =>
      launch(out, conv2dBackwardInputProgram(out.dtype, g.shape, w.shape, out.shape, attrs, sizeOf(out.shape)), [buf(g), buf(w)]),
    conv2dBackwardWeight: ([x, g], out, attrs) =>
      launch(out, conv2dBackwardWeightProgram(out.dtype, x.shape, g.shape, out.shape, attrs, sizeOf(out.shape)), [buf(x), buf(g)]),
    maxPool2dIndices: ([x], out, attrs) => launch(out, maxPool2dIndicesProgram(x.dtype, x.shape, out.shape, attrs, sizeOf(out.shape)), [buf(x)]),
  };

  const backend: WebGPUBackend = {
    device: "webgpu",
    upload: (data, dtype) => upload(data, dtype),
    read,
    free: (storage) => pool.release(storage as GpuStorage),
    bytesInUse: () => pool.bytesInUse,
    kernels,
    fused: gpuFused(runtime),
    runtime,
    pool,
    context,
  };
  return backend;
}
