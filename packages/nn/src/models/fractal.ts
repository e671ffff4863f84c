/** Seed 000's fractal family: FractalCirculator (eq. 11–12, Exp 8), FractalLayerMLP (Exp 9), the eq. 17 recurrent net (Exp 5). */
import { csrToDense } from "@fcn/kron";
import { ArgumentError, type Generator, type Tensor, index, matmul, stack, tensor } from "@fcn/tensor";
import { dropoutRate, generatorOf, nonNegativeInteger, positiveInteger, powerOf } from "../config.js";
import { type GraphConfig, GraphOperator } from "../graph/operator.js";
import { type ActivationName, Dropout, activate, activationName } from "../layers/basic.js";
import { KroneckerLinear, Linear } from "../layers/linear.js";
import { Module, type Parameter } from "../module.js";
import { kroneckerSupport, recurrentGraph } from "../graph/graphs.js";

/** eq. 12: h ← tanh(h + tanh(h Gᵀ)); Exp 8: h ← h + tanh(h Gᵀ). */
export type CirculationUpdate = "nested" | "residual";

/** T steps of the circulation update through `graph` (φ = tanh unless given). */
export function circulate(h: Tensor, graph: GraphOperator, steps: number, update: CirculationUpdate = "nested", activation: ActivationName = "tanh"): Tensor {
  let state = h;
  for (let t = 0; t < steps; t++) {
    const mixed = activate(activation, graph.apply(state, t));
    state = update === "nested" ? activate(activation, state.add(mixed)) : state.add(mixed);
  }
  return state;
}

export interface FractalCirculatorConfig {
  inputs?: number;
  outputs?: number;
  /** Hidden width H = m^k (default 64). */
  hidden?: number;
  /** Circulation steps T ≥ 0 (default 5). */
  steps?: number;
  /** "nested" (eq. 12, default) or "residual" (Exp 8). */
  update?: CirculationUpdate;
  /** The graph (default: fixed Sierpinski Kronecker graph, noise 0.01, ρ = 0.9). */
  graph?: GraphConfig;
  /** Dropout on the circulated state, in [0, 1) (default 0; Exp 11). */
  dropout?: number;
  seed?: number | Generator;
}

/**
 * Expand–circulate–compress (eq. 11–12): h⁰ = tanh(E x), h ← tanh(h + tanh(h Gᵀ)) T times,
 * z = C h^T, ŷ = R (x + z). Params (fixed G): (d+1)H + (H+1)d + (d+1)o; d=2, H=64, o=1 → 325.
 */
export class FractalCirculator extends Module {
  readonly expand: Linear;
  readonly graph: GraphOperator;
  readonly compress: Linear;
  readonly readout: Linear;
  readonly steps: number;
  readonly update: CirculationUpdate;
  private readonly drop: Dropout | null;

  constructor(config: FractalCirculatorConfig = {}) {
    super();
    const d = positiveInteger("FractalCirculator", "inputs", config.inputs ?? 2);
    const o = positiveInteger("FractalCirculator", "outputs", config.outputs ?? 1);
    const hidden = positiveInteger("FractalCirculator", "hidden", config.hidden ?? 64);
    this.steps = nonNegativeInteger("FractalCirculator", "steps", config.steps ?? 5);
    this.update = config.update ?? "nested";
    if (this.update !== "nested" && this.update !== "residual") throw new ArgumentError(`FractalCirculator: update must be "nested" or "residual", got ${String(this.update)}`);
    const p = dropoutRate("FractalCirculator", "dropout", config.dropout ?? 0);
    const gen = generatorOf(config.seed);
    this.expand = this.module("expand", new Linear({ inputs: d, outputs: hidden, seed: gen.split() }));
    this.graph = this.module("graph", new GraphOperator(hidden, config.graph, { steps: this.steps, seed: gen.split(), owner: "FractalCirculator" }));
    this.compress = this.module("compress", new Linear({ inputs: hidden, outputs: d, seed: gen.split() }));
    this.readout = this.module("readout", new Linear({ inputs: d, outputs: o, seed: gen.split() }));
    this.drop = p > 0 ? this.module("dropout", new Dropout(p, gen.split())) : null;
  }

  forward(x: Tensor): Tensor {
    let h = circulate(this.expand.forward(x).tanh(), this.graph, this.steps, this.update);
    if (this.drop) h = this.drop.forward(h);
    return this.readout.forward(x.add(this.compress.forward(h)));
  }
}

export interface FractalLayerMLPConfig {
  inputs?: number;
  outputs?: number;
  hidden?: number;
  /** "masked" (default): an H×H weight on the Kronecker support, no bias; "kronecker": KroneckerLinear with k factors m×m. */
  layer?: "masked" | "kronecker";
  activation?: ActivationName;
  seed?: number | Generator;
}

/**
 * Exp 9's Fractal Layer MLP: x → φ(W₁x + b₁) → F (Kronecker-structured H×H layer) →
 * φ(P· + b_P) (the intermediate projection) → readout. Params with the masked layer:
 * (d+1)H + H² + (H+1)H + (H+1)o; d=2, H=64, o=1 → 8,513.
 */
export class FractalLayerMLP extends Module {
  readonly input: Linear;
  readonly fractal: Module;
  readonly projection: Linear;
  readonly readout: Linear;
  readonly activation: ActivationName;
  private readonly fractalWeight: Parameter | null = null;

  constructor(config: FractalLayerMLPConfig = {}) {
    super();
    const d = positiveInteger("FractalLayerMLP", "inputs", config.inputs ?? 2);
    const o = positiveInteger("FractalLayerMLP", "outputs", config.outputs ?? 1);
    const hidden = positiveInteger("FractalLayerMLP", "hidden", config.hidden ?? 64);
    this.activation = activationName("FractalLayerMLP", "activation", config.activation ?? "relu");
    const gen = generatorOf(config.seed);
    this.input = this.module("input", new Linear({ inputs: d, outputs: hidden, seed: gen.split() }));
    const layer = config.layer ?? "masked";
    if (layer === "masked") {
      const support = kroneckerSupport(hidden, undefined, "FractalLayerMLP");
      const holder = new MaskedSquare(hidden, Float32Array.from(csrToDense(support).data), gen.split());
      this.fractal = this.module("fractal", holder);
      this.fractalWeight = holder.weight;
    } else if (layer === "kronecker") {
      const k = powerOf("FractalLayerMLP", "hidden", hidden, 2);
      this.fractal = this.module("fractal", new KroneckerLinear({ factors: Array.from({ length: k }, () => [2, 2] as const), bias: false, seed: gen.split() }));
    } else {
      throw new ArgumentError(`FractalLayerMLP: layer must be "masked" or "kronecker", got ${String(layer)}`);
    }
    this.projection = this.module("projection", new Linear({ inputs: hidden, outputs: hidden, seed: gen.split() }));
    this.readout = this.module("readout", new Linear({ inputs: hidden, outputs: o, seed: gen.split() }));
  }

  forward(x: Tensor): Tensor {
    const h1 = activate(this.activation, this.input.forward(x));
    const h2 = activate(this.activation, this.projection.forward(this.fractal.forward(h1)));
    return this.readout.forward(h2);
  }
}

/** h (W ⊙ M)ᵀ with a fixed 0/1 support M and no bias. */
class MaskedSquare extends Module {
  readonly weight: Parameter;
  /** `mask`: the 0/1 support, row-major [hidden, hidden], read on the host (never from the device). */
  constructor(hidden: number, mask: Float32Array, gen: Generator) {
    super();
    // Kaiming-uniform on the fan-in of the kept entries (the average row degree).
    const kept = Array.from(mask).reduce((s, v) => s + v, 0);
    const degree = Math.max(1, kept / hidden);
    const bound = 1 / Math.sqrt(degree);
    const weight = tensor(Float32Array.from({ length: hidden * hidden }, () => (gen.uniform() * 2 - 1) * bound), { shape: [hidden, hidden] });
    this.weight = this.param("weight", weight, { mask: tensor(mask, { shape: [hidden, hidden] }), maskNonzeros: kept });
  }
  forward(h: Tensor): Tensor {
    return matmul(h, this.weight.masked, { transposeB: true });
  }
}

export type RecurrentStructure = "kronecker" | "dense" | "randomSparse";

export interface RecurrentNetConfig {
  inputs?: number;
  outputs?: number;
  /** N (default 128). */
  hidden?: number;
  /** Structure of the fixed W (default "kronecker"). */
  structure?: RecurrentStructure;
  /** ρ(W) (default 0.95, Exp 5's operating point). */
  spectralRadius?: number;
  /** "all": a prediction per time step [batch, T, o] (default); "last": [batch, o]. */
  readout?: "all" | "last";
  seed?: number;
}

/**
 * eq. 17: h_{t+1} = tanh(W h_t + W_in x_t + b) with a fixed W (Kronecker, dense random or
 * random sparse with the Kronecker graph's edge count, all at spectral radius ρ), learned
 * W_in, b and readout W_out (Exp 5 B/C). Input [batch, T, d].
 */
export class RecurrentNet extends Module {
  readonly inputMap: Linear;
  readonly readout: Linear;
  readonly recurrent: Tensor;
  readonly structure: RecurrentStructure;
  readonly mode: "all" | "last";

  constructor(config: RecurrentNetConfig = {}) {
    super();
    const d = positiveInteger("RecurrentNet", "inputs", config.inputs ?? 1);
    const o = positiveInteger("RecurrentNet", "outputs", config.outputs ?? 1);
    const n = positiveInteger("RecurrentNet", "hidden", config.hidden ?? 128);
    this.structure = config.structure ?? "kronecker";
    const kinds = { kronecker: "kronecker", dense: "denseRandom", randomSparse: "randomSparse" } as const;
    if (!(this.structure in kinds)) throw new ArgumentError(`RecurrentNet: structure must be kronecker, dense or randomSparse, got ${String(this.structure)}`);
    this.mode = config.readout ?? "all";
    if (this.mode !== "all" && this.mode !== "last") throw new ArgumentError(`RecurrentNet: readout must be "all" or "last", got ${String(this.mode)}`);
    const gen = generatorOf(config.seed);
    const g = recurrentGraph(kinds[this.structure], n, { spectralRadius: config.spectralRadius ?? 0.95, seed: config.seed ?? 0 }, "RecurrentNet");
    this.recurrent = this.buffer("recurrent", g.weight, g.nonzeros);
    this.inputMap = this.module("inputMap", new Linear({ inputs: d, outputs: n, seed: gen.split() }));
    this.readout = this.module("readout", new Linear({ inputs: n, outputs: o, seed: gen.split() }));
  }

  /** Hidden states [batch, T, N]. */
  states(x: Tensor): Tensor {
    if (x.rank !== 3) throw new ArgumentError(`RecurrentNet: input must be [batch, T, inputs], got [${x.shape.join(", ")}]`);
    const driven = this.inputMap.forward(x); // W_in x_t + b for every t at once
    const states: Tensor[] = [];
    let h: Tensor | null = null;
    for (let t = 0; t < x.shape[1]; t++) {
      const drive = index(driven, t, 1);
      h = (h ? matmul(h, this.recurrent, { transposeB: true }).add(drive) : drive).tanh();
      states.push(h);
    }
    return stack(states, 1);
  }

  forward(x: Tensor): Tensor {
    const hs = this.states(x);
    if (this.mode === "last") return this.readout.forward(index(hs, hs.shape[1] - 1, 1));
    return this.readout.forward(hs);
  }
}
