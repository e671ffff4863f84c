/**
 * An echo-state reservoir on typed arrays for Experiment 5: h_{t+1} = tanh(W h_t + W_in u_t) (eq. 17,
 * bias 0), the maximal Lyapunov exponents by the QR (Benettin) method, and ReservoirPy-style memory
 * capacity with a ridge readout.
 */
import { type Matrix, cholesky, choleskySolve, createRandom, kroneckerGraph, sierpinski, spectralRadius, zeros } from "@fcn/kron";
import { delayedInput } from "@fcn/data";

export const RESERVOIR_STRUCTURES = ["kronecker", "dense", "random_sparse"] as const;
export type ReservoirStructure = (typeof RESERVOIR_STRUCTURES)[number];

/**
 * Recurrent weights on N = 2^depth units: mask ∘ N(0, 1), scaled to spectral radius `radius`.
 * Masks: the Sierpinski Kronecker graph (binarized power), all entries, or as many entries as the
 * Kronecker mask (or `sparseCount`) at uniformly random positions.
 */
export function reservoirWeights(structure: ReservoirStructure, depth: number, radius: number, seed: number, sparseCount?: number): { weights: Matrix; nonzeros: number } {
  const key = `${structure}/${depth}/${seed}/${sparseCount ?? ""}`;
  let base = BASE_CACHE.get(key);
  if (!base) {
    base = baseWeights(structure, depth, seed, sparseCount);
    if (BASE_CACHE.size > 64) BASE_CACHE.clear();
    BASE_CACHE.set(key, base);
  }
  const w = zeros(base.weights.rows, base.weights.cols);
  for (let q = 0; q < w.data.length; q++) w.data[q] = base.weights.data[q] * (radius / base.radius);
  return { weights: w, nonzeros: base.nonzeros };
}

// Unscaled weights and their spectral radius per (structure, depth, seed): a ρ sweep reuses them
// (the general eigenvalue solve dominates a run otherwise). Pure cache: results do not depend on it.
const BASE_CACHE = new Map<string, { weights: Matrix; radius: number; nonzeros: number }>();

function baseWeights(structure: ReservoirStructure, depth: number, seed: number, sparseCount?: number): { weights: Matrix; radius: number; nonzeros: number } {
  const n = 2 ** depth;
  const random = createRandom(seed);
  const w = zeros(n, n);
  const kronecker = kroneckerGraph(sierpinski(), depth);
  if (structure === "kronecker") {
    for (let i = 0; i < n; i++) for (let q = kronecker.rowPointer[i]; q < kronecker.rowPointer[i + 1]; q++) w.data[i * n + kronecker.colIndex[q]] = random.normal();
  } else if (structure === "dense") {
    for (let q = 0; q < n * n; q++) w.data[q] = random.normal();
  } else {
    const cells = Array.from({ length: n * n }, (_, q) => q);
    const count = sparseCount ?? kronecker.values.length;
    for (let q = 0; q < count; q++) {
      const pick = q + random.integer(cells.length - q);
      [cells[q], cells[pick]] = [cells[pick], cells[q]];
      w.data[cells[q]] = random.normal();
    }
  }
  let nonzeros = 0;
  for (const v of w.data) if (v !== 0) nonzeros++;
  return { weights: w, radius: spectralRadius(w), nonzeros };
}

/** Input weights U[−scaling, scaling] (ReservoirPy's default input scaling is 1). */
export function inputWeights(n: number, seed: number, scaling = 1): Float64Array {
  const random = createRandom(seed ^ 0x5bd1e995);
  return Float64Array.from({ length: n }, () => scaling * (2 * random.uniform() - 1));
}

export function step(w: Matrix, win: Float64Array, h: Float64Array, u: number, out: Float64Array): void {
  const n = w.rows;
  const wd = w.data;
  for (let i = 0; i < n; i++) {
    let s = win[i] * u;
    const row = i * n;
    for (let j = 0; j < n; j++) s += wd[row + j] * h[j];
    out[i] = Math.tanh(s);
  }
}

/**
 * The `count` largest Lyapunov exponents (per step, natural log) of the input-driven reservoir by
 * Benettin's method: tangent vectors Q evolve by J_t = diag(1 − h²_{t+1})·W, re-orthonormalized by
 * Gram–Schmidt QR each step; λᵢ = (1/T)·Σ ln R_ii.
 */
export function lyapunovExponents(w: Matrix, win: Float64Array, inputs: Float64Array, washout: number, count: number): number[] {
  const n = w.rows;
  let h = new Float64Array(n);
  let next = new Float64Array(n);
  for (let t = 0; t < washout; t++) {
    step(w, win, h, inputs[t], next);
    [h, next] = [next, h];
  }
  const random = createRandom(7);
  // Q: n × count, column-major (column c at c·n).
  const q = Float64Array.from({ length: n * count }, () => random.normal());
  orthonormalize(q, n, count);
  const sums = new Float64Array(count);
  const moved = new Float64Array(n * count);
  const steps = inputs.length - washout;
  const wd = w.data;
  for (let t = washout; t < inputs.length; t++) {
    step(w, win, h, inputs[t], next);
    [h, next] = [next, h];
    for (let c = 0; c < count; c++) {
      const col = c * n;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += wd[row + j] * q[col + j];
        moved[col + i] = (1 - h[i] * h[i]) * s;
      }
    }
    q.set(moved);
    const r = orthonormalize(q, n, count);
    for (let c = 0; c < count; c++) sums[c] += Math.log(r[c]);
  }
  return Array.from(sums, (s) => s / steps).sort((a, b) => b - a);
}

/** Modified Gram–Schmidt in place; returns the diagonal of R (column norms after projection). */
function orthonormalize(q: Float64Array, n: number, count: number): Float64Array {
  const diag = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const col = c * n;
    for (let p = 0; p < c; p++) {
      const prev = p * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[col + i] * q[prev + i];
      for (let i = 0; i < n; i++) q[col + i] -= dot * q[prev + i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[col + i] ** 2;
    norm = Math.sqrt(norm);
    diag[c] = Math.max(norm, 1e-300);
    for (let i = 0; i < n; i++) q[col + i] /= diag[c];
  }
  return diag;
}

/** Result of {@link memoryCapacity}. */
export interface MemoryCapacityResult {
  readonly total: number;
  /** r²_k for k = 1..maxDelay. */
  readonly perDelay: number[];
}

/** States of the driven reservoir from h = 0, one row per input: [h_t, 1] (the 1 is the readout's bias). */
export function reservoirStates(w: Matrix, win: Float64Array, inputs: Float64Array, length = inputs.length): Float64Array {
  const n = w.rows;
  const states = new Float64Array(length * (n + 1));
  let h = new Float64Array(n);
  let next = new Float64Array(n);
  for (let t = 0; t < length; t++) {
    step(w, win, h, inputs[t], next);
    [h, next] = [next, h];
    states.set(h, t * (n + 1));
    states[t * (n + 1) + n] = 1;
  }
  return states;
}

/**
 * Ridge readout β ((d × outputs), row-major) fitted on rows [from, to) of `states` (rows of width d)
 * to rows of `targets` (width `outputs`): β = (SᵀS + ridge·I)⁻¹ SᵀY.
 */
export function ridgeReadout(states: Float64Array, d: number, targets: Float64Array, outputs: number, from: number, to: number, ridge: number): Float64Array {
  const gram = zeros(d, d);
  for (let t = from; t < to; t++) {
    const row = t * d;
    for (let i = 0; i < d; i++) {
      const si = states[row + i];
      if (si === 0) continue;
      for (let j = i; j < d; j++) gram.data[i * d + j] += si * states[row + j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) gram.data[i * d + j] = gram.data[j * d + i];
    gram.data[i * d + i] += ridge;
  }
  const factor = cholesky(gram);
  const cross = new Float64Array(d * outputs);
  for (let t = from; t < to; t++) {
    for (let i = 0; i < d; i++) {
      const si = states[t * d + i];
      const row = i * outputs;
      for (let k = 0; k < outputs; k++) cross[row + k] += si * targets[t * outputs + k];
    }
  }
  const beta = new Float64Array(d * outputs);
  const rhs = new Float64Array(d);
  for (let k = 0; k < outputs; k++) {
    for (let i = 0; i < d; i++) rhs[i] = cross[i * outputs + k];
    const solution = choleskySolve(factor, rhs);
    for (let i = 0; i < d; i++) beta[i * outputs + k] = solution[i];
  }
  return beta;
}

/** Predictions Sβ for rows [from, to), row-major (to − from) × outputs. */
export function readoutPredictions(states: Float64Array, d: number, beta: Float64Array, outputs: number, from: number, to: number): Float64Array {
  const out = new Float64Array((to - from) * outputs);
  for (let t = from; t < to; t++) {
    const row = (t - from) * outputs;
    for (let i = 0; i < d; i++) {
      const si = states[t * d + i];
      if (si === 0) continue;
      const b = i * outputs;
      for (let k = 0; k < outputs; k++) out[row + k] += si * beta[b + k];
    }
  }
  return out;
}

/**
 * Memory capacity as ReservoirPy computes it: input u ~ U[−0.8, 0.8] (`delayedInput`), delays
 * k = 1…maxDelay (2 × units by default), a ridge readout (with bias) per delay fitted on the first
 * (1 − testShare) of the states after the washout, MC = Σₖ corr(ŷₖ, yₖ)² on the rest.
 */
export function memoryCapacity(w: Matrix, win: Float64Array, options: { samples: number; washout: number; maxDelay: number; ridge: number; testShare: number; seed: number }): MemoryCapacityResult {
  const n = w.rows;
  const { samples, washout, maxDelay } = options;
  const data = delayedInput({ n: washout + samples, maxDelay, seed: options.seed });
  const states = reservoirStates(w, win, data.x.data);
  const d = n + 1;
  const train = Math.round(samples * (1 - options.testShare));
  const beta = ridgeReadout(states, d, data.y.data, maxDelay, washout, washout + train, options.ridge);
  const predicted = readoutPredictions(states, d, beta, maxDelay, washout + train, washout + samples);
  const perDelay: number[] = [];
  const rows = samples - train;
  for (let k = 0; k < maxDelay; k++) {
    const p = Array.from({ length: rows }, (_, t) => predicted[t * maxDelay + k]);
    const target = Array.from({ length: rows }, (_, t) => data.y.data[(washout + train + t) * maxDelay + k]);
    const r = correlation(p, target);
    perDelay.push(Number.isFinite(r) ? r * r : 0);
  }
  return { total: perDelay.reduce((s, v) => s + v, 0), perDelay };
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}
