import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eighBlockedJs } from "../../src/linalg/eighBlockedJs.js";
import { eighInWorkspace, workspaceEighFits } from "../../src/linalg/eighWasm.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { type Matrix, zeros } from "../../src/linalg/matrix.js";

const EPS = 2 ** -52;

/** max|(A·V − V·Λ)ᵢⱼ| and max|(VᵀV − I)ᵢⱼ| for V given as columns, with plain loops. */
function errors(a: Matrix, values: Float64Array, v: Float64Array): { residual: number; orthogonality: number } {
  const n = a.rows;
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a.data[i * n + k] * v[k * n + j];
      residual = Math.max(residual, Math.abs(s - values[j] * v[i * n + j]));
    }
    for (let q = 0; q <= j; q++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[k * n + q] * v[k * n + j];
      orthogonality = Math.max(orthogonality, Math.abs(s - (q === j ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

/** A symmetric matrix from a seed: entries in [−1, 1], the lower triangle mirrored. */
function randomSymmetric(n: number, seed: number, scale = 1): Matrix {
  const a = zeros(n, n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a.data[i * n + j] = a.data[j * n + i] = (s / 2 ** 31 - 1) * scale;
    }
  }
  return a;
}

/** Checks the in-place path against n·ε bounds and the JS path's eigenvalues. */
function check(a: Matrix, blockSize: number, leafSize: number): void {
  const n = a.rows;
  const options = { blockSize, leafSize, maxIterations: 60 };
  const { values, columns } = eighInWorkspace(a, true, options);
  const reference = eighBlockedJs(a, false, options).values;
  let norm = 0;
  for (const v of reference) norm = Math.max(norm, Math.abs(v));
  const { residual, orthogonality } = errors(a, values, columns);
  const tag = `n=${n} nb=${blockSize} leaf=${leafSize}`;
  expect(residual, tag).toBeLessThanOrEqual(4 * n * EPS * norm + Number.MIN_VALUE);
  expect(orthogonality, tag).toBeLessThanOrEqual(4 * n * EPS);
  for (let i = 0; i < n; i++) {
    expect(Math.abs(values[i] - reference[i]), `${tag} λ${i}`).toBeLessThanOrEqual(4 * n * EPS * norm + Number.MIN_VALUE);
    if (i > 0) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  }
  // Eigenvalues alone take the same reduction.
  const alone = eighInWorkspace(a, false, options).values;
  for (let i = 0; i < n; i++) expect(Math.abs(alone[i] - values[i]), `${tag} eigvalsh λ${i}`).toBeLessThanOrEqual(4 * n * EPS * norm + Number.MIN_VALUE);
}

describe("eigh in wasm memory (in-place symv, rank-2k, divide and conquer, back-transformation)", () => {
  it("random symmetric matrices: residual and orthogonality O(n·ε), eigenvalues as the JS path", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 24 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (n, blockSize, leafSize, seed) => check(randomSymmetric(n, seed), blockSize, leafSize),
      ),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it("panels that do not divide n, groups of reflectors across panels, several merge levels", () => {
    check(randomSymmetric(263, 5), 32, 32); // last panel of 7 columns, 3 back-transformation groups
    check(randomSymmetric(150, 6), 40, 8);
  });

  it("degenerate spectra: deflation keeps an orthonormal basis", () => {
    const n = 120;
    const ones = zeros(n, n);
    ones.data.fill(1); // rank one: n − 1 zero eigenvalues, reflector tails that vanish
    check(ones, 32, 16);
    const blocks = zeros(n, n); // three eigenvalues, each of multiplicity 40
    for (let i = 0; i < n; i++) blocks.data[i * n + i] = [1, 2, 3][i % 3];
    check(blocks, 16, 8);
    const path = zeros(n, n); // path graph Laplacian: distinct, clustered eigenvalues
    for (let i = 0; i < n; i++) {
      path.data[i * n + i] = i === 0 || i === n - 1 ? 1 : 2;
      if (i > 0) path.data[i * n + i - 1] = path.data[(i - 1) * n + i] = -1;
    }
    check(path, 32, 32);
    check(zeros(100, 100), 32, 32);
  });

  it("scales tiny and huge matrices without under- or overflow", () => {
    check(randomSymmetric(100, 9, 1e-300), 32, 16);
    check(randomSymmetric(100, 9, 1e300), 32, 16);
  });

  it("eigvalsh takes the in-place path and agrees with the QL path", () => {
    const a = randomSymmetric(130, 3);
    expect(workspaceEighFits(130, true, 32)).toBe(true);
    const fast = eigvalsh(a);
    const ql = eigvalsh(a, { method: "ql" });
    for (let i = 0; i < 130; i++) expect(Math.abs(fast[i] - ql[i])).toBeLessThanOrEqual(130 * EPS * 10);
  });
});
