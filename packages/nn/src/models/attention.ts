/**
 * Attention layers over [batch, N, D] and a 2-layer Transformer classifier (seed 000 §3.3,
 * Exp 6–7). FractalAttention learns k factors A_ℓ ∈ ℝ^{m×m} (N = m^k) and mixes values with
 * A = row-softmax(A₁ ⊗ … ⊗ A_k) (eq. 8–9), on one of three paths:
 * - "materialized": builds the N×N logits (small N);
 * - "streaming": the same A, computed tile by tile from the factors (a tile of rows and
 *   columns with fixed leading digits is a Kronecker product of factor slices) with a
 *   streamed softmax (row maxima from the factors), and a hand-written backward that
 *   recomputes the tiles (`streamingKroneckerAttention`),
 *   so N×N is never stored, in inference or in training: O(N·D) memory between forward and
 *   backward, O(blockRows·blockCols) scratch;
 * - "factored": softmax(A₁) ⊗ … ⊗ softmax(A_k) applied factor-wise in O(N·Σm·D) via
 *   (A ⊗ B) vec(X) = vec(B X Aᵀ). Row-stochastic, but not eq. 8: the softmax of a Kronecker
 *   product is not the Kronecker product of softmaxes.
 */
import { ArgumentError, type Generator, type Tensor, matmul, randn, softmax, tensor } from "@fcn/tensor";
import { dropoutRate, generatorOf, positiveInteger, powerOf, density as densityCheck } from "../config.js";
import { Dropout, Embedding, LayerNorm } from "../layers/basic.js";
import { Linear, ParameterList } from "../layers/linear.js";
import { Module, type Parameter } from "../module.js";
import { streamingKroneckerAttention } from "./streaming.js";

/** Logits per streaming tile by default (blockRows · blockCols). */
const STREAMING_TILE = 2 ** 18;

export type FractalAttentionPath = "materialized" | "streaming" | "factored";

export interface FractalAttentionConfig {
  /** Tokens N = m^k. */
  tokens: number;
  /** Model width D. */
  model: number;
  /** Factor size m (default 2). */
  factorSize?: number;
  /** Default "materialized" for N ≤ 128, else "streaming". */
  path?: FractalAttentionPath;
  /** Rows per streaming tile, a power of m dividing N (default: largest with blockRows·blockCols ≤ 2¹⁸). */
  blockRows?: number;
  /** Columns per streaming tile, a power of m dividing N (default: largest ≤ min(N, 1024)). */
  blockCols?: number;
  seed?: number | Generator;
}

function kronRows(a: Tensor, b: Tensor): Tensor {
  const [p, q] = a.shape;
  const [r, s] = b.shape;
  return a.reshape([p, 1, q, 1]).mul(b.reshape([1, r, 1, s])).reshape([p * r, q * s]);
}

/** out = (A V) W_oᵀ + b_o with V = x W_vᵀ + b_v and A = row-softmax(A₁ ⊗ … ⊗ A_k). Params: k·m² + 2(D² + D). */
export class FractalAttention extends Module {
  readonly factors: Parameter[];
  readonly value: Linear;
  readonly output: Linear;
  readonly tokens: number;
  readonly factorSize: number;
  readonly depth: number;
  path: FractalAttentionPath;
  readonly blockRows: number;
  readonly blockCols: number;

  constructor(config: FractalAttentionConfig) {
    super();
    this.tokens = positiveInteger("FractalAttention", "tokens", config.tokens);
    const d = positiveInteger("FractalAttention", "model", config.model);
    this.factorSize = positiveInteger("FractalAttention", "factorSize", config.factorSize ?? 2);
    this.depth = powerOf("FractalAttention", "tokens", this.tokens, this.factorSize);
    this.path = config.path ?? (this.tokens <= 128 ? "materialized" : "streaming");
    if (!["materialized", "streaming", "factored"].includes(this.path)) throw new ArgumentError(`FractalAttention: path must be materialized, streaming or factored, got ${String(this.path)}`);
    let cols = 1;
    while (cols * this.factorSize <= Math.min(this.tokens, 1024)) cols *= this.factorSize;
    this.blockCols = config.blockCols ?? cols;
    let rows = 1;
    // 2¹⁸ logits a tile (about 14 MB of scratch in float32): fewer, larger products for the gemm.
    while (rows * this.factorSize <= this.tokens && rows * this.factorSize * this.blockCols <= STREAMING_TILE) rows *= this.factorSize;
    this.blockRows = config.blockRows ?? rows;
    for (const [field, value] of [["blockRows", this.blockRows], ["blockCols", this.blockCols]] as const) {
      if (!Number.isInteger(value) || value < 1 || this.tokens % value !== 0 || powerOfOrZero(value, this.factorSize) < 0) {
        throw new ArgumentError(`FractalAttention: ${field} must be a power of ${this.factorSize} dividing ${this.tokens}, got ${value}`);
      }
    }
    const gen = generatorOf(config.seed);
    const list = this.module("factors", new ParameterList());
    const m = this.factorSize;
    this.factors = Array.from({ length: this.depth }, (_, l) => list.add(String(l), randn([m, m], gen, { mean: 1, std: 0.1 })));
    this.value = this.module("value", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
    this.output = this.module("output", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
  }

  /** The N×N attention matrix of eq. 8 (materialized; small N). */
  attention(): Tensor {
    return softmax(this.factors.map((f) => f.value).reduce(kronRows), -1);
  }

  /** A V for values [batch, N, D] on the configured path. */
  mix(v: Tensor): Tensor {
    const factors = this.factors.map((f) => f.value);
    if (this.path === "materialized") return matmul(this.attention(), v);
    if (this.path === "factored") return applyFactorwise(factors.map((a) => softmax(a, -1)), v);
    return this.stream(factors, v);
  }

  private stream(factors: Tensor[], v: Tensor): Tensor {
    return streamingKroneckerAttention(factors, v, { blockRows: this.blockRows, blockCols: this.blockCols });
  }

  forward(x: Tensor): Tensor {
    return this.output.forward(this.mix(this.value.forward(x)));
  }
}

function powerOfOrZero(n: number, base: number): number {
  let k = 0;
  let v = 1;
  while (v < n) {
    v *= base;
    k++;
  }
  return v === n ? k : -1;
}

/** (S₁ ⊗ … ⊗ S_k) V for V [batch, N, D], one broadcast matmul per factor. */
export function applyFactorwise(factors: readonly Tensor[], v: Tensor): Tensor {
  const [batch, n, d] = v.shape;
  let h = v;
  let done = 1;
  let rest = n;
  for (const s of factors) {
    const m = s.shape[0];
    rest /= m;
    h = matmul(s, h.reshape([batch * done, m, rest * d]));
    done *= m;
  }
  return h.reshape([batch, n, d]);
}

export interface DenseAttentionConfig {
  tokens: number;
  model: number;
  heads?: number;
  seed?: number | Generator;
}

/** Scaled dot-product attention (eq. 7), multi-head, with an optional fixed additive mask. Params: 4(D² + D). */
export class DenseAttention extends Module {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly output: Linear;
  readonly heads: number;
  readonly tokens: number;
  protected maskBias: Tensor | null = null;

  constructor(config: DenseAttentionConfig, owner = "DenseAttention") {
    super();
    this.tokens = positiveInteger(owner, "tokens", config.tokens);
    const d = positiveInteger(owner, "model", config.model);
    this.heads = positiveInteger(owner, "heads", config.heads ?? 1);
    if (d % this.heads !== 0) throw new ArgumentError(`${owner}: model (${d}) must be divisible by heads (${this.heads})`);
    const gen = generatorOf(config.seed);
    this.query = this.module("query", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
    this.key = this.module("key", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
    this.value = this.module("value", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
    this.output = this.module("output", new Linear({ inputs: d, outputs: d, seed: gen.split() }));
  }

  /** Installs a fixed 0/1 mask [N, N] (1 = attend) as a buffer of 0 / −1e9 logits. */
  protected setMask(mask: Float32Array): void {
    const n = this.tokens;
    for (let i = 0; i < n; i++) mask[i * n + i] = 1; // every token sees itself
    this.maskBias = this.buffer("mask", tensor(mask.map((v) => (v ? 0 : -1e9)), { shape: [n, n] }));
  }

  forward(x: Tensor): Tensor {
    const [b, n, d] = x.shape;
    const h = this.heads;
    const dh = d / h;
    const split = (t: Tensor) => (h === 1 ? t : t.reshape([b, n, h, dh]).permute([0, 2, 1, 3]));
    const q = split(this.query.forward(x));
    const k = split(this.key.forward(x));
    const v = split(this.value.forward(x));
    let scores = matmul(q, k, { transposeB: true }).mul(1 / Math.sqrt(dh));
    if (this.maskBias) scores = scores.add(this.maskBias);
    let out = matmul(softmax(scores, -1), v);
    if (h > 1) out = out.permute([0, 2, 1, 3]).reshape([b, n, d]);
    return this.output.forward(out);
  }
}

/** Dense attention restricted to a fixed random pattern (each row keeps a `density` fraction, plus itself). */
export class SparseRandomAttention extends DenseAttention {
  constructor(config: DenseAttentionConfig & { density?: number }) {
    super(config, "SparseRandomAttention");
    const rho = densityCheck("SparseRandomAttention", "density", config.density ?? 0.25);
    const gen = generatorOf(config.seed).split();
    const n = this.tokens;
    this.setMask(Float32Array.from({ length: n * n }, () => (gen.uniform() < rho ? 1 : 0)));
  }
}

/** Dense attention restricted to |i − j| ≤ window. */
export class LocalWindowAttention extends DenseAttention {
  readonly window: number;
  constructor(config: DenseAttentionConfig & { window?: number }) {
    super(config, "LocalWindowAttention");
    this.window = positiveInteger("LocalWindowAttention", "window", config.window ?? 4);
    const n = this.tokens;
    this.setMask(Float32Array.from({ length: n * n }, (_, k) => (Math.abs(Math.floor(k / n) - (k % n)) <= this.window ? 1 : 0)));
  }
}

export type AttentionKind = "fractal" | "dense" | "sparseRandom" | "localWindow";

export interface TransformerConfig {
  tokens: number;
  /** Token vocabulary (int32 input [batch, N]); or `inputs` for float features [batch, N, inputs]. */
  vocabulary?: number;
  inputs?: number;
  classes: number;
  /** D (default 32). */
  model?: number;
  /** Feed-forward width (default 2D). */
  hidden?: number;
  /** Blocks (default 2). */
  layers?: number;
  attention?: AttentionKind | ((layer: number, seed: Generator) => Module);
  heads?: number;
  factorSize?: number;
  path?: FractalAttentionPath;
  dropout?: number;
  seed?: number | Generator;
}

class Block extends Module {
  readonly norm1: LayerNorm;
  readonly attention: Module;
  readonly norm2: LayerNorm;
  readonly up: Linear;
  readonly down: Linear;
  private readonly drop: Dropout | null;
  constructor(d: number, hidden: number, attention: Module, p: number, gen: Generator) {
    super();
    this.norm1 = this.module("norm1", new LayerNorm(d));
    this.attention = this.module("attention", attention);
    this.norm2 = this.module("norm2", new LayerNorm(d));
    this.up = this.module("up", new Linear({ inputs: d, outputs: hidden, seed: gen.split() }));
    this.down = this.module("down", new Linear({ inputs: hidden, outputs: d, seed: gen.split() }));
    this.drop = p > 0 ? this.module("dropout", new Dropout(p, gen.split())) : null;
  }
  forward(x: Tensor): Tensor {
    let a = this.attention.forward(this.norm1.forward(x));
    if (this.drop) a = this.drop.forward(a);
    const h = x.add(a);
    let f = this.down.forward(this.up.forward(this.norm2.forward(h)).relu());
    if (this.drop) f = this.drop.forward(f);
    return h.add(f);
  }
}

/**
 * Pre-norm Transformer classifier: token embedding (or linear input map) + learned positions,
 * `layers` blocks x + Attn(LN x), x + FFN(LN x), mean pooling, LayerNorm, linear head.
 */
export class Transformer extends Module {
  readonly embed: Module;
  readonly positions: Parameter;
  readonly blocks: Block[];
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(config: TransformerConfig) {
    super();
    const n = positiveInteger("Transformer", "tokens", config.tokens);
    const d = positiveInteger("Transformer", "model", config.model ?? 32);
    const hidden = positiveInteger("Transformer", "hidden", config.hidden ?? 2 * d);
    const layers = positiveInteger("Transformer", "layers", config.layers ?? 2);
    const classes = positiveInteger("Transformer", "classes", config.classes);
    const p = dropoutRate("Transformer", "dropout", config.dropout ?? 0);
    const gen = generatorOf(config.seed);
    if ((config.vocabulary === undefined) === (config.inputs === undefined)) throw new ArgumentError("Transformer: give exactly one of vocabulary (token ids) or inputs (float features)");
    this.embed = this.module("embed", config.vocabulary !== undefined
      ? new Embedding(positiveInteger("Transformer", "vocabulary", config.vocabulary), d, gen.split())
      : new Linear({ inputs: positiveInteger("Transformer", "inputs", config.inputs!), outputs: d, seed: gen.split() }));
    this.positions = this.param("positions", randn([n, d], gen, { std: 0.1 }));
    const kind = config.attention ?? "fractal";
    const make = (layer: number): Module => {
      const seed = gen.split();
      if (typeof kind === "function") return kind(layer, seed);
      switch (kind) {
        case "fractal": return new FractalAttention({ tokens: n, model: d, factorSize: config.factorSize, path: config.path, seed });
        case "dense": return new DenseAttention({ tokens: n, model: d, heads: config.heads, seed });
        case "sparseRandom": return new SparseRandomAttention({ tokens: n, model: d, heads: config.heads, seed });
        case "localWindow": return new LocalWindowAttention({ tokens: n, model: d, heads: config.heads, seed });
        default: throw new ArgumentError(`Transformer: attention must be fractal, dense, sparseRandom, localWindow or a factory, got ${String(kind)}`);
      }
    };
    this.blocks = Array.from({ length: layers }, (_, l) => this.module(`block${l}`, new Block(d, hidden, make(l), p, gen)));
    this.norm = this.module("norm", new LayerNorm(d));
    this.head = this.module("head", new Linear({ inputs: d, outputs: classes, seed: gen.split() }));
  }

  forward(x: Tensor): Tensor {
    let h = this.embed.forward(x).add(this.positions.value);
    for (const block of this.blocks) h = block.forward(h);
    return this.head.forward(this.norm.forward(h.mean(1)));
  }
}
