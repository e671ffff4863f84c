import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "../../../../src/errors";
import { gemmF64, setGemmThreads } from "../../../../src/backend/cpu/gemm/index";
import { THREAD_FLOPS } from "../../../../src/backend/cpu/gemm/policy";
import { type F64Workspace, type GemmUpdate, f64WorkspaceFits, withF64Workspace } from "../../../../src/backend/cpu/gemm/workspace";
import { fillRandom } from "./reference.test-util";

const EPS = 2 ** -52;
const UPDATES: GemmUpdate[] = ["set", "add", "subtract"];

afterAll(() => setGemmThreads(2));

/** C (m×n at c, ldc) =/+=/−= op(A)·op(B) in the workspace, checked against a float64 loop with a rounding bound; C's gaps untouched. */
function checkGemm(ws: F64Workspace, ta: boolean, tb: boolean, m: number, n: number, k: number, pad: number, update: GemmUpdate): void {
  const x = ws.data;
  const lda = (ta ? m : k) + pad;
  const ldb = (tb ? k : n) + pad;
  const ldc = n + pad;
  const a = 3;
  const b = a + (ta ? k : m) * lda + 1;
  const c = b + (tb ? n : k) * ldb + 2;
  fillRandom(x.subarray(0, c + m * ldc + 1), m * 131 + n * 17 + k);
  const before = x.slice(c, c + m * ldc);
  ws.gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, update);
  let bad = "";
  for (let i = 0; i < m && bad === ""; i++) {
    for (let j = 0; j < ldc; j++) {
      const got = x[c + i * ldc + j];
      const old = before[i * ldc + j];
      if (j >= n) {
        if (!Object.is(got, old)) bad = `gap (${i}, ${j}) written`;
        continue;
      }
      let s = 0;
      let mag = Math.abs(old);
      for (let p = 0; p < k; p++) {
        const t = x[a + (ta ? p * lda + i : i * lda + p)] * x[b + (tb ? j * ldb + p : p * ldb + j)];
        s += t;
        mag += Math.abs(t);
      }
      const want = update === "set" ? s : update === "add" ? old + s : old - s;
      if (!(Math.abs(got - want) <= 2 * (k + 2) * EPS * mag + 1e-300)) bad = `(${i}, ${j}): ${got} vs ${want}`;
    }
  }
  expect(bad, `${update} ta=${ta} tb=${tb} m=${m} n=${n} k=${k}`).toBe("");
}

describe("withF64Workspace", () => {
  it("gemm on sub-matrices with every update mode matches a float64 loop", () => {
    withF64Workspace(60_000, (ws) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }),
          fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.constantFrom(...UPDATES),
          (m, n, k, ta, tb, pad, update) => checkGemm(ws, ta, tb, m, n, k, pad, update),
        ),
        { numRuns: 150, seed: 20261206 },
      );
    });
  });

  it("gemm crosses the kernel's cache blocks and splits across threads", () => {
    withF64Workspace(700_000, (ws) => {
      setGemmThreads(1);
      for (const update of UPDATES) checkGemm(ws, true, false, 70, 530, 260, 3, update);
      setGemmThreads(2);
      expect(170 * 160 * 160).toBeGreaterThanOrEqual(THREAD_FLOPS);
      for (const update of UPDATES) for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) checkGemm(ws, ta, tb, 170, 160, 160, 5, update);
    });
  });

  it("gemm with k = 0 sets C to zero, or leaves it for add and subtract", () => {
    withF64Workspace(64, (ws) => {
      ws.data.fill(7);
      ws.gemm(false, false, 2, 3, 0, 0, 1, 0, 1, 10, 4, "add");
      expect(ws.data[10]).toBe(7);
      ws.gemm(false, false, 2, 3, 0, 0, 1, 0, 1, 10, 4);
      expect(Array.from(ws.data.subarray(10, 18))).toEqual([0, 0, 0, 7, 0, 0, 0, 7]);
    });
  });

  it("symvUpper reads only the upper triangle and equals the full product", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 4 }), (len, pad) => {
        const ld = len + pad;
        withF64Workspace(len * ld + 2 * len + 8, (ws) => {
          const x = ws.data;
          const a = 1;
          const v = a + len * ld;
          const y = v + len;
          fillRandom(x.subarray(0, y), len * 7 + pad);
          // Poison the strict lower triangle: it must not be read.
          for (let i = 0; i < len; i++) for (let j = 0; j < i; j++) x[a + i * ld + j] = Number.NaN;
          ws.symvUpper(a, ld, len, v, y);
          for (let i = 0; i < len; i++) {
            let s = 0;
            let mag = 0;
            for (let j = 0; j < len; j++) {
              const t = x[a + Math.min(i, j) * ld + Math.max(i, j)] * x[v + j];
              s += t;
              mag += Math.abs(t);
            }
            expect(Math.abs(x[y + i] - s)).toBeLessThanOrEqual(2 * len * EPS * mag);
          }
        });
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it("gemv adds alpha·A·x and alpha·Aᵀ·x", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), fc.double({ min: -2, max: 2, noNaN: true }),
        (m, n, transposed, alpha) => {
          const lda = n + 2;
          withF64Workspace(m * lda + 2 * (m + n), (ws) => {
            const x = ws.data;
            const v = m * lda;
            const y = v + (transposed ? m : n);
            fillRandom(x, m * 13 + n);
            const y0 = x.slice(y, y + (transposed ? n : m));
            ws.gemv(transposed, m, n, alpha, 0, lda, v, y);
            for (let r = 0; r < y0.length; r++) {
              let s = 0;
              let mag = Math.abs(y0[r]);
              const len = transposed ? m : n;
              for (let q = 0; q < len; q++) {
                const t = alpha * (transposed ? x[q * lda + r] : x[r * lda + q]) * x[v + q];
                s += t;
                mag += Math.abs(t);
              }
              expect(Math.abs(x[y + r] - (y0[r] + s))).toBeLessThanOrEqual(2 * (len + 2) * EPS * mag + 1e-300);
            }
          });
        },
      ),
      { numRuns: 80, seed: 11 },
    );
  });

  it("secularRoot and secularVectors solve D + ρwwᵀ: roots interlace, eigenpairs and orthonormal rows to O(k·ε)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0.01, max: 10, noNaN: true }),
        (k, seed, rho) => {
          withF64Workspace(2 * k * k + 6 * k, (ws) => {
            const x = ws.data;
            const [poles, w, pos, work, delta, u] = [0, k, 2 * k, 3 * k, 4 * k, 4 * k + k * k];
            fillRandom(x.subarray(0, 2 * k), seed);
            // Distinct ascending poles, weights bounded away from zero, ‖w‖ = 1.
            for (let j = 0; j < k; j++) x[poles + j] = j + 0.5 * x[poles + j];
            let wsq = 0;
            for (let j = 0; j < k; j++) {
              x[w + j] = (x[w + j] < 0 ? -1 : 1) * (0.2 + Math.abs(x[w + j]));
              wsq += x[w + j] ** 2;
            }
            for (let j = 0; j < k; j++) x[w + j] /= Math.sqrt(wsq);
            const roots = Array.from({ length: k }, (_, i) => ws.secularRoot(poles, w, k, rho, 1, i, delta + i * k));
            for (let i = 0; i < k; i++) {
              expect(roots[i]).toBeGreaterThan(x[poles + i]);
              expect(roots[i]).toBeLessThan(i + 1 < k ? x[poles + i + 1] : x[poles + k - 1] + rho + 1e-12);
              for (let j = 0; j < k; j++) expect(Math.abs(x[delta + i * k + j] - (x[poles + j] - roots[i]))).toBeLessThanOrEqual(8 * EPS * (k + rho));
            }
            // A permutation of the columns: reversed.
            for (let j = 0; j < k; j++) x[pos + j] = k - 1 - j;
            ws.secularVectors(delta, poles, w, k, pos, u, work);
            let worst = 0;
            for (let i = 0; i < k; i++) {
              const ui = (j: number) => x[u + i * k + (k - 1 - j)];
              for (let r = 0; r < k; r++) {
                // ((D + ρwwᵀ) − λᵢ)·uᵢ, row r
                let wu = 0;
                for (let j = 0; j < k; j++) wu += x[w + j] * ui(j);
                worst = Math.max(worst, Math.abs((x[poles + r] - roots[i]) * ui(r) + rho * x[w + r] * wu));
              }
              for (let q = 0; q <= i; q++) {
                let dot = 0;
                for (let j = 0; j < k; j++) dot += x[u + i * k + j] * x[u + q * k + j];
                expect(Math.abs(dot - (i === q ? 1 : 0))).toBeLessThanOrEqual(8 * k * EPS);
              }
            }
            expect(worst).toBeLessThanOrEqual(64 * k * EPS * (k + rho));
            x[pos] = x[pos + 1];
            if (k > 1) expect(() => ws.secularVectors(delta, poles, w, k, pos, u, work)).toThrow(ArgumentError);
          });
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it("stays in place while other products run, nests, and is released afterwards", () => {
    let kept: F64Workspace | undefined;
    withF64Workspace(1000, (outer) => {
      kept = outer;
      outer.data.fill(3);
      withF64Workspace(500, (inner) => {
        inner.data.fill(4);
        // An ordinary product (copied through wasm memory above the workspaces) leaves both intact.
        const c = new Float64Array(300 * 300);
        gemmF64(new Float64Array(300 * 300).fill(1), new Float64Array(300 * 300).fill(1), c, 300, 300, 300, false, false);
        expect(c[0]).toBe(300);
        expect(inner.data.every((v) => v === 4)).toBe(true);
      });
      expect(outer.data.every((v) => v === 3)).toBe(true);
    });
    expect(() => kept!.symvUpper(0, 1, 1, 0, 0)).toThrow(ArgumentError);
    // Released: a new workspace at the same place starts zero-filled, or as left with zero: false.
    withF64Workspace(1000, (ws) => expect(ws.data.every((v) => v === 3)).toBe(true), { zero: false });
    withF64Workspace(1000, (ws) => expect(ws.data.every((v) => v === 0)).toBe(true));
  });

  it("rejects operands outside the workspace and bad sizes", () => {
    withF64Workspace(100, (ws) => {
      expect(() => ws.gemm(false, false, 5, 5, 5, 0, 5, 25, 5, 80, 5)).toThrow(ShapeError);
      expect(() => ws.gemm(false, false, 5, 5, 5, 0, 4, 25, 5, 50, 5)).toThrow(ShapeError); // lda < k
      expect(() => ws.symvUpper(0, 10, 11, 0, 0)).toThrow(ShapeError);
      expect(() => ws.gemv(true, 3, 3, 1, -1, 3, 0, 0)).toThrow(ShapeError);
      expect(() => ws.gemm(false, false, -1, 5, 5, 0, 5, 0, 5, 0, 5)).toThrow(ArgumentError);
      expect(() => ws.gemm(false, false, 1, 1, 1, 0, 1, 0, 1, 0, 1, "mul" as GemmUpdate)).toThrow(ArgumentError);
    });
    expect(() => withF64Workspace(-1, () => 0)).toThrow(ArgumentError);
    expect(f64WorkspaceFits(1e6)).toBe(true);
    expect(f64WorkspaceFits(2 ** 31)).toBe(false);
    expect(() => withF64Workspace(2 ** 31, () => 0)).toThrow(ArgumentError);
  });
});
