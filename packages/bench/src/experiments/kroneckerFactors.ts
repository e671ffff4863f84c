/**
 * Nearest Kronecker product with any number of factors (Experiment 2, eq. 14: A ≈ A₁ ⊗ A₂ ⊗ ⋯ ⊗ A_k).
 * For two factors the Van Loan–Pitsianis SVD is optimal; for three or more the problem is a rank-1
 * approximation of the rearranged tensor T[(i₁j₁), …, (i_kj_k)] = A[(i₁…i_k), (j₁…j_k)], solved here by
 * the higher-order power method (alternating least squares), started from the HOSVD vectors and from
 * a few random starts, keeping the best. ALS never increases the residual, but it can stop at a local
 * optimum; the returned error is computed from the residual itself (no cancellation at exact products).
 */
import { ArgumentError } from "@fcn/tensor";
import { type Matrix, createRandom, eigh, kron, zeros } from "@fcn/kron";

/** Result of {@link nearestKroneckerFactors}. */
export interface KroneckerFactorsResult {
  /** The factors A₁ … A_k (square, of the requested sizes), coarsest first. */
  readonly factors: Matrix[];
  /** ‖A − A₁ ⊗ ⋯ ⊗ A_k‖_F / ‖A‖_F. */
  readonly relativeError: number;
  /** ALS sweeps of the best start until the relative change of the fit fell below the tolerance. */
  readonly iterations: number;
  /** Fit |⟨T, x₁ ∘ ⋯ ∘ x_k⟩| after each sweep of the best start (non-decreasing). */
  readonly history: number[];
}

/** Options of {@link nearestKroneckerFactors}. */
export interface KroneckerFactorsOptions {
  readonly maxIterations?: number;
  readonly tolerance?: number;
  /** Random starts besides the HOSVD start. */
  readonly restarts?: number;
  readonly seed?: number;
}

/** Tensor entry index of A[row, col] for square factor sizes `sizes` (mode ℓ index = iℓ·sℓ + jℓ, mode 0 most significant). */
function rearrange(a: Matrix, sizes: readonly number[]): Float64Array {
  const n = a.rows;
  const k = sizes.length;
  const t = new Float64Array(n * n);
  const rowDigits = new Array<number>(k);
  const colDigits = new Array<number>(k);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      let r = row;
      let c = col;
      for (let l = k - 1; l >= 0; l--) {
        rowDigits[l] = r % sizes[l];
        colDigits[l] = c % sizes[l];
        r = Math.floor(r / sizes[l]);
        c = Math.floor(c / sizes[l]);
      }
      let index = 0;
      for (let l = 0; l < k; l++) index = index * sizes[l] ** 2 + rowDigits[l] * sizes[l] + colDigits[l];
      t[index] = a.data[row * n + col];
    }
  }
  return t;
}

/** y[p_mode] = Σ T[p] Π_{ℓ ≠ mode} x_ℓ[p_ℓ]. */
function contractAllBut(t: Float64Array, dims: readonly number[], xs: readonly Float64Array[], mode: number): Float64Array {
  const k = dims.length;
  const y = new Float64Array(dims[mode]);
  const digits = new Array<number>(k).fill(0);
  for (let p = 0; p < t.length; p++) {
    let weight = t[p];
    for (let l = 0; l < k && weight !== 0; l++) if (l !== mode) weight *= xs[l][digits[l]];
    y[digits[mode]] += weight;
    for (let l = k - 1; l >= 0; l--) {
      if (++digits[l] < dims[l]) break;
      digits[l] = 0;
    }
  }
  return y;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** Leading left singular vector of the mode-ℓ unfolding (the HOSVD start). */
function leadingModeVector(t: Float64Array, dims: readonly number[], mode: number): Float64Array {
  const d = dims[mode];
  const inner = dims.slice(mode + 1).reduce((s, v) => s * v, 1);
  const gram = zeros(d, d);
  const outer = t.length / (d * inner);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < d; a++) {
      const base = (o * d + a) * inner;
      for (let b = a; b < d; b++) {
        const other = (o * d + b) * inner;
        let s = 0;
        for (let q = 0; q < inner; q++) s += t[base + q] * t[other + q];
        gram.data[a * d + b] += s;
      }
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) gram.data[a * d + b] = gram.data[b * d + a];
  const { values, vectors } = eigh(gram);
  let best = 0;
  for (let i = 1; i < d; i++) if (values[i] > values[best]) best = i;
  return Float64Array.from({ length: d }, (_, i) => vectors.data[i * d + best]);
}

function als(t: Float64Array, dims: readonly number[], start: Float64Array[], maxIterations: number, tolerance: number) {
  const xs = start.map((x) => {
    const n = norm(x);
    return x.map((v) => v / n);
  });
  const history: number[] = [];
  let fit = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    for (let mode = 0; mode < dims.length; mode++) {
      const y = contractAllBut(t, dims, xs, mode);
      const n = norm(y);
      if (n === 0) break;
      fit = n;
      xs[mode] = y.map((v) => v / n);
    }
    const previous = history.at(-1) ?? 0;
    history.push(fit);
    if (Math.abs(fit - previous) <= tolerance * Math.max(fit, 1e-300)) {
      iterations++;
      break;
    }
  }
  return { xs, fit, iterations, history };
}

/**
 * Best (ALS) approximation of the square matrix A by A₁ ⊗ ⋯ ⊗ A_k with Aℓ of size sizes[ℓ] × sizes[ℓ]
 * (Π sizes = A.rows). For k = 2 this reaches the SVD optimum.
 */
export function nearestKroneckerFactors(a: Matrix, sizes: readonly number[], options: KroneckerFactorsOptions = {}): KroneckerFactorsResult {
  if (a.rows !== a.cols || sizes.reduce((s, v) => s * v, 1) !== a.rows) throw new ArgumentError(`nearestKroneckerFactors: sizes ${sizes.join("×")} do not tile ${a.rows}×${a.cols}`);
  const dims = sizes.map((s) => s * s);
  const t = rearrange(a, sizes);
  const total = norm(t);
  const random = createRandom(options.seed ?? 1);
  const starts = [dims.map((_, mode) => leadingModeVector(t, dims, mode))];
  for (let r = 0; r < (options.restarts ?? 3); r++) starts.push(dims.map((d) => Float64Array.from({ length: d }, () => random.normal())));
  let best: ReturnType<typeof als> | undefined;
  for (const start of starts) {
    const result = als(t, dims, start, options.maxIterations ?? 500, options.tolerance ?? 1e-13);
    if (!best || result.fit > best.fit) best = result;
  }
  const { xs, fit } = best as ReturnType<typeof als>;
  const scale = Math.pow(fit, 1 / sizes.length);
  const factors = xs.map((x, l) => {
    const f = zeros(sizes[l], sizes[l]);
    for (let q = 0; q < x.length; q++) f.data[q] = scale * x[q];
    return f;
  });
  const product = kron(...factors);
  let residual = 0;
  for (let q = 0; q < a.data.length; q++) residual += (a.data[q] - product.data[q]) ** 2;
  return { factors, relativeError: total === 0 ? 0 : Math.sqrt(residual) / total, iterations: (best as ReturnType<typeof als>).iterations, history: (best as ReturnType<typeof als>).history };
}
