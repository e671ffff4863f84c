/**
 * The blocked tridiagonalization (LAPACK dsytrd 'L' with the dlatrd panel, transposed to the
 * upper triangle as in tridiagonal.ts) and its back-transformation (dormtr, compact WY), run
 * on a matrix that lives in `@fcn/tensor`'s WebAssembly memory: the panel's symmetric
 * matrix-vector products, its corrections and the rank-2k trailing update are SIMD kernels that
 * read and write the matrix in place, with no copy per call. The reflectors are left in the
 * rows of the matrix (LAPACK's storage), where the back-transformation reads them.
 */
import type { F64Workspace } from "@fcn/tensor/gemm";

const SAFE_MIN = 2 ** -960;

/** Row blocks of the rank-2k update: taller blocks mean fewer products, shorter ones less waste on the diagonal. */
const RANK2K_ROW_BLOCK = 128;

/** diag(T), offdiag(T) (e[i] = T[i, i+1]) and the reflectors' τ. */
export interface WorkspaceTridiagonal {
  readonly d: Float64Array;
  readonly e: Float64Array;
  readonly tau: Float64Array;
}

/** Elements {@link tridiagonalizeInWorkspace} needs after the matrix: the panel buffers. */
export function tridiagonalScratch(n: number, blockSize: number): number {
  return 3 * blockSize * n + n + 4 * blockSize;
}

/**
 * Reduces the symmetric n×n matrix at `a` (row-major, rows n apart; only the upper triangle is
 * read) to tridiagonal form T = QᵀAQ, Q = H₀·…·H_{n−2}, Hc = I − τc·vc·vcᵀ, in panels of
 * `nb` columns. On return row c of the matrix holds vc (zero up to column c, 1 at c+1, the
 * reflector's tail after it), the form {@link applyQTransposedRight} reads. `scratch` is the
 * offset of {@link tridiagonalScratch} free elements.
 */
export function tridiagonalizeInWorkspace(ws: F64Workspace, a: number, n: number, nb: number, scratch: number): WorkspaceTridiagonal {
  const x = ws.data;
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  // Panel buffer P = [Vᵀ; Wᵀ; Vᵀ] (3nb rows, n apart, indexed by absolute column): [V W]·[W V]ᵀ
  // reads its first 2nb rows as one operand and its last 2nb as the other.
  const p = scratch;
  const wt = p + nb * n; // Wᵀ: row t holds the panel's t-th w
  const y = p + 3 * nb * n; // symv result, indexed from the reflector's first row
  const s1 = y + n; // Wᵀv or V[c, 0:j], nb entries
  const s2 = s1 + nb; // Vᵀv or W[c, 0:j]
  for (let start = 0; start < n - 1; start += nb) {
    const size = Math.min(nb, n - 1 - start);
    x.fill(0, wt, wt + size * n);
    for (let j = 0; j < size; j++) {
      const c = start + j;
      const row = a + c * n;
      const len = n - c - 1;
      if (j > 0) {
        // Row c brought up to date with the panel's first j reflectors:
        // a[c, c:] −= Σₜ V[c,t]·W[c:,t] + W[c,t]·V[c:,t] (V[c,t] = a[start+t, c], W[c,t] = wt[t, c]).
        for (let t = 0; t < j; t++) {
          x[s1 + t] = x[a + (start + t) * n + c];
          x[s2 + t] = x[wt + t * n + c];
        }
        ws.gemv(true, j, n - c, -1, wt + c, n, s1, row + c);
        ws.gemv(true, j, n - c, -1, a + start * n + c, n, s2, row + c);
      }
      d[c] = x[row + c];
      const tj = householder(x, row + c + 1, len);
      e[c] = x[row + c + 1];
      tau[c] = tj;
      x[row + c + 1] = tj === 0 ? 0 : 1;
      if (tj === 0) continue; // H = I: w = 0 (and v = e₁ never matters)
      // y = A[c+1:, c+1:]·v with the trailing matrix as at the panel's start, then the panel's corrections:
      // y −= V·(Wᵀv) + W·(Vᵀv) over rows c+1 … n−1.
      const v = row + c + 1;
      ws.symvUpper(v + n, n, len, v, y);
      if (j > 0) {
        x.fill(0, s1, s1 + 2 * nb);
        ws.gemv(false, j, len, 1, wt + c + 1, n, v, s1);
        ws.gemv(false, j, len, 1, a + start * n + c + 1, n, v, s2);
        ws.gemv(true, j, len, -1, a + start * n + c + 1, n, s1, y);
        ws.gemv(true, j, len, -1, wt + c + 1, n, s2, y);
      }
      // w = τ·y − ½τ²(yᵀv)·v
      let yv = 0;
      for (let r = 0; r < len; r++) yv += x[y + r] * x[v + r];
      const alpha = -0.5 * tj * tj * yv;
      const w = wt + j * n + c + 1;
      for (let r = 0; r < len; r++) x[w + r] = tj * x[y + r] + alpha * x[v + r];
    }
    const t0 = start + size; // first row of the trailing matrix
    if (t0 < n) {
      // Vᵀ into P's first and last nb rows (columns t0 … n−1 are all the update reads).
      for (let t = 0; t < size; t++) {
        const src = a + (start + t) * n;
        x.copyWithin(p + t * n + t0, src + t0, src + n);
        x.copyWithin(p + (2 * nb + t) * n + t0, src + t0, src + n);
      }
      rank2kUpdate(ws, a, n, t0, p, nb, size);
    }
  }
  if (n > 0) d[n - 1] = x[a + (n - 1) * n + n - 1];
  // Rows as reflectors: zero from column 0 to the diagonal (the 1 at c+1 was set above).
  for (let c = 0; c < n; c++) x.fill(0, a + c * n, a + c * n + Math.min(c + 1, n));
  return { d, e, tau };
}

/**
 * Trailing update of rows/columns t0 … n−1, upper triangle (dsyr2k): A −= V·Wᵀ + W·Vᵀ =
 * [V W]·[W V]ᵀ over the panel's `size` reflectors, one product per block of rows (the block's
 * rows times the columns from its diagonal on), subtracted in place. Entries left of the
 * diagonal inside a block are updated too and never read.
 */
function rank2kUpdate(ws: F64Workspace, a: number, n: number, t0: number, p: number, nb: number, size: number): void {
  const mt = n - t0;
  const hb = mt <= 2 * RANK2K_ROW_BLOCK ? mt : RANK2K_ROW_BLOCK;
  for (let i0 = t0; i0 < n; i0 += hb) {
    const h = Math.min(hb, n - i0);
    // Lᵀ = [Vᵀ; Wᵀ] (rows 0 … 2nb of P, `size` of each used) and Rᵀ = [Wᵀ; Vᵀ] (rows nb … 3nb).
    if (size === nb) ws.gemm(true, false, h, n - i0, 2 * nb, p + i0, n, p + nb * n + i0, n, a + i0 * n + i0, n, "subtract");
    else {
      ws.gemm(true, false, h, n - i0, size, p + i0, n, p + nb * n + i0, n, a + i0 * n + i0, n, "subtract");
      ws.gemm(true, false, h, n - i0, size, p + nb * n + i0, n, p + 2 * nb * n + i0, n, a + i0 * n + i0, n, "subtract");
    }
  }
}

/**
 * Householder reflector for x = data[p … p+len−1] (dlarfg): H = I − τ·v·vᵀ with H·x = β·e₁.
 * Overwrites x with β followed by v's tail (v₀ = 1 implied); returns τ (0 when H = I).
 */
function householder(x: Float64Array, p: number, len: number): number {
  const alpha = x[p];
  let scale = 0;
  for (let s = 1; s < len; s++) scale = Math.max(scale, Math.abs(x[p + s]));
  let xnorm = 0;
  if (scale > 0) {
    let sum = 0;
    for (let s = 1; s < len; s++) {
      const t = x[p + s] / scale;
      sum += t * t;
    }
    xnorm = scale * Math.sqrt(sum);
  }
  // Below SAFE_MIN the reflector would overflow (1/(α − β)); such a tail is zero to working
  // precision (the caller scales A to max|aᵢⱼ| = 1), so H = I.
  if (xnorm < SAFE_MIN) return 0;
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const inv = 1 / (alpha - beta);
  for (let s = 1; s < len; s++) x[p + s] *= inv;
  x[p] = beta;
  return (beta - alpha) / beta;
}

/** Elements {@link applyQTransposedRight} needs for n×n reflectors and p rows: two blocks of max(p, n)×g, two g×g and a column. */
export function backTransformScratch(n: number, p: number, groupSize: number): number {
  return 2 * Math.max(p, n) * groupSize + 2 * groupSize * groupSize + groupSize;
}

/**
 * Xᵀ ← Zᵀ·Qᵀ in place for the p×n row-major Zᵀ at `zt` (rows n apart: each row an eigenvector
 * of T, so that X = Q·Z holds A's eigenvectors as its rows' transposes), with Q's reflectors as
 * {@link tridiagonalizeInWorkspace} left them at `a`. Reflectors are applied `groupSize` at a
 * time as I − V·T·Vᵀ (dlarft's T, upper triangular), last group first:
 * Zᵀ[:, s+1:] −= (Zᵀ[:, s+1:]·(V·Tᵀ))·Vᵀ.
 */
export function applyQTransposedRight(
  ws: F64Workspace, a: number, tau: Float64Array, n: number, zt: number, p: number, groupSize: number, scratch: number,
): void {
  const x = ws.data;
  const y1 = scratch; // V·Tᵀ, (n−1)×g at most
  const y2 = y1 + Math.max(p, n) * groupSize; // Zᵀ·V·Tᵀ, p×g
  const g = y2 + p * groupSize; // VᵀV, g×g
  const tt = g + groupSize * groupSize; // T, g×g
  const ty = tt + groupSize * groupSize; // one column of T, g
  const reflectors = n - 1;
  const last = Math.floor((reflectors - 1) / groupSize) * groupSize;
  for (let start = last; start >= 0; start -= groupSize) {
    const size = Math.min(groupSize, reflectors - start);
    const m = n - start - 1; // rows start+1 … n−1
    const v = a + start * n + start + 1; // Vᵀ: size×m, rows n apart
    // T (dlarft): T[j][j] = τⱼ, T[0:j, j] = −τⱼ·T[0:j, 0:j]·(V[:, 0:j]ᵀ vⱼ), the last factor row j of
    // G = VᵀV; T's lower triangle is zero, so the product may run over the full j×j block.
    ws.gemm(false, true, size, size, m, v, n, v, n, g, size);
    for (let j = 0; j < size; j++) {
      const tj = tau[start + j];
      x.fill(0, ty, ty + j);
      ws.gemv(false, j, j, -tj, tt, size, g + j * size, ty);
      for (let q = 0; q < j; q++) x[tt + q * size + j] = x[ty + q];
      x[tt + j * size + j] = tj;
      for (let q = j + 1; q < size; q++) x[tt + q * size + j] = 0;
    }
    // M = V·Tᵀ (m×size) first, then Zᵀ[:, s+1:] −= (Zᵀ[:, s+1:]·M)·Vᵀ: T costs m·size² instead of p·size².
    const zs = zt + start + 1;
    ws.gemm(true, true, m, size, size, v, n, tt, size, y1, size);
    ws.gemm(false, false, p, size, m, zs, n, y1, size, y2, size);
    ws.gemm(false, false, p, m, size, y2, size, v, n, zs, n, "subtract");
  }
}
