/** Seed 002's brain-inspired models: the Cerebellar Expansion Network and the Hippocampal Scaffold Network. */
import { type Generator, type Tensor, matmul, tensor } from "@fcn/tensor";
import { density, dropoutRate, generatorOf, nonNegativeInteger, positiveInteger, randomMask } from "../config.js";
import { type GraphConfig, GraphOperator } from "../graph/operator.js";
import { Dropout } from "../layers/basic.js";
import { Linear, SparseLinear } from "../layers/linear.js";
import { Module } from "../module.js";
import { circulate } from "./fractal.js";

export interface CENConfig {
  inputs?: number;
  outputs?: number;
  /** Expansion width H (default 512). */
  hidden?: number;
  /** Density of the fixed expander (default 0.05). */
  density?: number;
  seed?: number | Generator;
}

/**
 * CEN: fixed random sparse expander E [H, d] (N(0, 1) values on a 5% mask, drawn once), ReLU,
 * learned readout. Params: o·H + o (H = 512, o = 1 → 513); the expander's nonzeros are fixed.
 */
export class CEN extends Module {
  readonly expander: Tensor;
  readonly readout: Linear;

  constructor(config: CENConfig = {}) {
    super();
    const d = positiveInteger("CEN", "inputs", config.inputs ?? 2);
    const o = positiveInteger("CEN", "outputs", config.outputs ?? 1);
    const h = positiveInteger("CEN", "hidden", config.hidden ?? 512);
    const rho = density("CEN", "density", config.density ?? 0.05);
    const gen = generatorOf(config.seed);
    const mask = randomMask(h * d, rho, gen);
    const values = mask.map((m) => (m ? gen.normal() : 0));
    this.expander = this.buffer("expander", tensor(values, { shape: [h, d] }), mask.filter((m) => m !== 0).length);
    this.readout = this.module("readout", new Linear({ inputs: h, outputs: o, seed: gen.split() }));
  }

  /** relu(x Eᵀ), the readout's input. */
  features(x: Tensor): Tensor {
    return matmul(x, this.expander, { transposeB: true }).relu();
  }

  forward(x: Tensor): Tensor {
    return this.readout.forward(this.features(x));
  }
}

export interface HSNConfig {
  inputs?: number;
  outputs?: number;
  /** DG width h_dg (default 32). */
  dgWidth?: number;
  /** CA3 width h_ca3 = 2^k (default 16). */
  ca3Width?: number;
  /** CA3 iterations T (default 5). */
  steps?: number;
  /** DG projection density (default 0.05). */
  density?: number;
  /** CA3 graph (default: Sierpinski Kronecker, learnable on its support). */
  graph?: GraphConfig;
  /** Dropout on the CA3 state before CA1 (Exp 11), in [0, 1). */
  dropout?: number;
  seed?: number | Generator;
}

/**
 * HSN: DG = relu(W_dg x + b) with a learned 5%-sparse W_dg [h_dg, d]; bridge h⁰ = tanh(B·DG + b);
 * CA3: h ← tanh(h + tanh(h Gᵀ)) T times with G on the Kronecker support; CA1 readout.
 * Raw params: (d+1)h_dg + (h_dg+1)h_ca3 + h_ca3² + (h_ca3+1)o → 897 (d=2), 865 (d=1).
 */
export class HSN extends Module {
  readonly dg: SparseLinear;
  readonly bridge: Linear;
  readonly ca3: GraphOperator;
  readonly ca1: Linear;
  readonly steps: number;
  private readonly drop: Dropout | null;

  constructor(config: HSNConfig = {}) {
    super();
    const d = positiveInteger("HSN", "inputs", config.inputs ?? 2);
    const o = positiveInteger("HSN", "outputs", config.outputs ?? 1);
    const dg = positiveInteger("HSN", "dgWidth", config.dgWidth ?? 32);
    const ca3 = positiveInteger("HSN", "ca3Width", config.ca3Width ?? 16);
    this.steps = nonNegativeInteger("HSN", "steps", config.steps ?? 5);
    const rho = density("HSN", "density", config.density ?? 0.05);
    const p = dropoutRate("HSN", "dropout", config.dropout ?? 0);
    const gen = generatorOf(config.seed);
    this.dg = this.module("dg", new SparseLinear({ inputs: d, outputs: dg, density: rho, seed: gen.split(), compute: "dense" }));
    this.bridge = this.module("bridge", new Linear({ inputs: dg, outputs: ca3, seed: gen.split() }));
    this.ca3 = this.module("ca3", new GraphOperator(ca3, { mode: "learnable", ...config.graph }, { steps: this.steps, seed: gen.split(), owner: "HSN" }));
    this.ca1 = this.module("ca1", new Linear({ inputs: ca3, outputs: o, seed: gen.split() }));
    this.drop = p > 0 ? this.module("dropout", new Dropout(p, gen.split())) : null;
  }

  forward(x: Tensor): Tensor {
    const h0 = this.bridge.forward(this.dg.forward(x).relu()).tanh();
    let h = circulate(h0, this.ca3, this.steps);
    if (this.drop) h = this.drop.forward(h);
    return this.ca1.forward(h);
  }
}
