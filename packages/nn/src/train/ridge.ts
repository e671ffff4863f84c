/**
 * Closed-form ridge readout: W, b = argmin ‖F Wᵀ + b − Y‖² + λ‖W‖² (bias unpenalized), solved
 * from the normal equations (FᵀF + λI) with @fcn/kron's Cholesky factorization. The reservoir
 * alternative to gradient training of the readout.
 */
import { type Matrix, cholesky, choleskySolve } from "@fcn/kron";
import { ArgumentError, type Tensor, noGrad, tensor } from "@fcn/tensor";
import type { Linear } from "../layers/linear.js";

/** A model whose last layer is a Linear readout over `features(x)`. */
export interface ReadoutModel {
  features(x: Tensor): Tensor;
  readout: Linear;
}

/** Solves the ridge problem and writes W and b into `model.readout`; returns the training MSE. */
export function ridgeReadout(model: ReadoutModel, x: Tensor, y: Tensor, options: { lambda?: number } = {}): { mse: number } {
  const lambda = options.lambda ?? 1e-3;
  if (!(lambda >= 0)) throw new ArgumentError(`ridgeReadout: lambda must be ≥ 0, got ${lambda}`);
  const features = noGrad(() => model.features(x));
  const f = features.dataSync();
  const [n, p] = features.shape;
  features.dispose();
  const o = model.readout.outputs;
  const targets = y.dataSync();
  if (targets.length !== n * o) throw new ArgumentError(`ridgeReadout: y has ${targets.length} values, expected ${n}×${o}`);
  const q = p + 1; // features plus a constant column for the bias
  const gram: Matrix = { rows: q, cols: q, data: new Float64Array(q * q) };
  const rhs = Array.from({ length: o }, () => new Float64Array(q));
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < q; i++) {
      const fi = i < p ? f[r * p + i] : 1;
      for (let j = 0; j <= i; j++) gram.data[i * q + j] += fi * (j < p ? f[r * p + j] : 1);
      for (let c = 0; c < o; c++) rhs[c][i] += fi * targets[r * o + c];
    }
  }
  for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) gram.data[j * q + i] = gram.data[i * q + j];
  for (let i = 0; i < p; i++) gram.data[i * q + i] += lambda;
  gram.data[q * q - 1] += 1e-10 * n; // keeps the bias pivot positive when lambda = 0 and F is degenerate
  const factor = cholesky(gram);
  const solutions = rhs.map((b) => choleskySolve(factor, b));
  const weight = new Float32Array(o * p);
  const bias = new Float32Array(o);
  solutions.forEach((s, c) => {
    for (let i = 0; i < p; i++) weight[c * p + i] = s[i];
    bias[c] = s[p];
  });
  noGrad(() => {
    model.readout.weight.value.assign(tensor(weight, { shape: [o, p] }));
    model.readout.bias?.value.assign(tensor(bias, { shape: [o] }));
  });
  let sse = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < o; c++) {
      let v = solutions[c][p];
      for (let i = 0; i < p; i++) v += solutions[c][i] * f[r * p + i];
      sse += (v - targets[r * o + c]) ** 2;
    }
  }
  return { mse: sse / (n * o) };
}
