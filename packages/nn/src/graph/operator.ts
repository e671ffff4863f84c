/**
 * GraphOperator: the recurrent graph G of a fractal model as a module, in one of four modes:
 * - "fixed": G is a buffer (dense [H, H]); its nonzeros count as fixedParams.
 * - "learnable": G is a parameter masked to the graph's support (seed 000 §3.4 "learnable on
 *   the Sierpinski pattern"): rawParams H², effectiveParams nnz(support).
 * - "factored": G = (c·K₀)^{⊗k} with the fixed scaled initiator, applied factor-wise (never
 *   materialized), so H can be large.
 * - "learnedInitiator": as "factored" with K learned (seed 001 §10): m² parameters, gradients
 *   through every Kronecker factor.
 * With `adapters`, the factor-wise modes add a rank-1 correction per loop and factor,
 * K_{t,ℓ} = K + u_{t,ℓ} v_{t,ℓ}ᵀ (seed 001 §10's factor-level adapters), 2m per factor and loop.
 */
import { fromRows, spectralRadius as radiusOf } from "@fcn/kron";
import { ArgumentError, type Generator, type Tensor, matmul, randn, tensor, zeros } from "@fcn/tensor";
import { generatorOf, inRange, powerOf } from "../config.js";
import { applyKronecker, ParameterList } from "../layers/linear.js";
import { Module, type Parameter } from "../module.js";
import { GRAPH_KINDS, type GraphKind, type GraphOptions, recurrentGraph } from "./graphs.js";

export type GraphMode = "fixed" | "learnable" | "factored" | "learnedInitiator";

export interface GraphConfig extends GraphOptions {
  /** Which graph (default "kronecker"); the controls need mode "fixed" or "learnable". */
  kind?: GraphKind;
  mode?: GraphMode;
  /** Initiator size m for the factor-wise modes: 2 (Sierpinski) or 4 (Sierpinski ⊗ Sierpinski). */
  initiatorSize?: 2 | 4;
  /** Rank-1 factor adapters per loop (factor-wise modes only). */
  adapters?: boolean;
}

const SIERPINSKI = [[1, 1], [1, 0]];
const SIERPINSKI4 = [[1, 1, 1, 1], [1, 0, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]];

export class GraphOperator extends Module {
  readonly hidden: number;
  readonly mode: GraphMode;
  readonly kind: GraphKind;
  /** Dense G (fixed mode) or its Parameter (learnable mode). */
  private readonly dense: Tensor | Parameter | null = null;
  private readonly initiator: Tensor | Parameter | null = null;
  private readonly factorCount: number = 0;
  private readonly size: number = 0;
  private readonly adapterU: Parameter[] = [];
  private readonly adapterV: Parameter[] = [];
  /** Nonzero count of G's support (dense modes) or of K^{⊗k} (factor-wise modes). */
  readonly nonzeros: number;

  constructor(hidden: number, config: GraphConfig = {}, options: { steps?: number; seed?: number | Generator; owner?: string } = {}) {
    super();
    const owner = options.owner ?? "GraphOperator";
    this.hidden = hidden;
    this.kind = config.kind ?? "kronecker";
    this.mode = config.mode ?? "fixed";
    if (!GRAPH_KINDS.includes(this.kind)) throw new ArgumentError(`${owner}: graph.kind must be one of ${GRAPH_KINDS.join(", ")}, got ${String(this.kind)}`);
    if (!["fixed", "learnable", "factored", "learnedInitiator"].includes(this.mode)) {
      throw new ArgumentError(`${owner}: graph.mode must be fixed, learnable, factored or learnedInitiator, got ${String(this.mode)}`);
    }
    const target = inRange(owner, "graph.spectralRadius", config.spectralRadius ?? 0.9, 0, 1e6, true);
    if (this.mode === "fixed" || this.mode === "learnable") {
      if (config.adapters) throw new ArgumentError(`${owner}: graph.adapters need mode "factored" or "learnedInitiator", got "${this.mode}"`);
      const g = recurrentGraph(this.kind, hidden, { ...config, spectralRadius: target }, owner);
      this.nonzeros = g.nonzeros;
      if (this.mode === "fixed") this.dense = this.buffer("weight", g.weight, g.nonzeros);
      else if (this.kind === "denseRandom") this.dense = this.param("weight", g.weight);
      else this.dense = this.param("weight", g.weight, { mask: g.support, maskNonzeros: g.supportNonzeros });
      return;
    }
    if (this.kind !== "kronecker") throw new ArgumentError(`${owner}: graph.mode "${this.mode}" needs kind "kronecker", got "${this.kind}"`);
    const m = config.initiatorSize ?? 2;
    if (m !== 2 && m !== 4) throw new ArgumentError(`${owner}: graph.initiatorSize must be 2 or 4, got ${String(m)}`);
    this.size = m;
    this.factorCount = powerOf(owner, "hidden", hidden, m);
    const gen = generatorOf(options.seed ?? config.seed);
    // K = ρ^{1/k}·(K₀ + σE)/ρ(K₀ + σE), so ρ(K^{⊗k}) = ρ(K)^k = ρ.
    const base = m === 2 ? SIERPINSKI : SIERPINSKI4;
    const sigma = config.noiseScale ?? 0.01;
    const noisy = base.map((row) => row.map((v) => v + sigma * gen.normal()));
    const scale = target ** (1 / this.factorCount) / radiusOf(fromRows(noisy));
    const k0 = tensor(noisy.flat().map((v) => v * scale), { shape: [m, m] });
    let nz = 1;
    for (let i = 0; i < this.factorCount; i++) nz *= noisy.flat().filter((v) => v !== 0).length;
    this.nonzeros = nz;
    this.initiator = this.mode === "learnedInitiator" ? this.param("initiator", k0) : this.buffer("initiator", k0, m * m);
    if (config.adapters) {
      const steps = options.steps ?? 1;
      const us = this.module("adapterU", new ParameterList());
      const vs = this.module("adapterV", new ParameterList());
      for (let t = 0; t < steps * this.factorCount; t++) {
        // u starts at 0 (the adapted graph starts as the base graph), v small and random.
        this.adapterU.push(us.add(String(t), zeros([m, 1])));
        this.adapterV.push(vs.add(String(t), randn([1, m], gen, { std: 0.1 })));
      }
    }
  }

  /** The dense G (materialized; for tests and inspection). */
  matrix(step = 0): Tensor {
    if (this.dense) return "value" in this.dense ? this.dense.masked : this.dense;
    const factors = this.factors(step);
    return factors.reduce((a, b) => {
      const [p, q] = a.shape;
      const [r, s] = b.shape;
      return a.reshape([p, 1, q, 1]).mul(b.reshape([1, r, 1, s])).reshape([p * r, q * s]);
    });
  }

  private factors(step: number): Tensor[] {
    const k0 = this.initiator && "value" in this.initiator ? this.initiator.value : (this.initiator as Tensor);
    return Array.from({ length: this.factorCount }, (_, l) => {
      if (this.adapterU.length === 0) return k0;
      const i = (step % (this.adapterU.length / this.factorCount)) * this.factorCount + l;
      return k0.add(matmul(this.adapterU[i].value, this.adapterV[i].value));
    });
  }

  /** h Gᵀ for h [batch, H] (at loop `step`, which selects the adapters). */
  apply(h: Tensor, step = 0): Tensor {
    if (this.dense) return matmul(h, "value" in this.dense ? this.dense.masked : this.dense, { transposeB: true });
    const m = this.size;
    return applyKronecker(this.factors(step), Array.from({ length: this.factorCount }, () => [m, m] as const), h);
  }

  forward(h: Tensor): Tensor {
    return this.apply(h, 0);
  }
}
