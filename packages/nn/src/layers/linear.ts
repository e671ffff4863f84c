/** Learned affine maps: dense, fixed-mask sparse, and Kronecker-factored. */
import { ArgumentError, type Generator, SparseMatrix, type Tensor, gather, matmul, spmm, tensor, transpose } from "@fcn/tensor";
import { density, generatorOf, positiveInteger, randomMask, uniformInit } from "../config.js";
import { autocastBias } from "../amp/bias.js";
import { Module, type Parameter, type ParameterOptions } from "../module.js";

export interface LinearConfig {
  inputs: number;
  outputs: number;
  /** Learn a bias (default true). */
  bias?: boolean;
  /** Seed or generator of the initialization (default 0). */
  seed?: number | Generator;
}

/**
 * y = x Wᵀ + b with W [outputs, inputs] (PyTorch's layout, so weights read the same in Python).
 * Weights and bias start uniform in ±1/√inputs. Params: inputs·outputs + outputs.
 * @example new Linear({ inputs: 2, outputs: 64 }).forward(x) // [batch, 64]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly inputs: number;
  readonly outputs: number;

  constructor(config: LinearConfig) {
    super();
    this.inputs = positiveInteger("Linear", "inputs", config.inputs);
    this.outputs = positiveInteger("Linear", "outputs", config.outputs);
    const gen = generatorOf(config.seed);
    this.weight = this.param("weight", uniformInit([this.outputs, this.inputs], this.inputs, gen));
    this.bias = config.bias === false ? null : this.param("bias", uniformInit([this.outputs], this.inputs, gen));
  }

  forward(x: Tensor): Tensor {
    const y = matmul(x, this.weight.masked, { transposeB: true });
    return this.bias ? y.add(autocastBias(y, this.bias.value)) : y;
  }
}

export interface SparseLinearConfig extends LinearConfig {
  /** Fraction of weights kept by the fixed random mask, in (0, 1] (default 0.25). */
  density?: number;
  /** "dense": masked dense product; "csr": sparse product over the kept entries; "auto" (default): csr at density ≤ 0.1 and ≥ 4096 weights. */
  compute?: "auto" | "dense" | "csr";
}

/**
 * A Linear whose weight is multiplied by a fixed, seeded random 0/1 mask with exactly
 * round(density · inputs · outputs) ones. rawParams counts the whole weight (as a masked
 * PyTorch layer does), effectiveParams only the kept entries plus the bias.
 */
export class SparseLinear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly density: number;
  readonly compute: "dense" | "csr";
  private readonly rowPointer: Int32Array;
  private readonly columns: Int32Array;
  private readonly flatIndex: Tensor;

  constructor(config: SparseLinearConfig) {
    super();
    const inputs = positiveInteger("SparseLinear", "inputs", config.inputs);
    const outputs = positiveInteger("SparseLinear", "outputs", config.outputs);
    this.density = density("SparseLinear", "density", config.density ?? 0.25);
    const gen = generatorOf(config.seed);
    const w = uniformInit([outputs, inputs], inputs, gen);
    const maskValues = randomMask(outputs * inputs, this.density, gen);
    const mask = tensor(maskValues, { shape: [outputs, inputs] });
    this.weight = this.param("weight", w, { mask, maskNonzeros: maskValues.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0) });
    this.bias = config.bias === false ? null : this.param("bias", uniformInit([outputs], inputs, gen));
    const mode = config.compute ?? "auto";
    if (mode !== "auto" && mode !== "dense" && mode !== "csr") throw new ArgumentError(`SparseLinear: compute must be "auto", "dense" or "csr", got ${String(mode)}`);
    this.compute = mode === "auto" ? (this.density <= 0.1 && outputs * inputs >= 4096 ? "csr" : "dense") : mode;
    // CSR structure of the mask, and where each kept entry sits in the flat weight.
    const rowPointer = new Int32Array(outputs + 1);
    const columns: number[] = [];
    const flat: number[] = [];
    for (let r = 0; r < outputs; r++) {
      for (let c = 0; c < inputs; c++) {
        if (maskValues[r * inputs + c] !== 0) {
          columns.push(c);
          flat.push(r * inputs + c);
        }
      }
      rowPointer[r + 1] = columns.length;
    }
    this.rowPointer = rowPointer;
    this.columns = Int32Array.from(columns);
    this.flatIndex = tensor(Int32Array.from(flat), { shape: [flat.length], dtype: "int32" });
  }

  forward(x: Tensor): Tensor {
    let y: Tensor;
    if (this.compute === "csr") {
      const w = this.weight.value;
      const values = gather(w.reshape([w.size]), this.flatIndex, 0);
      const sparse = SparseMatrix.fromCSR(this.rowPointer, this.columns, values, [w.shape[0], w.shape[1]]);
      y = transpose(spmm(sparse, transpose(x)));
    } else {
      y = matmul(x, this.weight.masked, { transposeB: true });
    }
    return this.bias ? y.add(autocastBias(y, this.bias.value)) : y;
  }
}

export interface KroneckerLinearConfig {
  /** Factor shapes [outputs_ℓ, inputs_ℓ]; W = A₁ ⊗ … ⊗ A_k is [Π outputs_ℓ, Π inputs_ℓ]. */
  factors: readonly (readonly [number, number])[];
  bias?: boolean;
  seed?: number | Generator;
}

/**
 * y = x Wᵀ + b with W = A₁ ⊗ A₂ ⊗ … ⊗ A_k, applied factor by factor and never materialized:
 * (A ⊗ B) vec(X) = vec(B X Aᵀ), here as k batched products, one per factor.
 * Params: Σ outputs_ℓ·inputs_ℓ (+ Π outputs_ℓ bias).
 */
export class KroneckerLinear extends Module {
  readonly factors: Parameter[];
  readonly bias: Parameter | null;
  readonly inputs: number;
  readonly outputs: number;
  private readonly shapes: [number, number][];

  constructor(config: KroneckerLinearConfig) {
    super();
    if (!Array.isArray(config.factors) || config.factors.length === 0) throw new ArgumentError("KroneckerLinear: factors must list at least one [outputs, inputs] shape");
    this.shapes = config.factors.map(([o, i], l) => [positiveInteger("KroneckerLinear", `factors[${l}][0]`, o), positiveInteger("KroneckerLinear", `factors[${l}][1]`, i)]);
    this.inputs = this.shapes.reduce((p, [, i]) => p * i, 1);
    this.outputs = this.shapes.reduce((p, [o]) => p * o, 1);
    const gen = generatorOf(config.seed);
    // Factor ℓ uniform with variance 1/(inputs_ℓ·3^{1/k}), so W's entries have variance
    // 1/(3·inputs), the variance of a dense layer's ±1/√inputs init.
    const factorList = this.module("factors", new ParameterList());
    const k = this.shapes.length;
    this.factors = this.shapes.map(([o, i], l) => factorList.add(String(l), uniformInit([o, i], i, gen).mul(3 ** ((1 - 1 / k) / 2))));
    this.bias = config.bias === false ? null : this.param("bias", uniformInit([this.outputs], this.inputs, gen));
  }

  /** The dense W (for tests and small sizes only). */
  denseWeight(): Tensor {
    return this.factors.map((f) => f.value).reduce((a, b) => kronDense(a, b));
  }

  forward(x: Tensor): Tensor {
    const y = applyKronecker(this.factors.map((f) => f.value), this.shapes, x);
    return this.bias ? y.add(autocastBias(y, this.bias.value)) : y;
  }
}

function kronDense(a: Tensor, b: Tensor): Tensor {
  const [m, n] = a.shape;
  const [p, q] = b.shape;
  return a.reshape([m, 1, n, 1]).mul(b.reshape([1, p, 1, q])).reshape([m * p, n * q]);
}

/**
 * x [batch, Π inputs_ℓ] ↦ x (A₁ ⊗ … ⊗ A_k)ᵀ [batch, Π outputs_ℓ]: for ℓ = 1..k the index
 * (o₁…o_{ℓ−1}, i_ℓ, i_{ℓ+1}…i_k) is viewed as [batch·Πo_{<ℓ}, i_ℓ, Πi_{>ℓ}] and multiplied
 * by A_ℓ from the left (one broadcast matmul per factor).
 */
export function applyKronecker(factors: readonly Tensor[], shapes: readonly (readonly [number, number])[], x: Tensor): Tensor {
  const batch = x.shape[0];
  const inputs = shapes.reduce((p, [, i]) => p * i, 1);
  if (x.rank !== 2 || x.shape[1] !== inputs) throw new ArgumentError(`applyKronecker: input must be [batch, ${inputs}], got [${x.shape.join(", ")}]`);
  let h = x;
  let done = 1; // Π outputs of applied factors
  let rest = inputs;
  for (let l = 0; l < factors.length; l++) {
    const [o, i] = shapes[l];
    rest /= i;
    h = matmul(factors[l], h.reshape([batch * done, i, rest]));
    done *= o;
  }
  return h.reshape([batch, done * rest]);
}

/** An ordered list of parameters registered under "0", "1", … */
export class ParameterList extends Module {
  add(name: string, value: Tensor, options: ParameterOptions = {}): Parameter {
    return this.param(name, value, options);
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}
