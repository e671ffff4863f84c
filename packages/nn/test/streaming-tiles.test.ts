import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "@fcn/tensor";
import { streamingKroneckerAttention2d } from "../src/models/streaming.js";
import { KroneckerTile } from "../src/models/streamingTiles.js";

/** Entry (i, j) of A₁ ⊗ … ⊗ A_k from the base-m digits of i and j. */
function kronEntry(factors: readonly Float64Array[], m: number, i: number, j: number): number {
  let v = 1;
  for (let l = factors.length - 1; l >= 0; l--) {
    v *= factors[l][(i % m) * m + (j % m)];
    i = Math.floor(i / m);
    j = Math.floor(j / m);
  }
  return v;
}

const planArbitrary = fc.record({ m: fc.integer({ min: 2, max: 3 }), k: fc.integer({ min: 1, max: 4 }) }).chain(({ m, k }) =>
  fc.record({
    m: fc.constant(m),
    k: fc.constant(k),
    rowDepth: fc.integer({ min: 0, max: k }),
    colDepth: fc.integer({ min: 0, max: k }),
    values: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: k * m * m, maxLength: k * m * m }),
  }));

describe("KroneckerTile", () => {
  it("every tile equals its block of A₁ ⊗ … ⊗ A_k, for every block and tile size", () => {
    fc.assert(fc.property(planArbitrary, ({ m, k, rowDepth, colDepth, values }) => {
      const factors = Array.from({ length: k }, (_, l) => Float64Array.from(values.slice(l * m * m, (l + 1) * m * m)));
      const blockRows = m ** rowDepth;
      const blockCols = m ** colDepth;
      const tile = new KroneckerTile({ m, k, blockRows, blockCols, rowPrefix: k - rowDepth, colPrefix: k - colDepth });
      const n = m ** k;
      for (let b = 0; b < n / blockRows; b++) {
        for (let c = 0; c < n / blockCols; c++) {
          const t = new Float64Array(blockRows * blockCols);
          tile.build(factors, b, c, t);
          expect(t.length).toBe(blockRows * blockCols);
          for (let i = 0; i < blockRows; i++) {
            for (let j = 0; j < blockCols; j++) {
              expect(t[i * blockCols + j]).toBeCloseTo(kronEntry(factors, m, b * blockRows + i, c * blockCols + j), 12);
            }
          }
        }
      }
    }), { numRuns: 150 });
  });

  it("accumulated factor gradients equal Σ ∂L ⊙ ∂L/∂A over every tile (against the entry formula)", () => {
    fc.assert(fc.property(planArbitrary, fc.integer({ min: 0, max: 1000 }), ({ m, k, rowDepth, colDepth, values }, seed) => {
      const factors = Array.from({ length: k }, (_, l) => Float64Array.from(values.slice(l * m * m, (l + 1) * m * m)));
      const blockRows = m ** rowDepth;
      const blockCols = m ** colDepth;
      const tile = new KroneckerTile({ m, k, blockRows, blockCols, rowPrefix: k - rowDepth, colPrefix: k - colDepth });
      const n = m ** k;
      const upstream = (i: number, j: number) => Math.sin(seed + 3 * i + 7 * j);
      const ours = factors.map(() => new Float64Array(m * m));
      for (let b = 0; b < n / blockRows; b++) {
        for (let c = 0; c < n / blockCols; c++) {
          tile.build(factors, b, c, new Float64Array(blockRows * blockCols));
          const d = new Float64Array(blockRows * blockCols);
          for (let i = 0; i < blockRows; i++) for (let j = 0; j < blockCols; j++) d[i * blockCols + j] = upstream(b * blockRows + i, c * blockCols + j);
          tile.accumulateGradients(d, ours);
        }
      }
      // ∂/∂A_ℓ[p, q] of Σ_{i,j} u(i,j) L[i,j]: the product of the other factors' entries where digit ℓ is (p, q).
      for (let l = 0; l < k; l++) {
        const expected = new Float64Array(m * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const p = Math.floor(i / m ** (k - 1 - l)) % m;
            const q = Math.floor(j / m ** (k - 1 - l)) % m;
            const saved = factors[l][p * m + q];
            factors[l][p * m + q] = 1;
            expected[p * m + q] += upstream(i, j) * kronEntry(factors, m, i, j);
            factors[l][p * m + q] = saved;
          }
        }
        for (let x = 0; x < m * m; x++) expect(ours[l][x]).toBeCloseTo(expected[x], 9);
      }
    }), { numRuns: 100 });
  });

  it("stays finite and exact where exp(L) overflows: logits up to ±5⁶ (row maxima from the factors)", () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 24, maxLength: 24 }), fc.integer({ min: 0, max: 3 }), (values, depth) => {
      const m = 2;
      const k = 6;
      const n = m ** k;
      const e = 3;
      const factors = Array.from({ length: k }, (_, l) => Float64Array.from(values.slice(l * 4, l * 4 + 4)));
      const v = Float64Array.from({ length: n * e }, (_, i) => Math.cos(i));
      const out = streamingKroneckerAttention2d(
        factors.map((f) => tensor(f, { shape: [m, m], dtype: "float64" })),
        tensor(v, { shape: [n, e], dtype: "float64" }),
        { blockRows: m ** depth, blockCols: m ** (k - depth) },
      ).dataSync();
      for (let i = 0; i < n; i++) {
        const logits = Array.from({ length: n }, (_, j) => kronEntry(factors, m, i, j));
        const top = Math.max(...logits);
        const w = logits.map((l) => Math.exp(l - top));
        const total = w.reduce((a, b) => a + b, 0);
        for (let x = 0; x < e; x++) {
          const expected = w.reduce((acc, wj, j) => acc + wj * v[j * e + x], 0) / total;
          expect(Number.isFinite(out[i * e + x])).toBe(true);
          expect(out[i * e + x]).toBeCloseTo(expected, 9);
        }
      }
    }), { numRuns: 40 });
  });
});
