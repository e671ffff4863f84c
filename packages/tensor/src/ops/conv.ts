import { floatType, promoteTypes } from "../dtype.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { apply, fromHost } from "./dispatch.js";
import { withAutocast } from "../autocast.js";
import { cast, lowPrecisionInput } from "./elementwise.js";
import { gather } from "./indexing.js";
import { matmul } from "./matmul.js";
import { reshape } from "./movement.js";
import type { Conv2dAttrs, Pool2dAttrs } from "./primitives.js";
import { mean } from "./reduce.js";
import { assertOptions, assertTensor, describeValue } from "./validate.js";

/** One number for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  /** Step between windows (default 1). */
  stride?: Pair;
  /** Zeros added on each side of each spatial axis (default 0). */
  padding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Channel groups: input and output channels split into `groups` independent convolutions (default 1). */
  groups?: number;
  /** [O], added to every output position of its channel. */
  bias?: Tensor | null;
}

function pair(op: string, name: string, value: Pair | undefined, fallback: number, min: number): [number, number] {
  if (value !== undefined && typeof value !== "number" && !Array.isArray(value)) {
    throw new ArgumentError(`${op}: ${name} must be an integer or a pair of integers, got ${describeValue(value)}`, { functionName: op, argument: name });
  }
  const p: [number, number] = value === undefined ? [fallback, fallback] : typeof value === "number" ? [value, value] : [value[0], value[1]];
  for (const v of p) {
    if (!Number.isInteger(v) || v < min) throw new ArgumentError(`${op}: ${name} must be ${min === 0 ? "non-negative" : "positive"} integers, got ${JSON.stringify(value)}`);
  }
  return p;
}

/** Output length of one spatial axis. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

function convAttrs(op: string, options: Conv2dOptions): Conv2dAttrs {
  assertOptions(options, op);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new ArgumentError(`${op}: groups must be a positive integer, got ${groups}`);
  return {
    stride: pair(op, "stride", options.stride, 1, 1),
    padding: pair(op, "padding", options.padding, 0, 0),
    dilation: pair(op, "dilation", options.dilation, 1, 1),
    groups,
  };
}

const geometry = (a: Conv2dAttrs): Conv2dAttrs => ({ stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups });

function floatPair(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  const dtype = floatType(promoteTypes(a.dtype, b.dtype));
  return [a.dtype === dtype ? a : cast(a, dtype), b.dtype === dtype ? b : cast(b, dtype)];
}

/** Checks x [N, C, H, W] against w [O, C/groups, kH, kW] and returns the output's spatial size. */
function checkConv(op: string, xShape: readonly number[], wShape: readonly number[], a: Conv2dAttrs): [number, number] {
  if (xShape.length !== 4 || wShape.length !== 4) {
    throw new ShapeError(`${op}: input must be [N, C, H, W] and weight [O, C/groups, kH, kW], got ${formatShape(xShape)} and ${formatShape(wShape)}`);
  }
  const [, c, h, w] = xShape;
  const [o, cg, kh, kw] = wShape;
  if (c % a.groups !== 0 || o % a.groups !== 0) {
    throw new ShapeError(`${op}: groups ${a.groups} must divide input channels ${c} and output channels ${o}`);
  }
  if (cg !== c / a.groups) {
    throw new ShapeError(`${op}: weight ${formatShape(wShape)} needs ${c / a.groups} input channels per group (input ${formatShape(xShape)}, groups ${a.groups})`);
  }
  const oh = convOutputSize(h, kh, a.stride[0], a.padding[0], a.dilation[0]);
  const ow = convOutputSize(w, kw, a.stride[1], a.padding[1], a.dilation[1]);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`${op}: kernel ${kh}×${kw} (dilation ${a.dilation.join("×")}) does not fit input ${h}×${w} with padding ${a.padding.join("×")}`);
  }
  return [oh, ow];
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of x [N, C, H, W] with w
 * [O, C/groups, kH, kW], giving [N, O, OH, OW] with OH = ⌊(H + 2·pad − dil·(kH − 1) − 1) / stride⌋ + 1.
 * Differentiable to any order: its gradients are the primitives `conv2dBackwardInput`
 * and `conv2dBackwardWeight`, whose gradients are convolutions again.
 *
 * @example
 * const y = conv2d(x, w, { stride: 2, padding: 1, bias: b }); // x [16, 3, 32, 32], w [64, 3, 3, 3] → [16, 64, 16, 16]
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  assertTensor(x, "conv2d", "x");
  assertTensor(w, "conv2d", "w");
  const attrs = convAttrs("conv2d", options);
  const [xf, wf] = floatPair("conv2d", lowPrecisionInput(x), lowPrecisionInput(w));
  const y = conv2dPrimitive(xf, wf, attrs);
  const bias = options.bias && lowPrecisionInput(options.bias);
  if (!bias) return y;
  if (bias.rank !== 1 || bias.shape[0] !== w.shape[0]) throw new ShapeError(`conv2d: bias ${formatShape(bias.shape)} must be [${w.shape[0]}]`);
  return y.add(reshape(bias, [1, bias.shape[0], 1, 1]));
}

/** conv2d on float inputs of one dtype with normalized attributes (used by the gradient rules). */
export function conv2dPrimitive(x: Tensor, w: Tensor, attrs: Conv2dAttrs): Tensor {
  const [oh, ow] = checkConv("conv2d", x.shape, w.shape, attrs);
  return apply("conv2d", [x, w], geometry(attrs), [x.shape[0], w.shape[0], oh, ow], x.dtype);
}

/**
 * The gradient of conv2d with respect to its input (a transposed convolution): g
 * [N, O, OH, OW] and w [O, C/groups, kH, kW] give [N, C, H, W] for `inputSize` [H, W].
 */
export function conv2dBackwardInput(g: Tensor, w: Tensor, inputSize: readonly [number, number], options: Omit<Conv2dOptions, "bias"> = {}): Tensor {
  assertTensor(g, "conv2dBackwardInput", "g");
  assertTensor(w, "conv2dBackwardInput", "w");
  pair("conv2dBackwardInput", "inputSize", inputSize, 1, 0);
  const [gf, wf] = floatPair("conv2dBackwardInput", g, w);
  return conv2dBackwardInputPrimitive(gf, wf, inputSize, convAttrs("conv2dBackwardInput", options));
}

export function conv2dBackwardInputPrimitive(g: Tensor, w: Tensor, inputSize: readonly [number, number], attrs: Conv2dAttrs): Tensor {
  const [h, wd] = inputSize;
  if (g.rank !== 4) throw new ShapeError(`conv2dBackwardInput: gradient must be [N, O, OH, OW], got ${formatShape(g.shape)}`);
  const xShape = [g.shape[0], w.shape[1] * attrs.groups, h, wd];
  const out = checkConv("conv2dBackwardInput", xShape, w.shape, attrs);
  if (g.shape[1] !== w.shape[0] || g.shape[2] !== out[0] || g.shape[3] !== out[1]) {
    throw new ShapeError(`conv2dBackwardInput: gradient ${formatShape(g.shape)} does not match weight ${formatShape(w.shape)} and input size ${h}×${wd}`);
  }
  return apply("conv2dBackwardInput", [g, w], { ...geometry(attrs), inputSize: [h, wd] }, xShape, g.dtype);
}

/**
 * The gradient of conv2d with respect to its weight: x [N, C, H, W] and g [N, O, OH, OW]
 * give [O, C/groups, kH, kW] for `kernelSize` [kH, kW].
 */
export function conv2dBackwardWeight(x: Tensor, g: Tensor, kernelSize: readonly [number, number], options: Omit<Conv2dOptions, "bias"> = {}): Tensor {
  assertTensor(x, "conv2dBackwardWeight", "x");
  assertTensor(g, "conv2dBackwardWeight", "g");
  pair("conv2dBackwardWeight", "kernelSize", kernelSize, 1, 1);
  const [xf, gf] = floatPair("conv2dBackwardWeight", x, g);
  return conv2dBackwardWeightPrimitive(xf, gf, kernelSize, convAttrs("conv2dBackwardWeight", options));
}

export function conv2dBackwardWeightPrimitive(x: Tensor, g: Tensor, kernelSize: readonly [number, number], attrs: Conv2dAttrs): Tensor {
  if (g.rank !== 4 || x.rank !== 4) throw new ShapeError(`conv2dBackwardWeight: input and gradient must be rank 4, got ${formatShape(x.shape)} and ${formatShape(g.shape)}`);
  const wShape = [g.shape[1], x.shape[1] / attrs.groups, kernelSize[0], kernelSize[1]];
  const out = checkConv("conv2dBackwardWeight", x.shape, wShape, attrs);
  if (g.shape[0] !== x.shape[0] || g.shape[2] !== out[0] || g.shape[3] !== out[1]) {
    throw new ShapeError(`conv2dBackwardWeight: gradient ${formatShape(g.shape)} does not match input ${formatShape(x.shape)} and kernel ${kernelSize.join("×")}`);
  }
  return apply("conv2dBackwardWeight", [x, g], { ...geometry(attrs), kernelSize: [kernelSize[0], kernelSize[1]] }, wShape, x.dtype);
}

export interface Pool2dOptions {
  /** Step between windows (default: the kernel size). */
  stride?: Pair;
  /** Padding on each side; at most half the kernel (default 0). */
  padding?: Pair;
}

function poolAttrs(op: string, x: Tensor, kernel: Pair, options: Pool2dOptions): { attrs: Pool2dAttrs; out: [number, number] } {
  if (x.rank !== 4) throw new ShapeError(`${op}: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  const k = pair(op, "kernel", kernel, 1, 1);
  const stride = pair(op, "stride", options.stride ?? k, 1, 1);
  const padding = pair(op, "padding", options.padding, 0, 0);
  if (padding[0] * 2 > k[0] || padding[1] * 2 > k[1]) throw new ArgumentError(`${op}: padding ${padding.join("×")} must be at most half the kernel ${k.join("×")}`);
  const oh = convOutputSize(x.shape[2], k[0], stride[0], padding[0], 1);
  const ow = convOutputSize(x.shape[3], k[1], stride[1], padding[1], 1);
  if (oh < 1 || ow < 1) throw new ShapeError(`${op}: kernel ${k.join("×")} does not fit input ${formatShape(x.shape)} with padding ${padding.join("×")}`);
  return { attrs: { kernel: k, stride, padding }, out: [oh, ow] };
}

/**
 * Max over each kH×kW window of x [N, C, H, W] (padding never wins). The first maximum of
 * a window takes its gradient: the primitive `maxPool2dIndices` finds the positions and the
 * values are a `gather`, whose gradient is `scatterAdd`.
 */
export function maxPool2d(x: Tensor, kernel: Pair, options: Pool2dOptions = {}): Tensor {
  assertTensor(x, "maxPool2d", "x");
  const { attrs, out } = poolAttrs("maxPool2d", x, kernel, options);
  const [n, c] = x.shape;
  const indices = apply("maxPool2dIndices", [x], attrs, [n, c, out[0], out[1]], "int32");
  const count = n * c * out[0] * out[1];
  return reshape(gather(reshape(x, [x.size]), reshape(indices, [count]), 0), [n, c, out[0], out[1]]);
}

/**
 * Mean over each kH×kW window of x [N, C, H, W]; padded zeros count in the mean (PyTorch's
 * count_include_pad). Non-overlapping windows that tile the input are a reshape and a
 * mean; other windows are a depthwise conv2d with a constant kernel.
 */
export function avgPool2d(x: Tensor, kernel: Pair, options: Pool2dOptions = {}): Tensor {
  assertTensor(x, "avgPool2d", "x");
  // Pooling runs in the input's dtype, autocast or not (as in PyTorch).
  return withAutocast(null, () => avgPool2dIn(x, kernel, options));
}

function avgPool2dIn(x: Tensor, kernel: Pair, options: Pool2dOptions): Tensor {
  const { attrs, out } = poolAttrs("avgPool2d", x, kernel, options);
  const [n, c, h, w] = x.shape;
  const [kh, kw] = attrs.kernel;
  const xf = x.dtype === floatType(x.dtype) ? x : cast(x, floatType(x.dtype));
  if (attrs.padding[0] === 0 && attrs.padding[1] === 0 && attrs.stride[0] === kh && attrs.stride[1] === kw && h % kh === 0 && w % kw === 0) {
    return mean(reshape(xf, [n, c, h / kh, kh, w / kw, kw]), [3, 5]);
  }
  const weight = fromHost(new Float64Array(kh * kw).fill(1 / (kh * kw)), [1, 1, kh, kw], xf.dtype, xf);
  const y = conv2dPrimitive(reshape(xf, [n * c, 1, h, w]), weight, { stride: attrs.stride, padding: attrs.padding, dilation: [1, 1], groups: 1 });
  return reshape(y, [n, c, out[0], out[1]]);
}

/** [out, size] averaging matrix of adaptive pooling: row i averages [⌊i·size/out⌋, ⌈(i+1)·size/out⌉). */
function adaptiveMatrix(size: number, out: number): Float64Array {
  const m = new Float64Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return m;
}

/**
 * Averages x [N, C, H, W] down to [N, C, oh, ow] with PyTorch's adaptive windows. When the
 * sizes divide it is a reshape and a mean; otherwise two small matmuls with averaging matrices.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  assertTensor(x, "adaptiveAvgPool2d", "x");
  // Pooling runs in the input's dtype, autocast or not (as in PyTorch).
  return withAutocast(null, () => adaptiveAvgPool2dIn(x, outputSize));
}

function adaptiveAvgPool2dIn(x: Tensor, outputSize: Pair): Tensor {
  if (x.rank !== 4) throw new ShapeError(`adaptiveAvgPool2d: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  const [oh, ow] = pair("adaptiveAvgPool2d", "outputSize", outputSize, 1, 1);
  const [n, c, h, w] = x.shape;
  const xf = x.dtype === floatType(x.dtype) ? x : cast(x, floatType(x.dtype));
  if (h % oh === 0 && w % ow === 0) return mean(reshape(xf, [n, c, oh, h / oh, ow, w / ow]), [3, 5]);
  const ph = fromHost(adaptiveMatrix(h, oh), [oh, h], xf.dtype, xf);
  const pw = fromHost(adaptiveMatrix(w, ow), [ow, w], xf.dtype, xf);
  return matmul(matmul(ph, xf), pw, { transposeB: true });
}
