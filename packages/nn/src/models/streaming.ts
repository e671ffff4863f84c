/**
 * Streaming Kronecker attention: O = row-softmax(A₁ ⊗ … ⊗ A_k) V without ever holding the
 * N×N logits, in the forward pass or in the backward pass.
 *
 * The logits are L[i, j] = Π_ℓ A_ℓ[i_ℓ, j_ℓ] (i_ℓ, j_ℓ the base-m digits of i and j, most
 * significant first). A tile of rows whose leading p digits are fixed and columns whose
 * leading q digits are fixed is itself a Kronecker product T₁ ⊗ … ⊗ T_k with
 *   T_ℓ = A_ℓ[i_ℓ, j_ℓ] (1×1) for ℓ < p, q;  A_ℓ[i_ℓ, :] (1×m) for q ≤ ℓ < p;
 *   A_ℓ[:, j_ℓ] (m×1) for p ≤ ℓ < q;  A_ℓ (m×m) otherwise,
 * so each tile is built from slices of the factors in O(tile) work.
 *
 * Forward: each row's largest logit μ follows from the factors' rows in O(k) (the column digits
 * are independent), so for each block of rows one pass over the column tiles accumulates
 * ℓ = Σ exp(L − μ) and Σ exp(L − μ) V, with no running max to rescale (FlashAttention's online
 * softmax needs one only because attention logits have no such structure). The row log-sum-exp
 * μ + log ℓ (N numbers) is saved for the backward pass.
 *
 * Backward (hand-written, through `customVjp`): with P = softmax(L) recomputed tile by tile
 * as exp(L − lse), G = ∂loss/∂O and Δᵢ = Σ_e Gᵢₑ Oᵢₑ,
 *   ∂V = Pᵀ G,   ∂L = P ⊙ (G Vᵀ − Δ),
 * and ∂L of a tile is pushed through its Kronecker product to the factor slices (streamingTiles.ts).
 *
 * Both passes run on host arrays: tiles are built by plain loops, exp and the products run in the
 * CPU backend's WebAssembly kernels (`@fcn/tensor/kernels`). Live memory between forward and
 * backward: the output and N log-sum-exps, O(N·E). Scratch inside either pass (plain arrays, not
 * tensors): O(blockRows·blockCols + (blockRows + blockCols)·E).
 */
import { ArgumentError, type Tensor, customVjp, tensor } from "@fcn/tensor";
import { expInto, gemmF32, gemmF64 } from "@fcn/tensor/kernels";
import { type FloatArray, KroneckerTile, type TilePlan } from "./streamingTiles.js";

export interface StreamingAttentionOptions {
  /** Rows per block: a power of m dividing N. */
  blockRows: number;
  /** Columns per tile: a power of m dividing N. */
  blockCols: number;
}

/** The tiling of N = m^k tokens. */
interface Plan extends TilePlan {
  n: number;
}

function log(base: number, value: number): number {
  let k = 0;
  let v = 1;
  while (v < value) {
    v *= base;
    k++;
  }
  return v === value ? k : -1;
}

function plan(factors: readonly Tensor[], n: number, options: StreamingAttentionOptions): Plan {
  const k = factors.length;
  if (k === 0) throw new ArgumentError("streamingKroneckerAttention: needs at least one factor");
  const m = factors[0].shape[0];
  for (const f of factors) {
    if (f.rank !== 2 || f.shape[0] !== m || f.shape[1] !== m) {
      throw new ArgumentError(`streamingKroneckerAttention: factors must all be ${m}×${m}, got [${f.shape.join(", ")}]`);
    }
  }
  if (m ** k !== n) throw new ArgumentError(`streamingKroneckerAttention: values have ${n} tokens, factors give ${m}^${k} = ${m ** k}`);
  const depth = (name: string, size: number) => {
    const d = log(m, size);
    if (d < 0 || size > n) throw new ArgumentError(`streamingKroneckerAttention: ${name} must be a power of ${m} dividing ${n}, got ${size}`);
    return d;
  };
  const rowSuffix = depth("blockRows", options.blockRows);
  const colSuffix = depth("blockCols", options.blockCols);
  return { n, m, k, blockRows: options.blockRows, blockCols: options.blockCols, rowPrefix: k - rowSuffix, colPrefix: k - colSuffix };
}

/**
 * The largest logit of every row, max_j Π_ℓ A_ℓ[i_ℓ, j_ℓ], in O(N·k): the column digits are chosen
 * independently, so the extremes of the partial products follow from each factor row's max and min.
 * The softmax subtracts it before exp, so no running max (and no rescaling) is needed.
 */
function rowMaxima(factors: readonly FloatArray[], m: number, k: number): Float64Array {
  const n = m ** k;
  const hi = new Float64Array(k * m);
  const lo = new Float64Array(k * m);
  factors.forEach((f, l) => {
    for (let r = 0; r < m; r++) {
      let max = -Infinity;
      let min = Infinity;
      for (let c = 0; c < m; c++) {
        max = Math.max(max, f[r * m + c]);
        min = Math.min(min, f[r * m + c]);
      }
      hi[l * m + r] = max;
      lo[l * m + r] = min;
    }
  });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let top = 1;
    let bottom = 1;
    for (let l = 0, rest = i; l < k; l++) {
      const r = Math.floor(rest / m ** (k - 1 - l)) % m;
      const a = top * hi[l * m + r];
      const b = top * lo[l * m + r];
      const c = bottom * hi[l * m + r];
      const d = bottom * lo[l * m + r];
      top = Math.max(a, b, c, d);
      bottom = Math.min(a, b, c, d);
    }
    out[i] = top;
  }
  return out;
}

/**
 * O = row-softmax(A₁ ⊗ … ⊗ A_k) V for V [N, E], N = m^k, streamed in tiles of
 * blockRows × blockCols logits with a streamed softmax, and differentiable (factors and V)
 * through a recomputing backward. Neither pass holds an N×N array: the scratch is one tile
 * (and its Kronecker suffix products) plus a few blockRows × E rows. CPU only (it reads the
 * factors and values on the host).
 */
export function streamingKroneckerAttention2d(factors: readonly Tensor[], v: Tensor, options: StreamingAttentionOptions): Tensor {
  if (v.rank !== 2) throw new ArgumentError(`streamingKroneckerAttention2d: values must be [N, E], got [${v.shape.join(", ")}]`);
  if (v.dtype !== "float32" && v.dtype !== "float64") throw new ArgumentError(`streamingKroneckerAttention2d: values must be float32 or float64, got ${v.dtype}`);
  const [n, e] = v.shape;
  const p = plan(factors, n, options);
  const rows = p.blockRows;
  const cols = p.blockCols;
  const float64 = v.dtype === "float64";
  const gemm = (a: FloatArray, b: FloatArray, c: FloatArray, m: number, nn: number, k: number, transA: boolean, transB: boolean) =>
    float64 ? gemmF64(a as Float64Array, b as Float64Array, c as Float64Array, m, nn, k, transA, transB)
      : gemmF32(a as Float32Array, b as Float32Array, c as Float32Array, m, nn, k, transA, transB);
  const array = (size: number): FloatArray => (float64 ? new Float64Array(size) : new Float32Array(size));
  const host = (t: Tensor): FloatArray => {
    const data = t.dataSync();
    if (data instanceof (float64 ? Float64Array : Float32Array)) return data as FloatArray;
    return float64 ? Float64Array.from(data as ArrayLike<number>) : Float32Array.from(data as ArrayLike<number>);
  };
  /** The [rows, width] matrix x with one more column, column(i) on row i. */
  const withColumn = (x: FloatArray, rowCount: number, width: number, column: (i: number) => number): FloatArray => {
    const out = array(rowCount * (width + 1));
    for (let i = 0; i < rowCount; i++) {
      out.set(x.subarray(i * width, (i + 1) * width), i * (width + 1));
      out[i * (width + 1) + width] = column(i);
    }
    return out;
  };
  /** Row log-sum-exps of the logits, saved by the forward pass (N numbers). */
  let lse: Float64Array | null = null;

  const forward = (vals: Tensor, ...fs: Tensor[]): Tensor => {
    const values = host(vals);
    const factorValues = fs.map(host);
    const tile = new KroneckerTile(p);
    const out = array(n * e);
    const mu = rowMaxima(factorValues, p.m, p.k);
    const saved = new Float64Array(n);
    const shifted = array(rows * cols);
    const weights = array(rows * cols);
    // [V | 1]: the products W [V | 1] carry each row's Σ W in their last column.
    const valuesOnes = withColumn(values, n, e, () => 1);
    const product = array(rows * (e + 1));
    const sum = new Float64Array(rows);
    const acc = new Float64Array(rows * e);
    for (let b = 0; b < n / rows; b++) {
      const blockMu = mu.subarray(b * rows, (b + 1) * rows);
      sum.fill(0);
      acc.fill(0);
      for (let c = 0; c < n / cols; c++) {
        tile.build(factorValues, b, c, shifted, blockMu);
        expInto(shifted, weights);
        gemm(weights, valuesOnes.subarray(c * cols * (e + 1), (c + 1) * cols * (e + 1)), product, rows, e + 1, cols, false, false);
        for (let i = 0; i < rows; i++) {
          for (let x = 0; x < e; x++) acc[i * e + x] += product[i * (e + 1) + x];
          sum[i] += product[i * (e + 1) + e];
        }
      }
      for (let i = 0; i < rows; i++) {
        const r = b * rows + i;
        saved[r] = blockMu[i] + Math.log(sum[i]);
        for (let x = 0; x < e; x++) out[r * e + x] = acc[i * e + x] / sum[i];
      }
    }
    lse = saved;
    return tensor(out, { shape: [n, e], dtype: vals.dtype });
  };


  const backward = (g: Tensor, inputs: readonly Tensor[], output: Tensor): (Tensor | null)[] => {
    const [vals, ...fs] = inputs;
    const needV = vals.requiresGrad;
    const needF = fs.some((f) => f.requiresGrad);
    if (!lse) throw new ArgumentError("streamingKroneckerAttention2d: backward before forward");
    const rowLse = lse;
    const values = host(vals);
    const factorValues = fs.map(host);
    const grad = host(g);
    const result = host(output);
    const delta = new Float64Array(n); // Δᵢ = Σ_e Gᵢₑ Oᵢₑ
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let x = i * e; x < (i + 1) * e; x++) s += grad[x] * result[x];
      delta[i] = s;
    }
    // [V | 1] and [G | −Δ]: their product G Vᵀ − Δ 1ᵀ is ∂P's factor in ∂L = P ⊙ (G Vᵀ − Δ).
    const valuesOnes = withColumn(values, n, e, () => 1);
    const gradDelta = withColumn(grad, n, e, (i) => -delta[i]);
    const tile = new KroneckerTile(p);
    const shifted = array(rows * cols);
    const probs = array(rows * cols);
    const gradProbs = array(rows * cols);
    const gradLogits = new Float64Array(rows * cols);
    const product = array(cols * e);
    const valueGrad = new Float64Array(needV ? n * e : 0);
    const factorGrads = fs.map(() => new Float64Array(p.m * p.m));
    for (let b = 0; b < n / rows; b++) {
      const gradRows = grad.subarray(b * rows * e, (b + 1) * rows * e);
      for (let c = 0; c < n / cols; c++) {
        tile.build(factorValues, b, c, shifted, rowLse.subarray(b * rows, (b + 1) * rows));
        expInto(shifted, probs);
        if (needV) {
          gemm(probs, gradRows, product, cols, e, rows, true, false); // Pᵀ G
          const at = c * cols * e;
          for (let x = 0; x < cols * e; x++) valueGrad[at + x] += product[x];
        }
        if (needF) {
          const gradDeltaRows = gradDelta.subarray(b * rows * (e + 1), (b + 1) * rows * (e + 1));
          const valueCols = valuesOnes.subarray(c * cols * (e + 1), (c + 1) * cols * (e + 1));
          gemm(gradDeltaRows, valueCols, gradProbs, rows, cols, e + 1, false, true); // G Vᵀ − Δ 1ᵀ
          for (let j = 0; j < rows * cols; j++) gradLogits[j] = probs[j] * gradProbs[j];
          tile.accumulateGradients(gradLogits, factorGrads);
        }
      }
    }
    const dvals = needV ? tensor(valueGrad, { shape: [n, e], dtype: vals.dtype }) : null;
    const dfs = fs.map((f, l) => (f.requiresGrad ? tensor(factorGrads[l], { shape: [p.m, p.m], dtype: f.dtype }) : null));
    return [dvals, ...dfs];
  };

  return customVjp("streamingKroneckerAttention", forward, backward)(v, ...factors);
}

/**
 * `streamingKroneckerAttention2d` for values of any rank ≥ 2, [..., N, D]: the leading axes
 * are folded into the value width (one attention matrix for the whole batch).
 */
export function streamingKroneckerAttention(factors: readonly Tensor[], v: Tensor, options: StreamingAttentionOptions): Tensor {
  if (v.rank < 2) throw new ArgumentError(`streamingKroneckerAttention: values must have rank ≥ 2, got [${v.shape.join(", ")}]`);
  if (v.rank === 2) return streamingKroneckerAttention2d(factors, v, options);
  const r = v.rank;
  const n = v.shape[r - 2];
  const d = v.shape[r - 1];
  const lead = v.shape.slice(0, r - 2);
  const batch = lead.reduce((a, x) => a * x, 1);
  const tokenMajor = v.reshape([batch, n, d]).permute([1, 0, 2]).reshape([n, batch * d]);
  const out = streamingKroneckerAttention2d(factors, tokenMajor, options);
  return out.reshape([n, batch, d]).permute([1, 0, 2]).reshape([...lead, n, d]);
}
