import { describe, expect, it } from "vitest";
import { symvUpper } from "../../src/linalg/symv.js";

/** y = A·v from the full symmetric matrix, row by row. */
function naiveSymv(full: Float64Array, n: number, v: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += full[i * n + j] * v[j];
  return y;
}

describe("symvUpper", () => {
  it("matches the full product on odd and even sizes, reading only the upper triangle of an offset block", () => {
    for (const len of [1, 2, 3, 4, 5, 7, 8, 13, 33, 64, 101]) {
      const pad = 3; // the block starts at (pad, pad) of a larger array with a wider stride
      const ld = len + pad + 2;
      const a = new Float64Array((len + pad) * ld).fill(Number.NaN); // unread entries stay NaN
      const full = new Float64Array(len * len);
      for (let i = 0; i < len; i++) {
        for (let j = i; j < len; j++) {
          const x = Math.cos(3 * i + 7 * j + 1);
          full[i * len + j] = full[j * len + i] = x;
          a[(pad + i) * ld + pad + j] = x;
        }
      }
      const v = Float64Array.from({ length: len }, (_, i) => Math.sin(i + 0.5));
      const y = new Float64Array(len + 1).fill(99);
      symvUpper(a, pad * ld + pad, ld, len, v, y);
      const expected = naiveSymv(full, len, v);
      // Both sum the same len products in different orders: |error| ≤ len·ε·Σ|aᵢⱼ vⱼ| ≤ len²·ε here.
      for (let i = 0; i < len; i++) expect(Math.abs(y[i] - expected[i])).toBeLessThanOrEqual(len * len * 2 ** -52);
      expect(y[len]).toBe(99);
    }
  });
});
