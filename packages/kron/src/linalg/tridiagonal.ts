/**
 * Blocked Householder tridiagonalization of a symmetric matrix (LAPACK dsytrd, lower, with the
 * dlatrd panel) and the blocked back-transformation of eigenvectors (dormtr with compact WY,
 * dlarft + dlarfb). The rank-2k trailing update A ← A − V·Wᵀ − W·Vᵀ and the back-transformation
 * run as float64 products through `@fcn/tensor`'s matmul; the panel's symmetric matrix-vector
 * products stay in JS (they read each trailing entry once, half the matrix).
 */
import { gemm } from "./gemm.js";

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
 * Reduces the symmetric n×n row-major `a` (both triangles stored; overwritten) to tridiagonal
 * form with panels of `blockSize` columns.
 */
export function tridiagonalizeBlocked(a: Float64Array, n: number, blockSize = 32): Tridiagonal {
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const blocks: ReflectorBlock[] = [];
  const y = new Float64Array(n);
  for (let start = 0; start < n; start += blockSize) {
    const nb = Math.min(blockSize, n - start);
    const m = n - start - 1; // rows of V and W (start+1 … n−1)
    const v = new Float64Array(Math.max(m, 0) * nb);
    const w = new Float64Array(Math.max(m, 0) * nb);
    const tau = new Float64Array(nb);
    for (let j = 0; j < nb; j++) {
      const c = start + j;
      const rowC = c * n;
      // Bring row c (columns c…n−1) up to date with the panel's earlier reflectors:
      // a[c, s] −= Σₜ V[c,t]·W[s,t] + W[c,t]·V[s,t]  (V, W rows are offset by start+1).
      if (j > 0) {
        const rc = (c - start - 1) * nb;
        for (let s = c; s < n; s++) {
          const rs = (s - start - 1) * nb;
          let sum = 0;
          for (let t = 0; t < j; t++) sum += v[rc + t] * w[rs + t] + w[rc + t] * v[rs + t];
          a[rowC + s] -= sum;
        }
      }
      d[c] = a[rowC + c];
      if (c === n - 1) break;
      // Householder reflector for x = a[c, c+1 … n−1] (dlarfg): H·x = β·e₁.
      const len = n - c - 1;
      const alpha = a[rowC + c + 1];
      let xnorm = 0;
      let scale = 0;
      for (let s = c + 2; s < n; s++) scale = Math.max(scale, Math.abs(a[rowC + s]));
      if (scale > 0) {
        for (let s = c + 2; s < n; s++) {
          const t = a[rowC + s] / scale;
          xnorm += t * t;
        }
        xnorm = scale * Math.sqrt(xnorm);
      }
      const vOff = c - start; // row of v's leading 1 within V
      let tj = 0;
      // Below SAFE_MIN the reflector would overflow (1/(α − β)); such a tail is zero to working
      // precision (the caller scales A to max|aᵢⱼ| = 1), so H = I.
      if (xnorm < SAFE_MIN) {
        e[c] = alpha;
      } else {
        const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
        tj = (beta - alpha) / beta;
        const inv = 1 / (alpha - beta);
        e[c] = beta;
        v[vOff * nb + j] = 1;
        for (let s = c + 2; s < n; s++) v[(s - start - 1) * nb + j] = a[rowC + s] * inv;
      }
      tau[j] = tj;
      if (tj === 0) continue; // H = I: w = 0
      // y = A[c+1:, c+1:]·v (the trailing matrix as at the panel's start), symmetric, lower half.
      const base = c + 1;
      const vv = new Float64Array(len);
      for (let r = 0; r < len; r++) vv[r] = v[(vOff + r) * nb + j];
      y.fill(0, 0, len);
      symmetricMatvec(a, n, base, len, vv, y);
      // y −= V·(Wᵀv) + W·(Vᵀv) over the panel's earlier columns.
      if (j > 0) {
        const wv = new Float64Array(j);
        const vtv = new Float64Array(j);
        for (let r = 0; r < len; r++) {
          const ro = (vOff + r) * nb;
          const x = vv[r];
          if (x === 0) continue;
          for (let t = 0; t < j; t++) {
            wv[t] += w[ro + t] * x;
            vtv[t] += v[ro + t] * x;
          }
        }
        for (let r = 0; r < len; r++) {
          const ro = (vOff + r) * nb;
          let sum = 0;
          for (let t = 0; t < j; t++) sum += v[ro + t] * wv[t] + w[ro + t] * vtv[t];
          y[r] -= sum;
        }
      }
      // w = τ·y − ½τ²(yᵀv)·v
      let yv = 0;
      for (let r = 0; r < len; r++) yv += y[r] * vv[r];
      const alphaW = -0.5 * tj * tj * yv;
      for (let r = 0; r < len; r++) w[(vOff + r) * nb + j] = tj * y[r] + alphaW * vv[r];
    }
    if (m > 0) blocks.push({ start, size: Math.min(nb, m), v: nb === Math.min(nb, m) ? v : shrink(v, m, nb, m), tau: tau.subarray(0, Math.min(nb, m)) });
    // Trailing update of rows/columns start+nb … n−1: A −= V·Wᵀ + W·Vᵀ = [V W]·[W V]ᵀ.
    const t0 = start + nb;
    const mt = n - t0;
    if (mt <= 0) continue;
    const k2 = 2 * nb;
    const left = new Float64Array(mt * k2);
    const right = new Float64Array(mt * k2);
    for (let r = 0; r < mt; r++) {
      const src = (t0 + r - start - 1) * nb;
      const dst = r * k2;
      for (let t = 0; t < nb; t++) {
        left[dst + t] = v[src + t];
        left[dst + nb + t] = w[src + t];
        right[dst + t] = w[src + t];
        right[dst + nb + t] = v[src + t];
      }
    }
    const update = gemm(left, right, mt, mt, k2, false, true);
    for (let r = 0; r < mt; r++) {
      const row = (t0 + r) * n + t0;
      const ur = r * mt;
      for (let s = 0; s < mt; s++) a[row + s] -= update[ur + s];
    }
  }
  return { d, e, blocks };
}

/**
 * y += A[base:, base:]·v for the symmetric trailing block, reading its lower half only (each
 * entry once), two rows at a time so that v and y are loaded once per pair.
 */
function symmetricMatvec(a: Float64Array, n: number, base: number, len: number, v: Float64Array, y: Float64Array): void {
  let r = 0;
  for (; r + 1 < len; r += 2) {
    const row0 = (base + r) * n + base;
    const row1 = row0 + n;
    const v0 = v[r];
    const v1 = v[r + 1];
    let acc0 = 0;
    let acc1 = 0;
    for (let s = 0; s < r; s++) {
      const a0 = a[row0 + s];
      const a1 = a[row1 + s];
      const vs = v[s];
      acc0 += a0 * vs;
      acc1 += a1 * vs;
      y[s] += a0 * v0 + a1 * v1;
    }
    const a10 = a[row1 + r];
    y[r] += acc0 + a[row0 + r] * v0 + a10 * v1;
    y[r + 1] += acc1 + a10 * v0 + a[row1 + r + 1] * v1;
  }
  if (r < len) {
    const row = (base + r) * n + base;
    const vr = v[r];
    let acc = a[row + r] * vr;
    for (let s = 0; s < r; s++) {
      const ars = a[row + s];
      acc += ars * v[s];
      y[s] += ars * vr;
    }
    y[r] += acc;
  }
}

/** Keeps the first `cols` columns of an m×nb row-major array. */
function shrink(v: Float64Array, m: number, nb: number, cols: number): Float64Array {
  const out = new Float64Array(m * cols);
  for (let r = 0; r < m; r++) for (let t = 0; t < cols; t++) out[r * cols + t] = v[r * nb + t];
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
