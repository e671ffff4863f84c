/**
 * FractalNet (seeds 003/004): a CNN of fractal blocks built by the recursive template
 * f₁ = conv, f_{C+1}(x) = join(f_C(f_C(x)), f₁(x)), so a block with C columns has column c
 * (c = 1 … C) of N·2^{c−1} conv units and 2^{C−1} − 1 join points. Blocks are separated by
 * 2×2 max pooling; a global average pool and a linear layer classify.
 */
import {
  ArgumentError, Generator, type Tensor, checkpoint as checkpointFn, concat, convOutputSize, dropPath, dropout2d, gelu,
  isGradEnabled, leakyRelu, maxPool2d, silu,
} from "@fcn/tensor";
import { dropoutRate, positiveInteger } from "../config.js";
import { Linear } from "../layers/linear.js";
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, LayerNorm2d } from "../layers/conv.js";
import { Module } from "../module.js";

export type FractalNorm = "batch" | "layer" | "none";
export type FractalActivation = "relu" | "gelu" | "leakyRelu" | "silu" | "tanh";
export type FractalJoin = "mean" | "sum" | "concat";

export const FRACTAL_NORMS: readonly FractalNorm[] = ["batch", "layer", "none"];
export const FRACTAL_ACTIVATIONS: readonly FractalActivation[] = ["relu", "gelu", "leakyRelu", "silu", "tanh"];
export const FRACTAL_JOINS: readonly FractalJoin[] = ["mean", "sum", "concat"];

export interface FractalConvConfig {
  /** Kernel side (default 3). */
  kernel?: number;
  stride?: number;
  /** "same" (default) pads dilation·(kernel − 1)/2; a number pads that many zeros. */
  padding?: number | "same";
  dilation?: number;
  groups?: number;
}

export interface FractalNetConfig {
  /** Fractal depth: conv units in the base f₁ (default 1, the FractalNet rule f₁ = conv). */
  N?: number;
  /** Columns C of each fractal block (default 3). */
  columns?: number;
  /** Fractal blocks, with 2×2 max pooling between them (default 2). */
  blocks?: number;
  /** Output channels of each block: a number (doubled after every block) or one per block (default 16). */
  channels?: number | number[];
  conv?: FractalConvConfig;
  /** Normalization after each convolution (default "batch"). */
  norm?: FractalNorm;
  activation?: FractalActivation;
  /** Channel dropout at the end of each block (default 0.2, the seed's). */
  dropout?: number;
  /** Drop-path probability of each join input, per sample (default 0). */
  dropPath?: number;
  /** How a join merges its two inputs: elementwise mean, sum, or channel concat + 1×1 conv (default "mean"). */
  join?: FractalJoin;
  /** Input [channels, height, width] (default [3, 32, 32], CIFAR-10). */
  input?: [number, number, number];
  classes?: number;
  /** Only the deepest column (no joins): the plain network of the same depth. */
  plain?: boolean;
  /** Gradient checkpointing: each block is recomputed in backward instead of storing its intermediates. */
  checkpoint?: boolean;
  seed?: number;
}

/** A validated config with every default filled in. */
export interface ResolvedFractalNetConfig {
  N: number; columns: number; blocks: number; channels: number[];
  conv: { kernel: number; stride: number; padding: number; dilation: number; groups: number };
  norm: FractalNorm; activation: FractalActivation; dropout: number; dropPath: number; join: FractalJoin;
  input: [number, number, number]; classes: number; plain: boolean; checkpoint: boolean; seed: number;
}

/** Shapes decided before any weight exists: per block its input/output channels and spatial sizes. */
export interface FractalNetShapes {
  config: ResolvedFractalNetConfig;
  blocks: { inputs: number; outputs: number; inputSize: [number, number]; outputSize: [number, number] }[];
  /** Features entering the classifier. */
  features: number;
}

const OWNER = "FractalNet";

function oneOfNames<T extends string>(field: string, value: unknown, names: readonly T[]): T {
  if (!names.includes(value as T)) throw new ArgumentError(`${OWNER}: ${field} must be ${names.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

/**
 * Validates a config and infers every shape, throwing an ArgumentError that names the field
 * (`columns`, `blocks`, `channels`, `conv.kernel`, `conv.padding`, `conv.stride`, `conv.groups`,
 * `norm`, `join`, …) before any weight is built.
 */
export function inferFractalNet(config: FractalNetConfig = {}): FractalNetShapes {
  const N = positiveInteger(OWNER, "N", config.N ?? 1);
  const columns = positiveInteger(OWNER, "columns", config.columns ?? 3);
  if (columns > 8) throw new ArgumentError(`${OWNER}: columns must be ≤ 8 (the deepest column has N·2^(columns−1) convolutions), got ${columns}`);
  const blocks = positiveInteger(OWNER, "blocks", config.blocks ?? 2);
  const rawChannels = config.channels ?? 16;
  let channels: number[];
  if (Array.isArray(rawChannels)) {
    if (rawChannels.length !== blocks) throw new ArgumentError(`${OWNER}: channels must list one width per block (${blocks}), got ${rawChannels.length}`);
    channels = rawChannels.map((c, i) => positiveInteger(OWNER, `channels[${i}]`, c));
  } else {
    positiveInteger(OWNER, "channels", rawChannels);
    channels = Array.from({ length: blocks }, (_, b) => rawChannels * 2 ** b);
  }
  const conv = config.conv ?? {};
  const kernel = positiveInteger(OWNER, "conv.kernel", conv.kernel ?? 3);
  const stride = positiveInteger(OWNER, "conv.stride", conv.stride ?? 1);
  const dilation = positiveInteger(OWNER, "conv.dilation", conv.dilation ?? 1);
  const groups = positiveInteger(OWNER, "conv.groups", conv.groups ?? 1);
  let padding: number;
  if ((conv.padding ?? "same") === "same") {
    if (kernel % 2 === 0) throw new ArgumentError(`${OWNER}: conv.kernel must be odd with conv.padding "same", got ${kernel}`);
    padding = (dilation * (kernel - 1)) / 2;
  } else {
    padding = conv.padding as number;
    if (!Number.isInteger(padding) || padding < 0) throw new ArgumentError(`${OWNER}: conv.padding must be "same" or an integer ≥ 0, got ${JSON.stringify(conv.padding)}`);
  }
  const norm = oneOfNames("norm", config.norm ?? "batch", FRACTAL_NORMS);
  const activation = oneOfNames("activation", config.activation ?? "relu", FRACTAL_ACTIVATIONS);
  const join = oneOfNames("join", config.join ?? "mean", FRACTAL_JOINS);
  const dropout = dropoutRate(OWNER, "dropout", config.dropout ?? 0.2);
  const dropPathRate = dropoutRate(OWNER, "dropPath", config.dropPath ?? 0);
  const input = config.input ?? [3, 32, 32];
  if (!Array.isArray(input) || input.length !== 3) throw new ArgumentError(`${OWNER}: input must be [channels, height, width], got ${JSON.stringify(input)}`);
  input.forEach((v, i) => positiveInteger(OWNER, `input[${i}]`, v));
  const classes = positiveInteger(OWNER, "classes", config.classes ?? 10);
  const seed = config.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ArgumentError(`${OWNER}: seed must be an integer, got ${seed}`);
  const resolved: ResolvedFractalNetConfig = {
    N, columns, blocks, channels, conv: { kernel, stride, padding, dilation, groups }, norm, activation, dropout, dropPath: dropPathRate, join,
    input: [input[0], input[1], input[2]], classes, plain: config.plain ?? false, checkpoint: config.checkpoint ?? false, seed,
  };

  // Channels: every convolution's input and output widths must split into the groups.
  let inputs = input[0];
  for (let b = 0; b < blocks; b++) {
    for (const width of [inputs, channels[b]]) {
      if (width % groups !== 0) throw new ArgumentError(`${OWNER}: conv.groups (${groups}) must divide every convolution's channels; block ${b} has ${inputs} → ${channels[b]}`);
    }
    inputs = channels[b];
  }
  // Spatial sizes: one conv unit, f₁, and f_C, whose two join inputs must agree.
  const unit = (s: number): number => {
    const out = convOutputSize(s, kernel, stride, padding, dilation);
    if (out < 1) throw new ArgumentError(`${OWNER}: conv.kernel ${kernel} (dilation ${dilation}, padding ${padding}) does not fit a ${s}-pixel input`);
    return out;
  };
  const base = (s: number): number => {
    for (let i = 0; i < N; i++) s = unit(s);
    return s;
  };
  const fractal = (s: number, c: number): number => {
    if (c === 1) return base(s);
    const deep = fractal(fractal(s, c - 1), c - 1);
    const shallow = base(s);
    if (deep !== shallow) {
      const culprit = stride !== 1 ? "conv.stride" : "conv.padding";
      throw new ArgumentError(
        `${OWNER}: ${culprit} changes the spatial size (kernel ${kernel}, stride ${stride}, padding ${padding}, dilation ${dilation}), ` +
          `so the join inputs of a ${c}-column fractal differ (${deep} vs ${shallow} pixels); use stride 1 and padding "same"`,
      );
    }
    return deep;
  };
  const plainBlock = (s: number): number => {
    for (let i = 0; i < 2 ** (columns - 1); i++) s = base(s);
    return s;
  };
  const shapes: FractalNetShapes["blocks"] = [];
  let size: [number, number] = [input[1], input[2]];
  inputs = input[0];
  for (let b = 0; b < blocks; b++) {
    if (b > 0) {
      if (size[0] < 2 || size[1] < 2) {
        throw new ArgumentError(`${OWNER}: blocks = ${blocks} is too many for a ${input[1]}×${input[2]} input: 2×2 max pooling before block ${b} meets a ${size[0]}×${size[1]} map`);
      }
      size = [Math.floor(size[0] / 2), Math.floor(size[1] / 2)];
    }
    const out: [number, number] = resolved.plain ? [plainBlock(size[0]), plainBlock(size[1])] : [fractal(size[0], columns), fractal(size[1], columns)];
    shapes.push({ inputs, outputs: channels[b], inputSize: size, outputSize: out });
    size = out;
    inputs = channels[b];
  }
  return { config: resolved, blocks: shapes, features: channels[blocks - 1] };
}

function activate(name: FractalActivation, x: Tensor): Tensor {
  switch (name) {
    case "relu": return x.relu();
    case "gelu": return gelu(x);
    case "leakyRelu": return leakyRelu(x, 0.01);
    case "silu": return silu(x);
    case "tanh": return x.tanh();
  }
}

/** Convolution → normalization → activation: the `conv` of the template. */
export class ConvUnit extends Module {
  readonly conv: Conv2d;
  readonly norm: BatchNorm2d | LayerNorm2d | null;
  constructor(readonly inputs: number, readonly outputs: number, private readonly config: ResolvedFractalNetConfig, generator: Generator) {
    super();
    const c = config.conv;
    this.conv = this.module("conv", new Conv2d({
      inputs, outputs, kernel: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups, bias: config.norm === "none", seed: generator,
    }));
    this.norm = config.norm === "batch" ? this.module("norm", new BatchNorm2d(outputs)) : config.norm === "layer" ? this.module("norm", new LayerNorm2d(outputs)) : null;
  }
  forward(x: Tensor): Tensor {
    const y = this.conv.forward(x);
    return activate(this.config.activation, this.norm ? this.norm.forward(y) : y);
  }
}

/** f₁: N conv units in sequence. */
export class FractalBase extends Module {
  readonly units: ConvUnit[];
  constructor(inputs: number, outputs: number, config: ResolvedFractalNetConfig, generator: Generator, count = config.N) {
    super();
    this.units = Array.from({ length: count }, (_, i) => this.module(String(i), new ConvUnit(i === 0 ? inputs : outputs, outputs, config, generator)));
  }
  forward(x: Tensor): Tensor {
    let h = x;
    for (const unit of this.units) h = unit.forward(h);
    return h;
  }
}

/**
 * f_C by the template: C = 1 is f₁; otherwise `deep` = f_{C−1} ∘ f_{C−1} (children `first`,
 * `second`) and `shallow` = f₁, merged by the join.
 */
export class FractalUnit extends Module {
  readonly base: FractalBase | null = null;
  readonly first: FractalUnit | null = null;
  readonly second: FractalUnit | null = null;
  readonly shallow: FractalBase | null = null;
  readonly projection: Conv2d | null = null;
  /** Generator of drop-path during one forward (set by the block). */
  generator: Generator | null = null;

  constructor(readonly columns: number, inputs: number, outputs: number, private readonly config: ResolvedFractalNetConfig, generator: Generator) {
    super();
    if (columns === 1) {
      this.base = this.module("base", new FractalBase(inputs, outputs, config, generator));
    } else {
      this.first = this.module("first", new FractalUnit(columns - 1, inputs, outputs, config, generator));
      this.second = this.module("second", new FractalUnit(columns - 1, outputs, outputs, config, generator));
      this.shallow = this.module("shallow", new FractalBase(inputs, outputs, config, generator));
      if (config.join === "concat") this.projection = this.module("projection", new Conv2d({ inputs: 2 * outputs, outputs, kernel: 1, seed: generator }));
    }
  }

  /** Conv units per column, column 1 (shallowest) first, read from the built modules. */
  columnConvs(): number[] {
    if (this.base) return [this.base.units.length];
    const a = this.first!.columnConvs();
    const b = this.second!.columnConvs();
    return [this.shallow!.units.length, ...a.map((v, i) => v + b[i])];
  }

  /** Join points inside this unit, read from the built modules. */
  joins(): number {
    if (this.base) return 0;
    return 1 + this.first!.joins() + this.second!.joins();
  }

  forward(x: Tensor, generator: Generator | null = null): Tensor {
    if (this.base) return this.base.forward(x);
    let deep = this.second!.forward(this.first!.forward(x, generator), generator);
    let shallow = this.shallow!.forward(x);
    const p = this.config.dropPath;
    if (p > 0 && this.training && generator) {
      deep = dropPath(deep, p, generator, true);
      shallow = dropPath(shallow, p, generator, true);
    }
    switch (this.config.join) {
      case "mean": return deep.add(shallow).mul(0.5);
      case "sum": return deep.add(shallow);
      case "concat": return this.projection!.forward(concat([deep, shallow], 1));
    }
  }
}

/** One block: f_C (or the plain deepest column), then channel dropout. */
export class FractalBlock extends Module {
  readonly body: FractalUnit | FractalBase;
  constructor(inputs: number, outputs: number, private readonly config: ResolvedFractalNetConfig, generator: Generator) {
    super();
    this.body = config.plain
      ? this.module("plain", new FractalBase(inputs, outputs, config, generator, config.N * 2 ** (config.columns - 1)))
      : this.module("fractal", new FractalUnit(config.columns, inputs, outputs, config, generator));
  }
  forward(x: Tensor, generator: Generator | null = null): Tensor {
    const y = this.body instanceof FractalUnit ? this.body.forward(x, generator) : this.body.forward(x);
    return this.config.dropout > 0 && this.training && generator ? dropout2d(y, this.config.dropout, generator, true) : y;
  }
}

function batchNorms(module: Module, out: BatchNorm2d[] = []): BatchNorm2d[] {
  if (module instanceof BatchNorm2d) out.push(module);
  for (const [, child] of module.children()) batchNorms(child, out);
  return out;
}

/**
 * The FractalNet classifier. `forward(x [n, C, H, W])` → logits [n, classes].
 * Config errors (and shapes that cannot work, e.g. too many blocks for the image or a stride
 * that makes join inputs differ) throw ArgumentError naming the field, before any weight exists.
 * @example new FractalNet({ columns: 3, blocks: 2, channels: 8, input: [3, 8, 8], classes: 4 })
 */
export class FractalNet extends Module {
  readonly config: ResolvedFractalNetConfig;
  readonly shapes: FractalNetShapes;
  readonly blocks: FractalBlock[];
  readonly pool: AdaptiveAvgPool2d;
  readonly head: Linear;
  /** Draws dropout and drop-path masks; each block gets a fresh generator seeded from it per forward. */
  readonly generator: Generator;
  /** Gradient checkpointing per block (from the config; may be switched). */
  checkpoint: boolean;

  constructor(config: FractalNetConfig = {}) {
    super();
    this.shapes = inferFractalNet(config);
    this.config = this.shapes.config;
    this.checkpoint = this.config.checkpoint;
    const init = new Generator(this.config.seed);
    this.blocks = this.shapes.blocks.map((b, i) => this.module(`block${i}`, new FractalBlock(b.inputs, b.outputs, this.config, init)));
    this.pool = this.module("pool", new AdaptiveAvgPool2d(1));
    this.head = this.module("head", new Linear({ inputs: this.shapes.features, outputs: this.config.classes, seed: init }));
    this.generator = new Generator(this.config.seed + 1);
  }

  /** Per block: conv units per column (column 1 first) and join points, read from the built modules. */
  describe(): { columnConvs: number[]; joins: number }[] {
    return this.blocks.map((b) => (b.body instanceof FractalUnit ? { columnConvs: b.body.columnConvs(), joins: b.body.joins() } : { columnConvs: [b.body.units.length], joins: 0 }));
  }

  forward(x: Tensor): Tensor {
    const [c, h, w] = this.config.input;
    if (x.rank !== 4 || x.shape[1] !== c || x.shape[2] !== h || x.shape[3] !== w) {
      throw new ArgumentError(`${OWNER}: input must be [n, ${c}, ${h}, ${w}] (config.input), got [${x.shape.join(", ")}]`);
    }
    let y = x;
    this.blocks.forEach((block, i) => {
      if (i > 0) y = maxPool2d(y, 2);
      const stochastic = this.training && (this.config.dropout > 0 || this.config.dropPath > 0);
      const seed = stochastic ? this.generator.integer(0, 2 ** 31) : 0;
      const run = (input: Tensor) => block.forward(input, stochastic ? new Generator(seed) : null);
      if (this.checkpoint && isGradEnabled()) {
        // The same masks on recomputation (same seed), and running statistics updated once.
        const norms = batchNorms(block);
        let calls = 0;
        const fn = (input: Tensor) => {
          const recompute = calls++ > 0;
          if (recompute) norms.forEach((n) => (n.updateStats = false));
          try {
            return run(input);
          } finally {
            if (recompute) norms.forEach((n) => (n.updateStats = true));
          }
        };
        // The parameters go in as inputs too, so the checkpoint records even when x needs no gradient.
        const params = block.parameters().map((p) => p.value);
        y = checkpointFn((input: Tensor) => fn(input))(y, ...params);
      } else {
        y = run(y);
      }
    });
    const pooled = this.pool.forward(y);
    return this.head.forward(pooled.reshape([pooled.shape[0], pooled.shape[1]]));
  }
}

/** Conv units per column of f_C by the rule, without building anything: column c has N·2^{c−1}. */
export function fractalColumnConvs(columns: number, N = 1): number[] {
  return Array.from({ length: columns }, (_, c) => N * 2 ** c);
}

