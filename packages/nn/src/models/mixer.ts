/**
 * KroneckerMixer (seed 001 §10, design 2): an MLP-Mixer whose token-mixing MLP is replaced by a
 * fixed (or learned-initiator) Kronecker recurrence over the token axis. Each block:
 * u = LN(x); per channel c, h ← h + tanh(h Gᵀ) for T steps starting at h = u[:, :, c]ᵀ;
 * x ← x + (h_T − u); then x ← x + W₂ gelu(W₁ LN(x)) (channel MLP).
 */
import { type Generator, type Tensor, gelu } from "@fcn/tensor";
import { generatorOf, nonNegativeInteger, positiveInteger } from "../config.js";
import { type GraphConfig, GraphOperator } from "../graph/operator.js";
import { LayerNorm } from "../layers/basic.js";
import { Linear } from "../layers/linear.js";
import { Module } from "../module.js";
import { circulate } from "./fractal.js";

export interface KroneckerMixerConfig {
  /** Tokens N = m^k. */
  tokens: number;
  /** Features per input token. */
  inputs: number;
  classes: number;
  /** Channels C (default 16). */
  channels?: number;
  /** Channel-MLP width (default 2C). */
  hidden?: number;
  /** Blocks (default 2). */
  blocks?: number;
  /** Token-recurrence steps T per block (default 3). */
  steps?: number;
  /** The token graph (default fixed Sierpinski Kronecker graph, ρ = 0.9). */
  graph?: GraphConfig;
  seed?: number | Generator;
}

class MixerBlock extends Module {
  readonly tokenNorm: LayerNorm;
  readonly graph: GraphOperator;
  readonly channelNorm: LayerNorm;
  readonly up: Linear;
  readonly down: Linear;
  constructor(tokens: number, channels: number, hidden: number, readonly steps: number, graph: GraphConfig | undefined, gen: Generator) {
    super();
    this.tokenNorm = this.module("tokenNorm", new LayerNorm(channels));
    this.graph = this.module("graph", new GraphOperator(tokens, graph, { steps, seed: gen.split(), owner: "KroneckerMixer" }));
    this.channelNorm = this.module("channelNorm", new LayerNorm(channels));
    this.up = this.module("up", new Linear({ inputs: channels, outputs: hidden, seed: gen.split() }));
    this.down = this.module("down", new Linear({ inputs: hidden, outputs: channels, seed: gen.split() }));
  }
  forward(x: Tensor): Tensor {
    const [b, n, c] = x.shape;
    const u = this.tokenNorm.forward(x);
    const rows = u.permute([0, 2, 1]).reshape([b * c, n]); // one row per (sample, channel)
    const mixed = circulate(rows, this.graph, this.steps, "residual").sub(rows);
    const h = x.add(mixed.reshape([b, c, n]).permute([0, 2, 1]));
    return h.add(this.down.forward(gelu(this.up.forward(this.channelNorm.forward(h)))));
  }
}

/** Input map → blocks → mean over tokens → LayerNorm → linear head. Input [batch, N, inputs]. */
export class KroneckerMixer extends Module {
  readonly embed: Linear;
  readonly blocks: MixerBlock[];
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(config: KroneckerMixerConfig) {
    super();
    const n = positiveInteger("KroneckerMixer", "tokens", config.tokens);
    const inputs = positiveInteger("KroneckerMixer", "inputs", config.inputs);
    const classes = positiveInteger("KroneckerMixer", "classes", config.classes);
    const c = positiveInteger("KroneckerMixer", "channels", config.channels ?? 16);
    const hidden = positiveInteger("KroneckerMixer", "hidden", config.hidden ?? 2 * c);
    const count = positiveInteger("KroneckerMixer", "blocks", config.blocks ?? 2);
    const steps = nonNegativeInteger("KroneckerMixer", "steps", config.steps ?? 3);
    const gen = generatorOf(config.seed);
    this.embed = this.module("embed", new Linear({ inputs, outputs: c, seed: gen.split() }));
    this.blocks = Array.from({ length: count }, (_, i) => this.module(`block${i}`, new MixerBlock(n, c, hidden, steps, config.graph, gen)));
    this.norm = this.module("norm", new LayerNorm(c));
    this.head = this.module("head", new Linear({ inputs: c, outputs: classes, seed: gen.split() }));
  }

  forward(x: Tensor): Tensor {
    let h = this.embed.forward(x);
    for (const block of this.blocks) h = block.forward(h);
    return this.head.forward(this.norm.forward(h.mean(1)));
  }
}
