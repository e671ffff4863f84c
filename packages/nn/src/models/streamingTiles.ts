/**
 * The tiles of L = A₁ ⊗ … ⊗ A_k that streaming attention visits, on plain arrays.
 *
 * A tile of rows whose leading p digits are fixed and columns whose leading q digits are fixed
 * is itself a Kronecker product T₁ ⊗ … ⊗ T_k of slices of the factors (1×1, 1×m, m×1 or m×m).
 * It is built back to front, S_ℓ = T_ℓ ⊗ S_{ℓ+1}, so every innermost loop runs along a row of
 * the larger operand (m = 2 makes front-to-back loops two iterations long). The slices' shapes
 * depend only on the plan, so one set of buffers serves every tile.
 */
export type FloatArray = Float32Array | Float64Array;

/** How N = m^k tokens are cut into row blocks and column tiles. */
export interface TilePlan {
  m: number;
  k: number;
  blockRows: number;
  blockCols: number;
  /** Leading row digits fixed within a row block, and column digits within a column tile. */
  rowPrefix: number;
  colPrefix: number;
}

/** A slice T_ℓ of factor ℓ: `rows`×`cols` values taken at (r0, c0). */
interface Slice {
  data: Float64Array;
  rows: number;
  cols: number;
  r0: number;
  c0: number;
}

/**
 * One tile L = σ · Ŝ: σ the product of the 1×1 slices (the digits fixed in both the rows and
 * the columns) and Ŝ the Kronecker product of the others, built as suffix products
 * S_ℓ = T_ℓ ⊗ S_{ℓ+1} over those slices only, so no pass runs over a full tile per fixed digit.
 */
export class KroneckerTile {
  private readonly slices: Slice[];
  /** Levels whose slice is larger than 1×1, in order; the suffix products run over these. */
  private readonly free: number[];
  /** suffix[i] holds S_i over free[i…] (row-major); suffixRows/Cols its shape. */
  private readonly suffix: Float64Array[];
  private readonly suffixRows: number[];
  private readonly suffixCols: number[];
  /** σ times the first free slice, and scratch for the gradient pushed through the suffix chain. */
  private readonly scaledFirst: Float64Array;
  private readonly gradient: [Float64Array, Float64Array];
  private sigma = 1;
  /**
   * Suffix products from this index on use only whole factors (no digit fixed by the block or the
   * tile), so they are the same for every tile: built on the first call only.
   */
  private readonly constantFrom: number;
  private builtOnce = false;

  constructor(private readonly plan: TilePlan) {
    const { m, k, rowPrefix, colPrefix } = plan;
    this.slices = Array.from({ length: k }, (_, l) => {
      const rows = l < rowPrefix ? 1 : m;
      const cols = l < colPrefix ? 1 : m;
      return { data: new Float64Array(rows * cols), rows, cols, r0: 0, c0: 0 };
    });
    this.free = this.slices.flatMap((s, l) => (s.rows * s.cols > 1 ? [l] : []));
    const whole = this.free.findIndex((l) => l >= Math.max(rowPrefix, colPrefix));
    this.constantFrom = whole < 0 ? this.free.length : whole;
    const f = this.free.length;
    this.suffixRows = new Array<number>(f + 1).fill(1);
    this.suffixCols = new Array<number>(f + 1).fill(1);
    for (let i = f - 1; i >= 0; i--) {
      this.suffixRows[i] = this.slices[this.free[i]].rows * this.suffixRows[i + 1];
      this.suffixCols[i] = this.slices[this.free[i]].cols * this.suffixCols[i + 1];
    }
    // S₀ itself is written straight into the caller's tile; only S₁… are kept.
    this.suffix = this.suffixRows.map((r, i) => new Float64Array(i === 0 ? 0 : r * this.suffixCols[i]));
    this.suffix[f].fill(1);
    const size = this.suffixRows[0] * this.suffixCols[0];
    this.scaledFirst = new Float64Array(m * m);
    this.gradient = [new Float64Array(size), new Float64Array(size)];
  }

  /**
   * Writes the tile of row block b and column tile c (blockRows × blockCols, row-major) into
   * `out`, less `shift[i]` on row i when given (the softmax's row offset, fused into the last
   * product so the tile is written once).
   */
  build(factors: readonly FloatArray[], b: number, c: number, out: FloatArray, shift?: Float64Array): void {
    const { m, k, rowPrefix, colPrefix } = this.plan;
    this.sigma = 1;
    for (let l = 0; l < k; l++) {
      const s = this.slices[l];
      s.r0 = l < rowPrefix ? Math.floor(b / m ** (rowPrefix - 1 - l)) % m : 0;
      s.c0 = l < colPrefix ? Math.floor(c / m ** (colPrefix - 1 - l)) % m : 0;
      const f = factors[l];
      for (let i = 0; i < s.rows; i++) for (let j = 0; j < s.cols; j++) s.data[i * s.cols + j] = f[(s.r0 + i) * m + s.c0 + j];
      if (s.rows * s.cols === 1) this.sigma *= s.data[0];
    }
    if (this.free.length === 0) {
      out[0] = this.sigma - (shift ? shift[0] : 0);
      return;
    }
    // σ is folded into the first free slice (a copy: the slice keeps A's values for the gradient).
    const first = this.slices[this.free[0]];
    for (let x = 0; x < first.data.length; x++) this.scaledFirst[x] = this.sigma * first.data[x];
    for (let i = this.free.length - 1; i >= 1; i--) {
      if (this.builtOnce && i >= this.constantFrom) continue;
      const x = this.slices[this.free[i]];
      kronInto(x.data, x.rows, x.cols, this.suffix[i + 1], this.suffixRows[i + 1], this.suffixCols[i + 1], this.suffix[i], null);
    }
    kronInto(this.scaledFirst, first.rows, first.cols, this.suffix[1], this.suffixRows[1], this.suffixCols[1], out, shift ?? null);
    this.builtOnce = true;
  }

  /**
   * Adds ∂loss/∂A_ℓ into the m×m gradients `into` (at each slice's place), given ∂tile, by
   * pushing it down the suffix chain: for Z = X ⊗ Y, ∂X[a,c] = Σ_{i,j} ∂Z[(a,i),(c,j)] Y[i,j] and
   * ∂Y[i,j] = Σ_{a,c} ∂Z[(a,i),(c,j)] X[a,c]. The first free slice carries σ, so its gradient
   * also gives ∂σ = Σ ∂(σX)[a,c] X[a,c], shared out to the 1×1 slices.
   */
  accumulateGradients(dTile: Float64Array, into: readonly Float64Array[]): void {
    const { m, k } = this.plan;
    let dSigma = 0;
    if (this.free.length === 0) dSigma = dTile[0];
    let dz: Float64Array = dTile;
    for (let i = 0; i < this.free.length; i++) {
      const l = this.free[i];
      const x = this.slices[l];
      const xData = i === 0 ? this.scaledFirst : x.data;
      const y = this.suffix[i + 1];
      const r = this.suffixRows[i + 1];
      const s = this.suffixCols[i + 1];
      const width = x.cols * s;
      const dy = this.gradient[i % 2].subarray(0, r * s).fill(0);
      for (let a = 0; a < x.rows; a++) {
        for (let cc = 0; cc < x.cols; cc++) {
          const xv = xData[a * x.cols + cc];
          let dx = 0;
          for (let ii = 0; ii < r; ii++) {
            const zRow = (a * r + ii) * width + cc * s;
            const yRow = ii * s;
            for (let j = 0; j < s; j++) {
              const g = dz[zRow + j];
              dx += g * y[yRow + j];
              dy[yRow + j] += g * xv;
            }
          }
          const at = a * x.cols + cc;
          if (i === 0) {
            dSigma += dx * x.data[at];
            dx *= this.sigma;
          }
          into[l][(x.r0 + a) * m + x.c0 + cc] += dx;
        }
      }
      dz = dy;
    }
    for (let l = 0; l < k; l++) {
      const s = this.slices[l];
      if (s.rows * s.cols !== 1) continue;
      let others = 1;
      for (let o = 0; o < k; o++) if (o !== l && this.slices[o].rows * this.slices[o].cols === 1) others *= this.slices[o].data[0];
      into[l][s.r0 * m + s.c0] += dSigma * others;
    }
  }
}

/** out = X ⊗ Y for X p×q and Y r×s (row-major), less shift[row] on each row when given. */
function kronInto(x: Float64Array, p: number, q: number, y: Float64Array, r: number, s: number, out: FloatArray, shift: Float64Array | null): void {
  const width = q * s;
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < r; i++) {
      const rowOut = (a * r + i) * width;
      const yRow = i * s;
      const offset = shift ? shift[a * r + i] : 0;
      for (let cc = 0; cc < q; cc++) {
        const xv = x[a * q + cc];
        const o = rowOut + cc * s;
        for (let j = 0; j < s; j++) out[o + j] = xv * y[yRow + j] - offset;
      }
    }
  }
}
