/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and conquer
 * (LAPACK dstedc/dlaed0–dlaed4): split T at the middle as diag(T₁, T₂) + |β|·uuᵀ, solve both
 * halves, then the rank-one update D + ρzzᵀ with deflation (small zᵢ, close poles rotated
 * together), one secular-equation root per remaining pole, eigenvectors through the
 * Gu–Eisenstat recomputed z (orthogonal to working precision), and the new eigenvectors as
 * products of the halves' eigenvectors with the update's (through `gemm`, which runs large products
 * in `@fcn/tensor`'s matmul). Small blocks use implicit QL.
 */
import { gemm } from "./gemm.js";
import { implicitQl } from "./ql.js";
import { DENSE, deflate } from "./deflation.js";

const EPS = 2 ** -52;

/** Eigenvalues ascending and eigenvectors as the rows of `vectorRows` (n×n row-major). */
export interface TridiagonalEigen {
  readonly values: Float64Array;
  readonly vectorRows: Float64Array;
}

/** Solves T = tridiag(e, d, e) (e[i] = T[i, i+1]); blocks of at most `leafSize` rows use QL. */
export function tridiagonalEigen(d: Float64Array, e: Float64Array, leafSize = 32, maxQlIterations = 60): TridiagonalEigen {
  const n = d.length;
  const dd = Float64Array.from(d);
  return solve(dd, e, 0, n, Math.max(2, leafSize), maxQlIterations);
}

function solve(d: Float64Array, e: Float64Array, lo: number, size: number, leaf: number, maxIt: number): TridiagonalEigen {
  if (size <= leaf) return leafSolve(d, e, lo, size, maxIt);
  const n1 = size >> 1;
  const n2 = size - n1;
  const beta = e[lo + n1 - 1];
  const rho = Math.abs(beta);
  d[lo + n1 - 1] -= rho;
  d[lo + n1] -= rho;
  const left = solve(d, e, lo, n1, leaf, maxIt);
  const right = solve(d, e, lo + n1, n2, leaf, maxIt);
  return merge(left, right, n1, n2, rho, beta < 0 ? -1 : 1);
}

/** Implicit QL (tql2) on the block, starting from the identity; rows of the result are eigenvectors. */
function leafSolve(d: Float64Array, e: Float64Array, lo: number, n: number, maxIt: number): TridiagonalEigen {
  const dl = d.slice(lo, lo + n);
  const el = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) el[i] = e[lo + i];
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  implicitQl(w, dl, el, n, true, maxIt);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => dl[x] - dl[y]);
  const values = new Float64Array(n);
  const vectorRows = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = dl[src];
    vectorRows.set(w.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectorRows };
}

/** Column support of an eigenvector row: only the first block, only the second, or both. */
const TOP = 1;
const BOTTOM = 2;

function merge(left: TridiagonalEigen, right: TridiagonalEigen, n1: number, n2: number, rho0: number, sign: number): TridiagonalEigen {
  const n = n1 + n2;
  // Eigenvector rows of diag(T₁, T₂), padded to length n, and z = Qᵀu.
  const rows = new Float64Array(n * n);
  const lambda = new Float64Array(n);
  const z = new Float64Array(n);
  const kind = new Uint8Array(n);
  for (let i = 0; i < n1; i++) {
    rows.set(left.vectorRows.subarray(i * n1, i * n1 + n1), i * n);
    lambda[i] = left.values[i];
    z[i] = left.vectorRows[i * n1 + n1 - 1];
    kind[i] = TOP;
  }
  for (let i = 0; i < n2; i++) {
    rows.set(right.vectorRows.subarray(i * n2, i * n2 + n2), (n1 + i) * n + n1);
    lambda[n1 + i] = right.values[i];
    z[n1 + i] = sign * right.vectorRows[i * n2];
    kind[n1 + i] = BOTTOM;
  }
  if (rho0 === 0) return sortedResult(lambda, rows, n);
  // Normalize: ρ·zzᵀ with ‖z‖ = 1.
  let zz = 0;
  for (let i = 0; i < n; i++) zz += z[i] * z[i];
  const rho = rho0 * zz;
  const zn = Math.sqrt(zz);
  for (let i = 0; i < n; i++) z[i] /= zn;
  // Merge the two sorted halves by eigenvalue.
  const order = new Int32Array(n);
  for (let i = 0, a = 0, b = n1; i < n; i++) {
    order[i] = b >= n || (a < n1 && lambda[a] <= lambda[b]) ? a++ : b++;
  }
  // Deflation (dlaed2): tiny ρ|zᵢ|, and pairs of close poles rotated so one z becomes 0.
  const { kept, deflated } = deflate(lambda, z, rho, order, kind, (prev, j, c, s) => {
    const rp = prev * n;
    const rj = j * n;
    for (let q = 0; q < n; q++) {
      const x = rows[rp + q];
      const y = rows[rj + q];
      rows[rp + q] = c * x + s * y;
      rows[rj + q] = c * y - s * x;
    }
  });
  const k = kept.length;
  if (k === 0) return sortedResult(lambda, rows, n);
  // Secular equation 1 + ρ Σ zⱼ²/(δⱼ − λ) = 0 on the kept poles, one root per interval.
  const poles = new Float64Array(k);
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    poles[i] = lambda[kept[i]];
    w[i] = z[kept[i]];
  }
  // delta[i·k + j] = δⱼ − λᵢ, computed from the root's nearer pole.
  const delta = new Float64Array(k * k);
  const roots = new Float64Array(k);
  let wsq = 0;
  for (let i = 0; i < k; i++) wsq += w[i] * w[i];
  for (let i = 0; i < k; i++) roots[i] = secularRoot(poles, w, rho, wsq, i, delta.subarray(i * k, i * k + k));
  // Gu–Eisenstat: ẑ with D + ρẑẑᵀ having exactly these roots; eigenvectors uᵢ ∝ ẑⱼ/(δⱼ − λᵢ).
  // ẑⱼ² = −Πᵢ (δⱼ − λᵢ) / Πᵢ≠ⱼ (δⱼ − δᵢ); accumulated root by root so that each pass reads one
  // row of delta (dlaed3's loop order), not a column k entries apart.
  const prod = new Float64Array(k);
  for (let j = 0; j < k; j++) prod[j] = delta[j * k + j];
  for (let i = 0; i < k; i++) {
    const ro = i * k;
    const pi = poles[i];
    for (let j = 0; j < i; j++) prod[j] *= delta[ro + j] / (poles[j] - pi);
    for (let j = i + 1; j < k; j++) prod[j] *= delta[ro + j] / (poles[j] - pi);
  }
  const zh = new Float64Array(k);
  for (let j = 0; j < k; j++) zh[j] = Math.sign(w[j]) * Math.sqrt(Math.max(-prod[j], 0));
  // U (k×k): row i = eigenvector i of the update, in the kept basis.
  const u = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    let norm = 0;
    const ro = i * k;
    for (let j = 0; j < k; j++) {
      const x = zh[j] / delta[ro + j];
      u[ro + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < k; j++) u[ro + j] /= norm;
  }
  // New eigenvector rows = U·(kept rows), split by column support (top block, bottom block).
  const out = new Float64Array(n * n);
  const values = new Float64Array(n);
  for (const [kinds, c0, width] of [[TOP, 0, n1], [BOTTOM, n1, n2]] as const) {
    const sel: number[] = [];
    for (let j = 0; j < k; j++) if (kind[kept[j]] === kinds || kind[kept[j]] === DENSE) sel.push(j);
    if (sel.length === 0) continue;
    const us = new Float64Array(k * sel.length);
    const qs = new Float64Array(sel.length * width);
    sel.forEach((j, t) => {
      for (let i = 0; i < k; i++) us[i * sel.length + t] = u[i * k + j];
      qs.set(rows.subarray(kept[j] * n + c0, kept[j] * n + c0 + width), t * width);
    });
    const prod = gemm(us, qs, k, width, sel.length);
    for (let i = 0; i < k; i++) out.set(prod.subarray(i * width, i * width + width), i * n + c0);
  }
  for (let i = 0; i < k; i++) values[i] = roots[i];
  deflated.forEach((j, t) => {
    values[k + t] = lambda[j];
    out.set(rows.subarray(j * n, j * n + n), (k + t) * n);
  });
  return sortedResult(values, out, n);
}

function sortedResult(values: Float64Array, rows: Float64Array, n: number): TridiagonalEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[x] - values[y]);
  if (order.every((v, i) => v === i)) return { values, vectorRows: rows };
  const v = new Float64Array(n);
  const r = new Float64Array(n * n);
  order.forEach((src, dst) => {
    v[dst] = values[src];
    r.set(rows.subarray(src * n, src * n + n), dst * n);
  });
  return { values: v, vectorRows: r };
}

/**
 * Root i of 1 + ρ Σⱼ wⱼ²/(δⱼ − λ) = 0 (δ ascending, ‖w‖² = wsq), in (δᵢ, δᵢ₊₁) or
 * (δ_{k−1}, δ_{k−1} + ρ·wsq) for the last. Writes δⱼ − λ into `delta`, each as
 * (δⱼ − δ_origin) − τ with the origin the nearer pole, and returns λ.
 */
function secularRoot(poles: Float64Array, w: Float64Array, rho: number, wsq: number, i: number, delta: Float64Array): number {
  const k = poles.length;
  const last = i === k - 1;
  let origin = i;
  let lo: number;
  let hi: number;
  if (last) {
    lo = 0;
    hi = rho * wsq;
  } else {
    const gap = poles[i + 1] - poles[i];
    // f at the midpoint decides which pole is nearer to the root.
    let f = 1;
    for (let j = 0; j < k; j++) f += (rho * w[j] * w[j]) / (poles[j] - poles[i] - gap / 2);
    if (f >= 0) {
      lo = 0;
      hi = gap / 2;
    } else {
      origin = i + 1;
      lo = -gap / 2;
      hi = 0;
    }
  }
  const base = poles[origin];
  for (let j = 0; j < k; j++) delta[j] = poles[j] - base;
  // Poles i and i+1 (shifted) bound the root; the two-pole rational model gives the step.
  const a = delta[i];
  const b = last ? Infinity : delta[i + 1];
  let tau = last ? hi / 2 : (lo + hi) / 2;
  if (!last && origin === i) tau = hi / 2;
  if (!last && origin === i + 1) tau = lo / 2;
  for (let iteration = 0; iteration < 200; iteration++) {
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    for (let j = 0; j <= i; j++) {
      const t = w[j] / (delta[j] - tau);
      psi += w[j] * t;
      dpsi += t * t;
    }
    for (let j = i + 1; j < k; j++) {
      const t = w[j] / (delta[j] - tau);
      phi += w[j] * t;
      dphi += t * t;
    }
    psi *= rho;
    phi *= rho;
    dpsi *= rho;
    dphi *= rho;
    const f = 1 + psi + phi;
    if (f < 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    const errorBound = 8 * EPS * (1 + Math.abs(psi) + Math.abs(phi)) + EPS * Math.abs(tau) * (dpsi + dphi);
    if (Math.abs(f) <= errorBound || hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // Model f ≈ c + s/(a − x) + S/(b − x) matching f and both partial derivatives at τ.
    const da = a - tau;
    let next: number;
    if (last) {
      const s = dpsi * da * da;
      // c + s/(a − x) = 0 → x = a + s/c (c > 0: f → 1 as λ → ∞).
      next = a + s / (f - s / da);
    } else {
      const db = b - tau;
      const s = dpsi * da * da;
      const S = dphi * db * db;
      const c = f - s / da - S / db;
      // c(a − x)(b − x) + s(b − x) + S(a − x) = 0, in η = x − τ with a' = da, b' = db.
      const qa = c;
      const qb = -(c * (da + db) + s + S);
      const qc = c * da * db + s * db + S * da;
      let eta: number;
      if (qa === 0) eta = -qc / qb;
      else {
        const disc = Math.sqrt(Math.max(qb * qb - 4 * qa * qc, 0));
        const r1 = qb <= 0 ? (-qb + disc) / (2 * qa) : (2 * qc) / (-qb - disc);
        const r2 = qb <= 0 ? (2 * qc) / (-qb + disc) : (-qb - disc) / (2 * qa);
        eta = r1 > da && r1 < db ? r1 : r2;
      }
      next = tau + eta;
    }
    tau = next > lo && next < hi && Number.isFinite(next) ? next : (lo + hi) / 2;
  }
  for (let j = 0; j < k; j++) delta[j] -= tau;
  return base + tau;
}
