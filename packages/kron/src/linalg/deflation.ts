/**
 * The deflation step of a divide-and-conquer merge (LAPACK's dlaed2), shared by the JavaScript and
 * the WebAssembly-memory merges: poles whose weight ρ|zⱼ| is negligible drop out, and of two close
 * poles a Givens rotation zeroes one weight. The rotation of the eigenvector rows is the caller's
 * (its rows live in a JS array or in wasm memory).
 */

const EPS = 2 ** -52;

/** Rows that a merge keeps with both halves' support (a rotation mixed a top row with a bottom one). */
export const DENSE = 3;

/**
 * Deflates in place: rotates z and λ of close pairs (and, through `rotateRows`, their eigenvector
 * rows; `kind` becomes DENSE where a rotation mixes a top row with a bottom one). `order` lists the
 * poles by ascending λ. Returns the kept poles (ascending) and the deflated ones.
 */
export function deflate(
  lambda: Float64Array,
  z: Float64Array,
  rho: number,
  order: ArrayLike<number>,
  kind: Uint8Array,
  rotateRows: (prev: number, j: number, c: number, s: number) => void,
): { kept: number[]; deflated: number[] } {
  const n = lambda.length;
  let dmax = 0;
  let zmax = 0;
  for (let i = 0; i < n; i++) {
    dmax = Math.max(dmax, Math.abs(lambda[i]));
    zmax = Math.max(zmax, Math.abs(z[i]));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const kept: number[] = [];
  const deflated: number[] = [];
  let prev = -1;
  for (let t = 0; t < n; t++) {
    const j = order[t];
    if (rho * Math.abs(z[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (prev < 0) {
      prev = j;
      continue;
    }
    let s = z[prev];
    let c = z[j];
    const tau = Math.hypot(c, s);
    const gap = lambda[j] - lambda[prev];
    c /= tau;
    s = -s / tau;
    if (Math.abs(gap * c * s) <= tol) {
      // z[prev] → 0, z[j] → τ, and the same rotation of rows prev and j and of their poles.
      z[j] = tau;
      z[prev] = 0;
      rotateRows(prev, j, c, s);
      if (kind[prev] !== kind[j]) kind[prev] = kind[j] = DENSE;
      const lp = lambda[prev] * c * c + lambda[j] * s * s;
      lambda[j] = lambda[prev] * s * s + lambda[j] * c * c;
      lambda[prev] = lp;
      deflated.push(prev);
      prev = j;
    } else {
      kept.push(prev);
      prev = j;
    }
  }
  if (prev >= 0) kept.push(prev);
  return { kept, deflated };
}
