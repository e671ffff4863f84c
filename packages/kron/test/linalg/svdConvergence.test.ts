import { describe, expect, it } from "vitest";
import { ConvergenceError } from "../../src/linalg/convergence.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { identity, matmul, transpose, zeros, type Matrix } from "../../src/linalg/matrix.js";
import { svd } from "../../src/linalg/svd.js";
import { createRandom } from "../../src/random.js";
import { expectArrayClose, expectClose } from "../helpers.js";

/**
 * The 256×16 rearrangement (as nearestKroneckerProduct builds it for [16, 16] ⊗ [4, 4]) of a
 * row-normalized 64×64 band |i − j| ≤ 32 with weights 1 + 0.1·U[0, 1) drawn from seed 2: its
 * Jacobi rotations keep |γ| just above ε·√(αβ), where rounding in γ's 256 terms leaves them.
 */
function windowRearrangement(seed: number): Matrix {
  const n = 64;
  const random = createRandom(seed);
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) if (Math.abs(i - j) <= 32) sum += a.data[i * n + j] = 1 + 0.1 * random.uniform();
    for (let j = 0; j < n; j++) a.data[i * n + j] /= sum;
  }
  const r = zeros(256, 16);
  for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) {
    for (let k = 0; k < 4; k++) for (let l = 0; l < 4; l++) r.data[(i * 16 + j) * 16 + k * 4 + l] = a.data[(i * 4 + k) * n + j * 4 + l];
  }
  return r;
}

describe("svd convergence", () => {
  it("accepts a matrix whose rotations stall at ε but are within √m·ε, and the result is an SVD", () => {
    const a = windowRearrangement(2);
    const { u, singularValues, v } = svd(a);
    const s = zeros(16, 16);
    for (let i = 0; i < 16; i++) s.data[i * 16 + i] = singularValues[i];
    expectClose(matmul(matmul(u, s), transpose(v)), a, 1e-14);
    expectClose(matmul(transpose(u), u), identity(16), 1e-12);
    expectClose(matmul(transpose(v), v), identity(16), 1e-12);
    const squares = Array.from(singularValues, (x) => x * x).reverse();
    expectArrayClose(squares, eigvalsh(matmul(transpose(a), a)), 1e-12);
  });

  it("still refuses a matrix that is far from converged when the sweeps run out", () => {
    const a = windowRearrangement(2);
    expect(() => svd(a, 1)).toThrow(ConvergenceError);
  });
});
