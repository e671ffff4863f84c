import { describe, expect, it } from "vitest";
import { ArgumentError } from "@fcn/tensor";
import { ConvergenceError } from "../../src/linalg/convergence.js";
import { eigvalsh } from "../../src/linalg/eigh.js";
import { lanczos } from "../../src/linalg/lanczos.js";
import { matvec, zeros } from "../../src/linalg/matrix.js";
import { KronOperator } from "../../src/operator/kronOperator.js";
import { sierpinski } from "../../src/kron/initiator.js";
import { createRandom } from "../../src/random.js";

function randomSymmetric(n: number, seed: number) {
  const random = createRandom(seed);
  const a = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = random.normal();
  return a;
}

describe("lanczos", () => {
  it("finds the extreme eigenvalues of random symmetric matrices", () => {
    for (let seed = 0; seed < 5; seed++) {
      const a = randomSymmetric(80, seed);
      const exact = eigvalsh(a);
      const both = lanczos((x) => matvec(a, x), 80, { count: 2, which: "both", seed }).values;
      expect(both.length).toBe(4);
      [exact[0], exact[1], exact[78], exact[79]].forEach((v, i) => expect(both[i]).toBeCloseTo(v, 8));
    }
  });
  it("gives φ^k as the largest eigenvalue of a 2¹⁶-node Kronecker operator", () => {
    const op = new KronOperator(Array.from({ length: 16 }, () => sierpinski()));
    const { values } = lanczos((x) => op.apply(x), op.rows, { count: 1 });
    expect(values[0]).toBeCloseTo(((1 + Math.sqrt(5)) / 2) ** 16, 6);
  });
  it("raises ConvergenceError at the iteration bound and ArgumentError on bad input", () => {
    const a = randomSymmetric(200, 1);
    expect(() => lanczos((x) => matvec(a, x), 200, { count: 3, maxIterations: 5 })).toThrow(ConvergenceError);
    expect(() => lanczos((x) => matvec(a, x), 200, { count: 0 })).toThrow(ArgumentError);
    expect(() => lanczos(() => new Float64Array(3), 4)).toThrow(/returned length 3, expected 4/);
  });
});
