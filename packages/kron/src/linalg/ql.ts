import { ConvergenceError } from "./convergence.js";

/**
 * Implicit QL with Wilkinson-type shifts on the symmetric tridiagonal T = tridiag(e, d, e),
 * e[i] = T[i, i+1] and e[n−1] = 0 (EISPACK tql2). On exit d holds the eigenvalues
 * (unsorted); with `wantVectors` the rows of w are rotated along (start from the identity to
 * get T's eigenvectors as rows, or from Qᵀ to get A's). Non-convergence within
 * `maxIterations` per eigenvalue raises a ConvergenceError.
 */
export function implicitQl(
  w: Float64Array, d: Float64Array, e: Float64Array, n: number, wantVectors: boolean, maxIterations: number,
): void {
  let f = 0;
  // Deflate off-diagonals below ε·‖T‖ (a norm-wise, backward-stable criterion).
  let tst1 = 0;
  for (let l = 0; l < n; l++) tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iteration = 0;
      do {
        if (++iteration > maxIterations) {
          throw new ConvergenceError(`eigh: implicit QL did not converge for eigenvalue ${l} of ${n} within ${maxIterations} iterations`);
        }
        // Shift from the leading 2×2 block (Wilkinson-type shift of EISPACK tql2).
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (wantVectors) {
            // Givens rotation of eigenvector rows i and i+1.
            const ri = i * n;
            const rj = ri + n;
            for (let k = 0; k < n; k++) {
              const hk = w[rj + k];
              w[rj + k] = s * w[ri + k] + c * hk;
              w[ri + k] = c * w[ri + k] - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
