/** Stateless and small layers: activations, Sequential, Dropout, LayerNorm, Embedding. */
import { ArgumentError, type Generator, type Tensor, dropout, gather, gelu, ones, randn, zeros } from "@fcn/tensor";
import { dropoutRate, generatorOf, positiveInteger } from "../config.js";
import { Module, type Parameter } from "../module.js";

export type ActivationName = "relu" | "tanh" | "sigmoid" | "gelu" | "identity";

/** φ by name. */
export function activate(name: ActivationName, x: Tensor): Tensor {
  switch (name) {
    case "relu": return x.relu();
    case "tanh": return x.tanh();
    case "sigmoid": return x.sigmoid();
    case "gelu": return gelu(x);
    case "identity": return x;
    default: throw new ArgumentError(`activation must be relu, tanh, sigmoid, gelu or identity, got ${String(name)}`);
  }
}

/** Checks an activation name, naming the owner and field. */
export function activationName(owner: string, field: string, name: string): ActivationName {
  if (!["relu", "tanh", "sigmoid", "gelu", "identity"].includes(name)) {
    throw new ArgumentError(`${owner}: ${field} must be relu, tanh, sigmoid, gelu or identity, got ${String(name)}`);
  }
  return name as ActivationName;
}

/** An activation as a module. */
export class Activation extends Module {
  readonly name: ActivationName;
  constructor(name: ActivationName) {
    super();
    this.name = activationName("Activation", "name", name);
  }
  forward(x: Tensor): Tensor {
    return activate(this.name, x);
  }
}

export const ReLU = (): Activation => new Activation("relu");
export const Tanh = (): Activation => new Activation("tanh");

/** Applies its children in order; they are named "0", "1", … */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(...layers: Module[]) {
    super();
    this.layers = layers.map((layer, i) => this.module(String(i), layer));
  }
  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }
}

/** Inverted dropout with probability p in [0, 1), active only in training mode. */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator;
  constructor(p: number, seed?: number | Generator) {
    super();
    this.p = dropoutRate("Dropout", "p", p);
    this.generator = generatorOf(seed);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.generator, this.training);
  }
}

/** (x − mean) / √(var + ε) · γ + β over the last axis. Params: 2·features. */
export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly eps: number;
  constructor(features: number, eps = 1e-5) {
    super();
    positiveInteger("LayerNorm", "features", features);
    this.eps = eps;
    this.weight = this.param("weight", ones([features]));
    this.bias = this.param("bias", zeros([features]));
  }
  forward(x: Tensor): Tensor {
    const mean = x.mean(-1, true);
    const centered = x.sub(mean);
    const variance = centered.mul(centered).mean(-1, true);
    return centered.div(variance.add(this.eps).sqrt()).mul(this.weight.value).add(this.bias.value);
  }
}

/** Rows of a learned table, looked up by int32 index. Params: count·dimension, init N(0, 1). */
export class Embedding extends Module {
  readonly weight: Parameter;
  constructor(count: number, dimension: number, seed?: number | Generator) {
    super();
    positiveInteger("Embedding", "count", count);
    positiveInteger("Embedding", "dimension", dimension);
    this.weight = this.param("weight", randn([count, dimension], generatorOf(seed)));
  }
  /** indices [...] int32 → [..., dimension]. */
  forward(indices: Tensor): Tensor {
    if (indices.dtype !== "int32") throw new ArgumentError(`Embedding: indices must be int32, got ${indices.dtype}`);
    const flat = gather(this.weight.value, indices.reshape([indices.size]), 0);
    return flat.reshape([...indices.shape, this.weight.shape[1]]);
  }
}
