/** Dense baselines of seeds 000–002: DenseMLP, DeepMLP, SparseMLP, and eq. 13 width matching. */
import { ArgumentError, type Generator, type Tensor, checkAllocation } from "@fcn/tensor";
import { dropoutRate, generatorOf, nonNegativeInteger, positiveInteger } from "../config.js";
import { type ActivationName, Dropout, activate, activationName } from "../layers/basic.js";
import { Linear, SparseLinear } from "../layers/linear.js";
import { Module } from "../module.js";

export interface MLPConfig {
  inputs?: number;
  outputs?: number;
  /** Hidden width h (default 64). */
  width?: number;
  /** Hidden layers (default 2: Linear(d,h), Linear(h,h), Linear(h,o) — the seed's "3-layer" MLP). */
  hiddenLayers?: number;
  activation?: ActivationName;
  /** Dropout after every hidden activation, in [0, 1) (default 0). */
  dropout?: number;
  seed?: number | Generator;
}

export interface SparseMLPConfig extends MLPConfig {
  /** Kept fraction of every weight matrix (default 0.25). */
  density?: number;
}

/**
 * Multilayer perceptron: hiddenLayers × (Linear → φ → dropout), then a Linear readout.
 * Params (L = hiddenLayers): (d+1)h + (L−1)(h+1)h + (h+1)o; d=2, h=64, L=2, o=1 → 4,417.
 */
export class DenseMLP extends Module {
  readonly layers: Module[];
  readonly activation: ActivationName;
  readonly dropouts: Dropout[];

  constructor(config: MLPConfig = {}, sparse?: { density: number }) {
    super();
    const owner = sparse ? "SparseMLP" : this.constructor.name;
    const d = positiveInteger(owner, "inputs", config.inputs ?? 2);
    const o = positiveInteger(owner, "outputs", config.outputs ?? 1);
    const h = positiveInteger(owner, "width", config.width ?? 64);
    const depth = nonNegativeInteger(owner, "hiddenLayers", config.hiddenLayers ?? this.defaultDepth());
    const p = dropoutRate(owner, "dropout", config.dropout ?? 0);
    this.activation = activationName(owner, "activation", config.activation ?? "relu");
    const gen = generatorOf(config.seed);
    const sizes = [d, ...Array.from({ length: depth }, () => h), o];
    // Refuse an impossible width before allocating any layer: the first ones alone could take minutes.
    for (let i = 0; i + 1 < sizes.length; i++) checkAllocation(owner, [sizes[i + 1], sizes[i]]);
    this.layers = [];
    this.dropouts = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const layerConfig = { inputs: sizes[i], outputs: sizes[i + 1], seed: gen.split() };
      this.layers.push(this.module(`layer${i}`, sparse ? new SparseLinear({ ...layerConfig, density: sparse.density }) : new Linear(layerConfig)));
      if (i + 2 < sizes.length && p > 0) this.dropouts.push(this.module(`dropout${i}`, new Dropout(p, gen.split())));
    }
  }

  protected defaultDepth(): number {
    return 2;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    const last = this.layers.length - 1;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      if (i < last) {
        h = activate(this.activation, h);
        if (this.dropouts[i]) h = this.dropouts[i].forward(h);
      }
    });
    return h;
  }
}

/** A deeper DenseMLP (default 3 hidden layers, seed 001's "dense deep" control). */
export class DeepMLP extends DenseMLP {
  protected override defaultDepth(): number {
    return 3;
  }
}

/**
 * DenseMLP whose every weight matrix carries a fixed random mask (default 25% density, seed
 * 000 Exp 9). rawParams equals the dense count; effectiveParams counts kept weights + biases.
 */
export class SparseMLP extends DenseMLP {
  constructor(config: SparseMLPConfig = {}) {
    super(config, { density: config.density ?? 0.25 });
  }
}

/** Raw parameter count of an MLP with L weight layers (L − 1 hidden layers) of width h. */
export function mlpParams(inputs: number, width: number, outputs: number, layers: number): number {
  return (inputs + 1) * width + (layers - 2) * (width + 1) * width + (width + 1) * outputs;
}

/**
 * Eq. 13 width matching: the hidden width h of an L-layer MLP (L weight layers) whose
 * parameter count best fits a budget P, h = ⌊(P − o) / (d + 1 + o + (L − 2)(h + 1))⌋.
 * The fixed point is taken at the real root of h(d + 1 + o + (L − 2)(h + 1)) = P − o, so h is
 * the widest MLP with at most P parameters (plain iteration of eq. 13 oscillates for L ≥ 3).
 */
export function widthMatched(target: number, options: { inputs: number; outputs: number; layers?: number }): { width: number; params: number } {
  const d = positiveInteger("widthMatched", "inputs", options.inputs);
  const o = positiveInteger("widthMatched", "outputs", options.outputs);
  const layers = options.layers ?? 3;
  if (!Number.isInteger(layers) || layers < 2) throw new ArgumentError(`widthMatched: layers must be an integer ≥ 2, got ${layers}`);
  if (!(target >= mlpParams(d, 1, o, layers))) throw new ArgumentError(`widthMatched: target ${target} is below the smallest ${layers}-layer MLP (${mlpParams(d, 1, o, layers)} params)`);
  const a = layers - 2;
  const b = d + 1 + o + a;
  const c = target - o;
  const root = a === 0 ? c / b : (-b + Math.sqrt(b * b + 4 * a * c)) / (2 * a);
  let width = Math.max(1, Math.floor(root + 1e-9));
  while (mlpParams(d, width, o, layers) > target && width > 1) width--;
  while (mlpParams(d, width + 1, o, layers) <= target) width++;
  return { width, params: mlpParams(d, width, o, layers) };
}
