/**
 * Convolutional layers on NCHW tensors: Conv2d, pooling, BatchNorm2d (running statistics as
 * buffers, train/eval), a per-sample layer norm over [C, H, W], channel dropout and drop-path.
 * Thin modules over the `@fcn/tensor` ops of the same names.
 */
import {
  ArgumentError, type Generator, type Pair, type Tensor, adaptiveAvgPool2d, avgPool2d, batchNorm, conv2d, convOutputSize, dropPath,
  dropout2d, maxPool2d, ones, zeros,
} from "@fcn/tensor";
import { dropoutRate, generatorOf, positiveInteger, uniformInit } from "../config.js";
import { Module, type Parameter } from "../module.js";

export interface Conv2dConfig {
  inputs: number;
  outputs: number;
  /** Kernel size (number or [height, width]). */
  kernel: Pair;
  stride?: Pair;
  /** Zeros on each side; "same" keeps the spatial size at stride 1 (dilation·(kernel − 1)/2, odd kernels). Default 0. */
  padding?: Pair | "same";
  dilation?: Pair;
  groups?: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  seed?: number | Generator;
}

function asPair(owner: string, field: string, value: Pair, min: number): [number, number] {
  const p: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  for (const v of p) if (!Number.isInteger(v) || v < min) throw new ArgumentError(`${owner}: ${field} must be an integer ≥ ${min} (or a pair), got ${JSON.stringify(value)}`);
  return p;
}

/**
 * 2-D convolution (cross-correlation, PyTorch's Conv2d): weight [outputs, inputs/groups, kH, kW],
 * bias [outputs]; both start uniform in ±1/√fanIn with fanIn = inputs/groups·kH·kW (PyTorch's default).
 * Params: outputs·inputs/groups·kH·kW (+ outputs).
 * @example new Conv2d({ inputs: 3, outputs: 16, kernel: 3, padding: "same" }).forward(x) // [n, 16, h, w]
 */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inputs: number;
  readonly outputs: number;
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(config: Conv2dConfig) {
    super();
    const owner = "Conv2d";
    this.inputs = positiveInteger(owner, "inputs", config.inputs);
    this.outputs = positiveInteger(owner, "outputs", config.outputs);
    this.kernel = asPair(owner, "kernel", config.kernel, 1);
    this.stride = asPair(owner, "stride", config.stride ?? 1, 1);
    this.dilation = asPair(owner, "dilation", config.dilation ?? 1, 1);
    this.groups = positiveInteger(owner, "groups", config.groups ?? 1);
    if (this.inputs % this.groups !== 0 || this.outputs % this.groups !== 0) {
      throw new ArgumentError(`${owner}: groups (${this.groups}) must divide inputs (${this.inputs}) and outputs (${this.outputs})`);
    }
    if (config.padding === "same") {
      if (this.kernel.some((k) => k % 2 === 0)) throw new ArgumentError(`${owner}: padding "same" needs an odd kernel, got ${this.kernel.join("×")}`);
      this.padding = [(this.dilation[0] * (this.kernel[0] - 1)) / 2, (this.dilation[1] * (this.kernel[1] - 1)) / 2];
    } else {
      this.padding = asPair(owner, "padding", config.padding ?? 0, 0);
    }
    const fanIn = (this.inputs / this.groups) * this.kernel[0] * this.kernel[1];
    const gen = generatorOf(config.seed);
    this.weight = this.param("weight", uniformInit([this.outputs, this.inputs / this.groups, ...this.kernel], fanIn, gen));
    this.bias = config.bias === false ? null : this.param("bias", uniformInit([this.outputs], fanIn, gen));
  }

  /** Output [height, width] for an input of [height, width]. */
  outputSize(size: readonly [number, number]): [number, number] {
    return [0, 1].map((a) => convOutputSize(size[a], this.kernel[a], this.stride[a], this.padding[a], this.dilation[a])) as [number, number];
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight.value, {
      stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, bias: this.bias?.value,
    });
  }
}

/** Max pooling (stride defaults to the kernel). */
export class MaxPool2d extends Module {
  constructor(readonly kernel: Pair, readonly options: { stride?: Pair; padding?: Pair } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernel, this.options);
  }
}

/** Average pooling (stride defaults to the kernel; padded zeros count). */
export class AvgPool2d extends Module {
  constructor(readonly kernel: Pair, readonly options: { stride?: Pair; padding?: Pair } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernel, this.options);
  }
}

/** Average pooling to a fixed output size (1 = global average pooling). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

/**
 * Batch normalization over N, H, W per channel with a learned affine (weight 1, bias 0) and
 * running mean/variance buffers (0 and 1). Training mode normalizes with the batch statistics and
 * updates the running ones (unless `updateStats` is false); eval mode uses the running ones.
 * Params: 2·channels.
 */
export class BatchNorm2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly momentum: number;
  readonly eps: number;
  /** False: training mode still uses batch statistics but leaves the running ones alone (recomputation under checkpointing). */
  updateStats = true;

  constructor(channels: number, options: { momentum?: number; eps?: number } = {}) {
    super();
    positiveInteger("BatchNorm2d", "channels", channels);
    this.momentum = options.momentum ?? 0.1;
    this.eps = options.eps ?? 1e-5;
    this.weight = this.param("weight", ones([channels]));
    this.bias = this.param("bias", zeros([channels]));
    this.runningMean = this.buffer("runningMean", zeros([channels]));
    this.runningVar = this.buffer("runningVar", ones([channels]));
  }

  forward(x: Tensor): Tensor {
    const running = this.training && !this.updateStats ? null : this.runningMean;
    return batchNorm(x, running, running ? this.runningVar : null, this.weight.value, this.bias.value, {
      training: this.training, momentum: this.momentum, eps: this.eps,
    });
  }
}

/**
 * Layer normalization of each sample over [C, H, W] (GroupNorm with one group) with a
 * per-channel affine. Params: 2·channels.
 */
export class LayerNorm2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly eps: number;
  constructor(channels: number, eps = 1e-5) {
    super();
    positiveInteger("LayerNorm2d", "channels", channels);
    this.eps = eps;
    this.weight = this.param("weight", ones([channels]));
    this.bias = this.param("bias", zeros([channels]));
  }
  forward(x: Tensor): Tensor {
    const mean = x.mean([1, 2, 3], true);
    const centered = x.sub(mean);
    const variance = centered.mul(centered).mean([1, 2, 3], true);
    const c = x.shape[1];
    return centered.div(variance.add(this.eps).sqrt()).mul(this.weight.value.reshape([1, c, 1, 1])).add(this.bias.value.reshape([1, c, 1, 1]));
  }
}

/** Channel dropout (whole feature maps), active in training mode only. */
export class Dropout2d extends Module {
  readonly p: number;
  generator: Generator;
  constructor(p: number, seed?: number | Generator) {
    super();
    this.p = dropoutRate("Dropout2d", "p", p);
    this.generator = generatorOf(seed);
  }
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.generator, this.training);
  }
}

/** Drop-path (stochastic depth per sample), active in training mode only. */
export class DropPath extends Module {
  readonly p: number;
  generator: Generator;
  constructor(p: number, seed?: number | Generator) {
    super();
    this.p = dropoutRate("DropPath", "p", p);
    this.generator = generatorOf(seed);
  }
  forward(x: Tensor): Tensor {
    return dropPath(x, this.p, this.generator, this.training);
  }
}
