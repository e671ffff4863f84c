/**
 * Seed 001's reservoirs: h₀ = φ(W_in x), h_{t+1} = φ(h_t + φ(h_t Gᵀ)), ŷ = W_out [x, h_T], with
 * gated and leaky variants. The graph controls use the same code path with only G changed
 * (`graph.kind`). Params: (d+1)H + (d+H+1)o (+1 scalar gate, +H vector gate).
 */
import { ArgumentError, type Generator, type Tensor, concat, zeros } from "@fcn/tensor";
import { generatorOf, inRange, nonNegativeInteger, positiveInteger } from "../config.js";
import { type GraphConfig, GraphOperator } from "../graph/operator.js";
import { type ActivationName, activate, activationName } from "../layers/basic.js";
import { Linear } from "../layers/linear.js";
import { Module, type Parameter } from "../module.js";

export interface ReservoirConfig {
  inputs?: number;
  outputs?: number;
  /** H = m^k (default 16). */
  hidden?: number;
  /** Recurrent steps T ≥ 0 (default 5). */
  steps?: number;
  /** The graph: kind (kronecker or a control) and mode (default fixed Sierpinski, ρ = 0.9). */
  graph?: GraphConfig;
  /** φ (default tanh). */
  activation?: ActivationName;
  seed?: number | Generator;
}

/** Shared structure: input map, graph, readout over [x, states…]. */
export abstract class ReservoirBase extends Module {
  readonly inputMap: Linear;
  readonly graph: GraphOperator;
  readonly readout: Linear;
  readonly steps: number;
  readonly activation: ActivationName;
  readonly hidden: number;

  constructor(owner: string, config: ReservoirConfig, states = 1) {
    super();
    const d = positiveInteger(owner, "inputs", config.inputs ?? 1);
    const o = positiveInteger(owner, "outputs", config.outputs ?? 1);
    this.hidden = positiveInteger(owner, "hidden", config.hidden ?? 16);
    this.steps = nonNegativeInteger(owner, "steps", config.steps ?? 5);
    this.activation = activationName(owner, "activation", config.activation ?? "tanh");
    const gen = generatorOf(config.seed);
    this.inputMap = this.module("inputMap", new Linear({ inputs: d, outputs: this.hidden, seed: gen.split() }));
    this.graph = this.module("graph", new GraphOperator(this.hidden, config.graph, { steps: this.steps, seed: gen.split(), owner }));
    this.readout = this.module("readout", new Linear({ inputs: d + states * this.hidden, outputs: o, seed: gen.split() }));
  }

  /** φ(h + φ(h Gᵀ)) at loop t. */
  protected proposal(h: Tensor, t: number): Tensor {
    return activate(this.activation, h.add(activate(this.activation, this.graph.apply(h, t))));
  }

  /** The final recurrent state(s), concatenated along features. */
  abstract finalState(x: Tensor): Tensor;

  /** The readout's input [x, h_T] (what ridgeReadout regresses on). */
  features(x: Tensor): Tensor {
    return concat([x, this.finalState(x)], 1);
  }

  forward(x: Tensor): Tensor {
    return this.readout.forward(this.features(x));
  }
}

/** The plain Kronecker reservoir of seed 001 §1. */
export class KroneckerReservoir extends ReservoirBase {
  constructor(config: ReservoirConfig = {}) {
    super("KroneckerReservoir", config);
  }
  finalState(x: Tensor): Tensor {
    let h = activate(this.activation, this.inputMap.forward(x));
    for (let t = 0; t < this.steps; t++) h = this.proposal(h, t);
    return h;
  }
}

export interface GatedReservoirConfig extends ReservoirConfig {
  /** "scalar" (one learned gate, default) or "vector" (one per unit). */
  gate?: "scalar" | "vector";
}

/** h_{t+1} = (1 − z) h_t + z φ(h_t + φ(h_t Gᵀ)) with z = σ(g) learned (starts at 0.5). */
export class GatedKroneckerReservoir extends ReservoirBase {
  readonly gate: Parameter;
  constructor(config: GatedReservoirConfig = {}) {
    super("GatedKroneckerReservoir", config);
    const kind = config.gate ?? "scalar";
    if (kind !== "scalar" && kind !== "vector") throw new ArgumentError(`GatedKroneckerReservoir: gate must be "scalar" or "vector", got ${String(kind)}`);
    this.gate = this.param("gate", zeros([kind === "scalar" ? 1 : this.hidden]));
  }
  finalState(x: Tensor): Tensor {
    let h = activate(this.activation, this.inputMap.forward(x));
    const z = this.gate.value.sigmoid();
    for (let t = 0; t < this.steps; t++) h = h.add(this.proposal(h, t).sub(h).mul(z));
    return h;
  }
}

export interface LeakyReservoirConfig extends ReservoirConfig {
  /** Leak rate α in (0, 1] (default 0.5): h ← (1 − α) h + α φ(h + φ(h Gᵀ)). */
  leak?: number;
  /** Parallel fast/slow states sharing W_in and G, read out together (Yamashita & Tani). */
  timescales?: { fast: number; slow: number };
}

/** Leaky-integrator reservoir, optionally with parallel fast and slow states. */
export class LeakyReservoir extends ReservoirBase {
  readonly leaks: number[];
  constructor(config: LeakyReservoirConfig = {}) {
    const leaks = config.timescales ? [config.timescales.fast, config.timescales.slow] : [config.leak ?? 0.5];
    super("LeakyReservoir", config, leaks.length);
    const names = config.timescales ? ["timescales.fast", "timescales.slow"] : ["leak"];
    this.leaks = leaks.map((a, i) => inRange("LeakyReservoir", names[i], a, 0, 1, true));
  }
  finalState(x: Tensor): Tensor {
    const h0 = activate(this.activation, this.inputMap.forward(x));
    const states = this.leaks.map((alpha) => {
      let h = h0;
      for (let t = 0; t < this.steps; t++) h = h.mul(1 - alpha).add(this.proposal(h, t).mul(alpha));
      return h;
    });
    return states.length === 1 ? states[0] : concat(states, 1);
  }
}
