/**
 * Blocked Householder tridiagonalization of a symmetric matrix (LAPACK dsytrd, lower, with the
 * dlatrd panel) and the blocked back-transformation of eigenvectors (dormtr with compact WY,
 * dlarft + dlarfb). The rank-2k trailing update A ← A − V·Wᵀ − W·Vᵀ and the back-transformation
 * run as float64 products through `@fcn/tensor`'s matmul; the panel's symmetric matrix-vector
 * products stay in JS (they read each trailing entry once, half the matrix).
 */
import { gemm } from "./gemm.js";
import { symvUpper } from "./symv.js";

const SAFE_MIN = 2 ** -960;

/** One panel of reflectors Hⱼ = I − τⱼ vⱼvⱼᵀ, j = 0…nb−1, acting on rows start+1 … n−1. */
export interface ReflectorBlock {
  /** Index of the panel's first column. */
  readonly start: number;
  /** Number of reflectors. */
  readonly size: number;
  /** V, (n − start − 1) × size row-major; column j is zero above row j and 1 at row j. */
  readonly v: Float64Array;
  readonly tau: Float64Array;
}

/** Tridiagonal form T = Qᵀ·A·Q with Q = H₀·H₁·…·H_{n−2}. */
export interface Tridiagonal {
  /** diag(T), length n. */
  readonly d: Float64Array;
  /** offdiag(T): e[i] = T[i, i+1], length max(n − 1, 0). */
  readonly e: Float64Array;
  /** Q's reflectors by panel, in order. */
  readonly blocks: readonly ReflectorBlock[];
}

/**
 * Reduces the symmetric n×n row-major `a` (overwritten) to tridiagonal form with panels of
 * `blockSize` columns. Only the upper triangle (j ≥ i) is read and kept up to date: row c from
 * its diagonal rightwards is column c of the lower triangle, so this is dsytrd 'L' transposed,
 * with the reflector's vector and every symv row contiguous.
 */
export function tridiagonalizeBlocked(a: Float64Array, n: number, blockSize = 32): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const blocks: ReflectorBlock[] = [];
  const ld = n;
  const vj = new Float64Array(n);
  const y = new Float64Array(n);
  for (let start = 0; start < n; start += blockSize) {
    const nb = Math.min(blockSize, n - start);
    const m = n - start - 1; // rows of V and W (start+1 … n−1)
    // V and W column-major (column t at t·m), so that the panel's updates run along columns.
    const v = new Float64Array(Math.max(m, 0) * nb);
    const w = new Float64Array(Math.max(m, 0) * nb);
    const tau = new Float64Array(nb);
    for (let j = 0; j < nb; j++) {
      const c = start + j;
      if (j > 0) updateRowFromPanel(a, c * ld + c, n - c, v, w, m, c - start - 1, j);
      d[c] = a[c * ld + c];
      if (c === n - 1) break;
      const len = n - c - 1;
      const tj = householder(a, c * ld + c + 1, len, vj);
      e[c] = vj[len]; // β, stored past the vector by householder
      tau[j] = tj;
      if (tj === 0) continue; // H = I: v = w = 0
      const vOff = c - start; // row of v's leading 1 within V
      v.set(vj.subarray(0, len), j * m + vOff);
      // y = A[c+1:, c+1:]·v with the trailing matrix as at the panel's start (dlatrd).
      symvUpper(a, (c + 1) * ld + c + 1, ld, len, vj, y);
      if (j > 0) subtractPanelProducts(v, w, m, j, vOff, len, vj, y);
      // w = τ·y − ½τ²(yᵀv)·v
      let yv = 0;
      for (let r = 0; r < len; r++) yv += y[r] * vj[r];
      const alphaW = -0.5 * tj * tj * yv;
      const wj = j * m + vOff;
      for (let r = 0; r < len; r++) w[wj + r] = tj * y[r] + alphaW * vj[r];
    }
    const size = Math.min(nb, m);
    if (m > 0) blocks.push({ start, size, v: rowMajor(v, m, size), tau: tau.subarray(0, size) });
    if (n - start - nb > 0) rank2kUpdateUpper(a, ld, n, start + nb, v, w, m, nb, nb - 1);
  }
  return { d, e, blocks };
}

/**
 * Row c (entries c … n−1, `count` of them) brought up to date with the panel's first j
 * reflectors: a[c, s] −= Σₜ V[c,t]·W[s,t] + W[c,t]·V[s,t]; `rc` is row c's index within the
 * column-major V and W (columns m apart).
 */
function updateRowFromPanel(
  a: Float64Array, p: number, count: number, v: Float64Array, w: Float64Array, m: number, rc: number, j: number,
): void {
  for (let t = 0; t < j; t++) {
    const col = t * m + rc;
    const vc = v[col];
    const wc = w[col];
    for (let s = 0; s < count; s++) a[p + s] -= vc * w[col + s] + wc * v[col + s];
  }
}

/**
 * Householder reflector for x = a[p … p+len−1] (dlarfg): H = I − τ·v·vᵀ with H·x = β·e₁.
 * Writes v (v₀ = 1) into out[0 … len−1] and β into out[len]; returns τ (0 when H = I).
 */
function householder(a: Float64Array, p: number, len: number, out: Float64Array): number {
  const alpha = a[p];
  let scale = 0;
  for (let s = 1; s < len; s++) scale = Math.max(scale, Math.abs(a[p + s]));
  let xnorm = 0;
  if (scale > 0) {
    let sum = 0;
    for (let s = 1; s < len; s++) {
      const t = a[p + s] / scale;
      sum += t * t;
    }
    xnorm = scale * Math.sqrt(sum);
  }
  // Below SAFE_MIN the reflector would overflow (1/(α − β)); such a tail is zero to working
  // precision (the caller scales A to max|aᵢⱼ| = 1), so H = I.
  if (xnorm < SAFE_MIN) {
    out[len] = alpha;
    return 0;
  }
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const inv = 1 / (alpha - beta);
  out[0] = 1;
  for (let s = 1; s < len; s++) out[s] = a[p + s] * inv;
  out[len] = beta;
  return (beta - alpha) / beta;
}

/** y −= V·(Wᵀx) + W·(Vᵀx) over the panel's first j columns (rows vOff … vOff+len−1 of V, W). */
function subtractPanelProducts(
  v: Float64Array, w: Float64Array, m: number, j: number, vOff: number, len: number, x: Float64Array, y: Float64Array,
): void {
  for (let t = 0; t < j; t++) {
    const col = t * m + vOff;
    let wx = 0;
    let vx = 0;
    for (let r = 0; r < len; r++) {
      wx += w[col + r] * x[r];
      vx += v[col + r] * x[r];
    }
    for (let r = 0; r < len; r++) y[r] -= v[col + r] * wx + w[col + r] * vx;
  }
}

/** Row blocks of the rank-2k update: taller blocks mean fewer products, shorter ones less waste on the diagonal. */
export const RANK2K_ROW_BLOCK = 128;

/**
 * Trailing update of rows/columns t0 … n−1, upper triangle only (dsyr2k):
 * A −= V·Wᵀ + W·Vᵀ = [V W]·[W V]ᵀ, as one product per block of rows (the block's rows times
 * the columns from its diagonal on), so about half the flops of the full square.
 * `r0` is row t0's index within the column-major V and W (columns m apart).
 */
function rank2kUpdateUpper(
  a: Float64Array, ld: number, n: number, t0: number, v: Float64Array, w: Float64Array, m: number, nb: number, r0: number,
): void {
  const mt = n - t0;
  const k2 = 2 * nb;
  const left = new Float64Array(mt * k2);
  const right = new Float64Array(mt * k2);
  for (let t = 0; t < nb; t++) {
    const src = t * m + r0;
    for (let r = 0, dst = t; r < mt; r++, dst += k2) {
      const vr = v[src + r];
      const wr = w[src + r];
      left[dst] = vr;
      left[dst + nb] = wr;
      right[dst] = wr;
      right[dst + nb] = vr;
    }
  }
  const hb = mt <= 2 * RANK2K_ROW_BLOCK ? mt : RANK2K_ROW_BLOCK;
  for (let i0 = 0; i0 < mt; i0 += hb) {
    const h = Math.min(hb, mt - i0);
    const width = mt - i0;
    const update = gemm(left.subarray(i0 * k2, (i0 + h) * k2), right.subarray(i0 * k2), h, width, k2, false, true);
    subtractUpper(a, (t0 + i0) * ld + t0 + i0, ld, h, width, update);
  }
}

/** a[p + r·ld + s] −= u[r·width + s] for s ≥ r (the block's part on or above the diagonal). */
function subtractUpper(a: Float64Array, p: number, ld: number, h: number, width: number, u: Float64Array): void {
  for (let r = 0; r < h; r++) {
    const row = p + r * ld;
    const ur = r * width;
    for (let s = r; s < width; s++) a[row + s] -= u[ur + s];
  }
}

/** The first `cols` columns of the column-major m×· array `v`, row-major. */
function rowMajor(v: Float64Array, m: number, cols: number): Float64Array {
  const out = new Float64Array(m * cols);
  for (let t = 0; t < cols; t++) for (let r = 0, src = t * m; r < m; r++) out[r * cols + t] = v[src + r];
  return out;
}

/**
 * Z ← Q·Z for the n×p row-major Z (in place), Q = H₀·…·H_{n−2} from {@link tridiagonalizeBlocked}:
 * each panel as I − V·T·Vᵀ (T upper triangular, dlarft) applied with two products.
 */
export function applyQ(blocks: readonly ReflectorBlock[], z: Float64Array, n: number, p: number, groupSize = 128): void {
  // Consecutive panels are merged into groups of about `groupSize` reflectors: fewer, larger products.
  const groups: ReflectorBlock[] = [];
  for (let b = 0; b < blocks.length;) {
    let size = 0;
    let e = b;
    while (e < blocks.length && (size === 0 || size + blocks[e].size <= groupSize)) size += blocks[e++].size;
    groups.push(e - b === 1 ? blocks[b] : mergeBlocks(blocks.slice(b, e), n, size));
    b = e;
  }
  for (let b = groups.length - 1; b >= 0; b--) {
    const { start, size: nb, v, tau } = groups[b];
    const m = n - start - 1;
    // T: T[j][j] = τⱼ, T[0:j, j] = −τⱼ·T[0:j, 0:j]·(V[:, 0:j]ᵀ vⱼ).
    const g = gemm(v, v, nb, nb, m, true, false); // VᵀV
    const t = new Float64Array(nb * nb);
    for (let j = 0; j < nb; j++) {
      for (let q = 0; q < j; q++) {
        let s = 0;
        for (let u = q; u < j; u++) s += t[q * nb + u] * g[u * nb + j];
        t[q * nb + j] = -tau[j] * s;
      }
      t[j * nb + j] = tau[j];
    }
    // Z₂ = Z[start+1:, :] (contiguous rows); Z₂ −= V·(T·(Vᵀ·Z₂)).
    const z2 = z.subarray((start + 1) * p, n * p);
    const vtz = gemm(v, z2, nb, p, m, true, false);
    const tvtz = gemm(t, vtz, nb, p, nb, false, false);
    const update = gemm(v, tvtz, m, p, nb, false, false);
    for (let i = 0; i < z2.length; i++) z2[i] -= update[i];
  }
}

/** Concatenates consecutive panels' V (zero-padded above each panel's first row) and τ. */
function mergeBlocks(parts: readonly ReflectorBlock[], n: number, size: number): ReflectorBlock {
  const start = parts[0].start;
  const m = n - start - 1;
  const v = new Float64Array(m * size);
  const tau = new Float64Array(size);
  let col = 0;
  for (const part of parts) {
    const offset = part.start - start;
    const pm = n - part.start - 1;
    for (let r = 0; r < pm; r++) for (let t = 0; t < part.size; t++) v[(r + offset) * size + col + t] = part.v[r * part.size + t];
    tau.set(part.tau, col);
    col += part.size;
  }
  return { start, size, v, tau };
}
