import type { DType, TypedArray } from "../../dtype.js";
import type { BinaryPrimitive, ComparePrimitive, ReducePrimitive, UnaryPrimitive } from "../../ops/primitives.js";
import { BINARY, COMPARE, REDUCE, UNARY } from "../../ops/primitives.js";
import type { Backend, Kernel, KernelTable, OutputInfo, Storage, TensorInfo } from "../backend.js";
import { binaryWasm } from "./binary-wasm.js";
import { compareWasm, whereWasm } from "./compare-wasm.js";
import { unaryWasm } from "./unary-wasm.js";
import { BINARY_SNIPPETS, COMPARE_SNIPPETS, COPY_SNIPPET, UNARY_SNIPPETS, WHERE_SNIPPET, elementwise } from "./elementwise.js";
import { cpuFused } from "./fused.js";
import { matmul } from "./matmul.js";
import * as mv from "./movement.js";
import { argReduce, reduce } from "./reduce.js";
import { softmax } from "./softmax.js";
import { sddmm, spmm } from "./sparse.js";
import { conv2dForward, conv2dInputGrad, conv2dWeightGrad, maxPool2dIndices } from "./conv.js";
import { type CpuStorage, allocUninitialized, allocZeroed, cpuBytesInUse, cpuStorageStats, dataOf, release, wrap } from "./storage.js";
import { sizeOf } from "../../shape.js";
import { roundToHalf } from "../../half.js";

const operands = (inputs: TensorInfo[]) => inputs.map((t) => ({ data: dataOf(t), shape: t.shape }));

/** Wraps a kernel's result; float16 results (computed in float32) are rounded to half here. */
function store(data: TypedArray, out: OutputInfo): Storage {
  if (out.dtype === "float16") roundToHalf(data as Float32Array);
  return wrap(cpuBackend, data, out.dtype);
}

/** One loop serves many primitives: the kernel takes no attributes, so it fits every `Kernel<P>`. */
function mapped(expr: string): (inputs: TensorInfo[], out: OutputInfo) => Storage {
  return (inputs, out) => store(elementwise(expr, operands(inputs), out.shape, out.dtype), out);
}

/** A binary op: the wasm SIMD kernel where it applies (float32/float64, common layouts), else the JS loop. */
function binary(p: BinaryPrimitive): Kernel<BinaryPrimitive> {
  const js = mapped(BINARY_SNIPPETS[p]);
  return (inputs, out) => {
    const [a, b] = inputs;
    const data = binaryWasm(p, dataOf(a), a.shape, dataOf(b), b.shape, out.shape, out.dtype);
    return data === null ? js(inputs, out) : store(data, out);
  };
}

/** A unary op: the wasm SIMD kernel where it applies (float math, sqrt/abs/neg/relu), else the JS loop. */
function unary(p: UnaryPrimitive): Kernel<UnaryPrimitive> {
  const js = mapped(UNARY_SNIPPETS[p]);
  return (inputs, out) => {
    const data = unaryWasm(p, dataOf(inputs[0]), out.dtype);
    return data === null ? js(inputs, out) : store(data, out);
  };
}

/** A comparison: the wasm SIMD kernel for float operands, full-shape or against one value, else the JS loop. */
function compare(p: ComparePrimitive): Kernel<ComparePrimitive> {
  const js = mapped(COMPARE_SNIPPETS[p]);
  return (inputs, out) => {
    const [a, b] = inputs;
    const data = compareWasm(p, dataOf(a), a.shape, dataOf(b), b.shape, out.shape);
    return data === null ? js(inputs, out) : store(data, out);
  };
}

/** `where`: the wasm SIMD kernel for a full-shape condition and float32/float64 values, else the JS loop. */
function where(): Kernel<"where"> {
  const js = mapped(WHERE_SNIPPET);
  return (inputs, out) => {
    const [c, a, b] = inputs;
    const data = whereWasm(dataOf(c), c.shape, dataOf(a), a.shape, dataOf(b), b.shape, out.shape, out.dtype);
    return data === null ? js(inputs, out) : store(data, out);
  };
}

function castArray(x: TypedArray, dtype: DType): TypedArray {
  const out = allocUninitialized(dtype, x.length);
  if (dtype === "bool") for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  else out.set(x);
  return out;
}

const elementwiseKernels = Object.fromEntries([
  ...UNARY.map((p: UnaryPrimitive) => [p, unary(p)]),
  ...BINARY.map((p: BinaryPrimitive) => [p, binary(p)]),
  ...COMPARE.map((p: ComparePrimitive) => [p, compare(p)]),
  ...REDUCE.map((p: ReducePrimitive) => [
    p,
    ((inputs, out, { axes }) => store(reduce(p, dataOf(inputs[0]), inputs[0].shape, axes, out.dtype), out)) as Kernel<ReducePrimitive>,
  ]),
]) as Pick<KernelTable, UnaryPrimitive | BinaryPrimitive | ComparePrimitive | ReducePrimitive>;

const kernels: KernelTable = {
  ...elementwiseKernels,
  argmax: ([x], out, { axis }) => store(argReduce(true, dataOf(x), x.shape, axis), out),
  argmin: ([x], out, { axis }) => store(argReduce(false, dataOf(x), x.shape, axis), out),
  where: where(),
  cast: ([x], out, { dtype }) => store(castArray(dataOf(x), dtype), out),
  permute: ([x], out, { perm }) => store(mv.permute(dataOf(x), x.shape, perm, out.dtype), out),
  broadcastTo: mapped(COPY_SNIPPET),
  slice: ([x], out, { begin }) => {
    const data = allocUninitialized(out.dtype, sizeOf(out.shape));
    mv.copyBlock(dataOf(x), x.shape, data, out.shape, begin, true);
    return store(data, out);
  },
  pad: ([x], out, { before, value }) => {
    const data = allocUninitialized(out.dtype, sizeOf(out.shape)).fill(value);
    mv.copyBlock(data, out.shape, dataOf(x), x.shape, before, false);
    return store(data, out);
  },
  concat: (inputs, out, { axis }) => store(mv.concat(operands(inputs), axis, out.shape, out.dtype), out),
  matmul: ([a, b], out, { transposeA, transposeB }) =>
    store(matmul(dataOf(a), a.shape, dataOf(b), b.shape, out.shape, transposeA, transposeB, out.dtype), out),
  softmax: ([x], out, { axis }) => store(softmax(dataOf(x), x.shape, axis, out.dtype, false), out),
  logSoftmax: ([x], out, { axis }) => store(softmax(dataOf(x), x.shape, axis, out.dtype, true), out),
  gather: ([x, i], out, { axis }) => store(mv.gather(dataOf(x), x.shape, dataOf(i) as Int32Array, axis, out.dtype), out),
  scatterAdd: ([t, i, u], out, { axis }) => store(mv.scatterAdd(dataOf(t), t.shape, dataOf(i) as Int32Array, dataOf(u), axis, out.dtype), out),
  spmm: ([v, x], out, { structure }) => store(spmm(structure, dataOf(v), dataOf(x), x.shape[1], out.dtype), out),
  sddmm: ([g, x], out, { structure }) => store(sddmm(structure, dataOf(g), dataOf(x), x.shape[1], out.dtype), out),
  conv2d: ([x, w], out, attrs) => store(conv2dForward(dataOf(x), x.shape, dataOf(w), w.shape, out.shape, attrs, out.dtype), out),
  conv2dBackwardInput: ([g, w], out, attrs) => store(conv2dInputGrad(dataOf(g), g.shape, dataOf(w), w.shape, out.shape, attrs, out.dtype), out),
  conv2dBackwardWeight: ([x, g], out, attrs) => store(conv2dWeightGrad(dataOf(x), x.shape, dataOf(g), g.shape, out.shape, attrs, out.dtype), out),
  maxPool2dIndices: ([x], out, attrs) => store(maxPool2dIndices(dataOf(x), x.shape, out.shape, attrs), out),
};

/** The CPU backend: TypedArray storage, generated elementwise loops, WebAssembly SIMD matmul. */
export const cpuBackend: Backend = {
  device: "cpu",
  upload: (data, dtype) => wrap(cpuBackend, dtype === "float16" ? roundToHalf(data as Float32Array) : data, dtype),
  readSync: (storage) => (storage as CpuStorage).data,
  read: async (storage) => (storage as CpuStorage).data.slice(),
  free: release,
  bytesInUse: cpuBytesInUse,
  storageStats: cpuStorageStats,
  hostArray: allocZeroed,
  kernels,
  fused: cpuFused,
};
