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
 * Forward: for each block of rows, an online softmax over the column tiles (FlashAttention):
 * a running row max μ, running sum ℓ = Σ exp(L − μ) and accumulator Σ exp(L − μ) V, rescaled
 * by exp(μ_old − μ_new) when the max grows. The row log-sum-exp μ + log ℓ (N numbers) is
 * saved for the backward pass.
 *
 * Backward (hand-written, through `customVjp`): with P = softmax(L) recomputed tile by tile
 * as exp(L − lse), G = ∂loss/∂O and Δᵢ = Σ_e Gᵢₑ Oᵢₑ,
 *   ∂V = Pᵀ G,   ∂L = P ⊙ (G Vᵀ − Δ),
 * and ∂L of a tile is pushed through its Kronecker product to the factor slices: for
 * Z = X ⊗ Y, ∂X[a,c] = Σ_{r,s} ∂Z[(a,r),(c,s)] Y[r,s] and ∂Y[r,s] = Σ_{a,c} ∂Z[(a,r),(c,s)] X[a,c].
 *
 * Live memory between forward and backward: the output and N log-sum-exps, O(N·E). Peak
 * memory inside either pass: O(blockRows·blockCols + (blockRows + blockCols)·E).
 */
import { ArgumentError, type Tensor, concat, customVjp, dispose, exp, matmul, maximum, slice, tensor, tidy } from "@fcn/tensor";

export interface StreamingAttentionOptions {
  /** Rows per block: a power of m dividing N. */
  blockRows: number;
  /** Columns per tile: a power of m dividing N. */
  blockCols: number;
}

interface Plan {
  n: number;
  m: number;
  k: number;
  blockRows: number;
  blockCols: number;
  /** Fixed leading row digits of a row block, and column digits of a column tile. */
  rowPrefix: number;
  colPrefix: number;
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

function kron2(a: Tensor, b: Tensor): Tensor {
  const [p, q] = a.shape;
  const [r, s] = b.shape;
  return a.reshape([p, 1, q, 1]).mul(b.reshape([1, r, 1, s])).reshape([p * r, q * s]);
}

interface TileFactor {
  /** The slice of factor ℓ this tile uses. */
  t: Tensor;
  /** Where it sits in the factor: rows [r0, r0 + rows), columns [c0, c0 + cols). */
  r0: number;
  c0: number;
}

/** The slices T_ℓ of tile (row block b, column tile c). */
function tileFactors(factors: readonly Tensor[], p: Plan, b: number, c: number): TileFactor[] {
  const { m, k, rowPrefix, colPrefix } = p;
  return Array.from({ length: k }, (_, l) => {
    const i = l < rowPrefix ? Math.floor(b / m ** (rowPrefix - 1 - l)) % m : -1;
    const j = l < colPrefix ? Math.floor(c / m ** (colPrefix - 1 - l)) % m : -1;
    if (i < 0 && j < 0) return { t: factors[l], r0: 0, c0: 0 };
    const t = slice(factors[l], [Math.max(i, 0), Math.max(j, 0)], [i < 0 ? m : i + 1, j < 0 ? m : j + 1]);
    return { t, r0: Math.max(i, 0), c0: Math.max(j, 0) };
  });
}

/** Prefix Kronecker products: chain[ℓ] = T₁ ⊗ … ⊗ T_{ℓ+1}; the last is the tile's logits. */
function prefixChain(parts: readonly TileFactor[]): Tensor[] {
  const chain: Tensor[] = [parts[0].t];
  for (let l = 1; l < parts.length; l++) chain.push(kron2(chain[l - 1], parts[l].t));
  return chain;
}

/**
 * O = row-softmax(A₁ ⊗ … ⊗ A_k) V for V [N, E], N = m^k, streamed in tiles of
 * blockRows × blockCols logits with an online softmax, and differentiable (factors and V)
 * through a recomputing backward. Neither pass holds an N×N array.
 */
export function streamingKroneckerAttention2d(factors: readonly Tensor[], v: Tensor, options: StreamingAttentionOptions): Tensor {
  if (v.rank !== 2) throw new ArgumentError(`streamingKroneckerAttention2d: values must be [N, E], got [${v.shape.join(", ")}]`);
  const [n, e] = v.shape;
  const p = plan(factors, n, options);
  const rowBlocks = n / p.blockRows;
  const colTiles = n / p.blockCols;
  /** Row log-sum-exps of the logits, saved by the forward pass (N numbers). */
  let lse: Float64Array | null = null;

  const forward = (vals: Tensor, ...fs: Tensor[]): Tensor => {
    const saved = new Float64Array(n);
    const rows: Tensor[] = [];
    for (let b = 0; b < rowBlocks; b++) {
      let state: { mu: Tensor; sum: Tensor; acc: Tensor } | null = null;
      for (let c = 0; c < colTiles; c++) {
        const previous: { mu: Tensor; sum: Tensor; acc: Tensor } | null = state;
        const next: { mu: Tensor; sum: Tensor; acc: Tensor } = tidy(() => {
          const chain = prefixChain(tileFactors(fs, p, b, c));
          const logits = chain[chain.length - 1];
          const vc = slice(vals, [c * p.blockCols, 0], [(c + 1) * p.blockCols, e]);
          const tileMax = logits.max(-1, true);
          const mu = previous ? maximum(previous.mu, tileMax) : tileMax;
          const weights = exp(logits.sub(mu));
          const sum = weights.sum(-1, true);
          const acc = matmul(weights, vc);
          if (!previous) return { mu, sum, acc };
          const scale = exp(previous.mu.sub(mu));
          return { mu, sum: previous.sum.mul(scale).add(sum), acc: previous.acc.mul(scale).add(acc) };
        });
        if (previous) dispose(previous);
        state = next;
      }
      const done = state!;
      rows.push(done.acc.div(done.sum));
      const blockLse = tidy(() => done.mu.add(done.sum.log()));
      saved.set(blockLse.dataSync(), b * p.blockRows);
      dispose([done, blockLse]);
    }
    lse = saved;
    return concat(rows, 0);
  };

  const backward = (g: Tensor, inputs: readonly Tensor[], output: Tensor): (Tensor | null)[] => {
    const [vals, ...fs] = inputs;
    const needV = vals.requiresGrad;
    const needF = fs.some((f) => f.requiresGrad);
    if (!lse) throw new ArgumentError("streamingKroneckerAttention2d: backward before forward");
    const dtype = output.dtype;
    const rowLse = tensor(lse, { shape: [n, 1], dtype });
    const delta = g.mul(output).sum(-1, true); // Δᵢ = Σ_e Gᵢₑ Oᵢₑ
    const m = p.m;
    const factorGrads = fs.map(() => new Float64Array(m * m));
    const valueGrads: Tensor[] = [];
    for (let c = 0; c < colTiles; c++) {
      let dv: Tensor | null = null;
      for (let b = 0; b < rowBlocks; b++) {
        const previous = dv as Tensor | null;
        dv = tidy((): Tensor | null => {
          const r0 = b * p.blockRows;
          const r1 = r0 + p.blockRows;
          const parts = tileFactors(fs, p, b, c);
          const chain = prefixChain(parts);
          const logits = chain[chain.length - 1];
          const probs = exp(logits.sub(slice(rowLse, [r0, 0], [r1, 1])));
          const gr = slice(g, [r0, 0], [r1, e]);
          let contribution: Tensor | null = null;
          if (needV) {
            const term = matmul(probs, gr, { transposeA: true });
            contribution = previous ? previous.add(term) : term;
          }
          if (needF) {
            const vc = slice(vals, [c * p.blockCols, 0], [(c + 1) * p.blockCols, e]);
            const dLogits = probs.mul(matmul(gr, vc, { transposeB: true }).sub(slice(delta, [r0, 0], [r1, 1])));
            accumulateKronGrads(parts, chain, dLogits, factorGrads, m);
          }
          return contribution;
        });
        if (previous && needV) previous.dispose();
      }
      if (dv) valueGrads.push(dv);
    }
    rowLse.dispose();
    delta.dispose();
    const dvals = needV ? concat(valueGrads, 0) : null;
    const dfs = fs.map((f, l) => (f.requiresGrad ? tensor(factorGrads[l], { shape: [m, m], dtype: f.dtype }) : null));
    return [dvals, ...dfs];
  };

  return customVjp("streamingKroneckerAttention", forward, backward)(v, ...factors);
}

/**
 * Pushes ∂tile back through tile = T₁ ⊗ … ⊗ T_k (chain[ℓ] = T₁ ⊗ … ⊗ T_{ℓ+1}) and adds
 * each ∂T_ℓ into the m×m gradient of factor ℓ at the slice's place.
 */
function accumulateKronGrads(parts: readonly TileFactor[], chain: readonly Tensor[], dTile: Tensor, into: Float64Array[], m: number): void {
  let dz = dTile;
  for (let l = parts.length - 1; l >= 0; l--) {
    let dt: Tensor;
    if (l === 0) dt = dz;
    else {
      const x = chain[l - 1];
      const y = parts[l].t;
      const [pp, q] = x.shape;
      const [r, s] = y.shape;
      const dz4 = dz.reshape([pp, r, q, s]);
      dt = dz4.mul(x.reshape([pp, 1, q, 1])).sum([0, 2]); // ∂Y
      dz = dz4.mul(y.reshape([1, r, 1, s])).sum([1, 3]); // ∂X
    }
    const { t, r0, c0 } = parts[l];
    const [rows, cols] = t.shape;
    const data = dt.dataSync();
    const target = into[l];
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) target[(r0 + i) * m + c0 + j] += data[i * cols + j];
  }
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
