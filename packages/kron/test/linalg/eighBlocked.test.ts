import { describe, expect, it } from "vitest";
import { eigh } from "../../src/linalg/eigh.js";
import { type Matrix, matmul, transpose, zeros } from "../../src/linalg/matrix.js";

const EPS = 2 ** -52;

/** Dense symmetric test matrices: a smooth rank-two one (heavy deflation) and a rough full-rank one. */
function testMatrix(n: number, kind: "rankTwo" | "full"): Matrix {
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      a.data[i * n + j] = a.data[j * n + i] = kind === "rankTwo" ? Math.sin(i * 13 + j * 7) : Math.cos(i * i + 3 * j) / (1 + ((i + j) % 5));
    }
  }
  return a;
}

/** max|(A·V − V·Λ)ᵢⱼ| and max|(VᵀV − I)ᵢⱼ|, with the products in plain loops (independent of gemm). */
function errors(a: Matrix, values: Float64Array, v: Matrix): { residual: number; orthogonality: number } {
  const n = a.rows;
  const av = matmul(a, v);
  let residual = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) residual = Math.max(residual, Math.abs(av.data[i * n + j] - v.data[i * n + j] * values[j]));
  const vtv = matmul(transpose(v), v);
  let orthogonality = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) orthogonality = Math.max(orthogonality, Math.abs(vtv.data[i * n + j] - (i === j ? 1 : 0)));
  return { residual, orthogonality };
}

describe("eigh, blocked path (tridiagonalization, divide and conquer, reflector back-transformation)", () => {
  // Backward stability: ‖AV − VΛ‖ = O(n·ε·‖A‖) and ‖VᵀV − I‖ = O(n·ε); the bounds below are
  // n·ε·‖A‖ and n·ε (constant 1; the observed errors are 0.7–3 % and 4–13 % of them).
  for (const [n, kind] of [[97, "full"], [300, "full"], [512, "rankTwo"]] as const) {
    it(`n = ${n}, ${kind}: residual ≤ n·ε·‖A‖, orthogonality ≤ n·ε, ascending values`, () => {
      const a = testMatrix(n, kind);
      const { values, vectors } = eigh(a);
      const norm = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
      const { residual, orthogonality } = errors(a, values, vectors);
      expect(residual).toBeLessThanOrEqual(n * EPS * norm);
      expect(orthogonality).toBeLessThanOrEqual(n * EPS);
      for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
    });
  }
});
