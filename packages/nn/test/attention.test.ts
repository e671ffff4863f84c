import { Generator, type Tensor, kron, matmul, memory, randint, randn, softmax, tensor, tidy } from "@fcn/tensor";
import { checkGrads } from "@fcn/tensor/testing";
import { describe, expect, it } from "vitest";
import {
  Adam, DenseAttention, FractalAttention, LocalWindowAttention, SparseRandomAttention, Transformer, applyFactorwise, evaluate, fit,
  streamingKroneckerAttention, withParameters,
} from "../src/index.js";
import { checkModuleGrads, randomInput } from "./helpers.js";

function f64Factors(count: number, m: number, seed: number) {
  const gen = new Generator(seed);
  return Array.from({ length: count }, () => randn([m, m], gen, { dtype: "float64" }));
}

describe("FractalAttention (000 eq. 8–9)", () => {
  it("streaming equals materialized to 1e-10 (f64, random factors, several block sizes)", () => {
    // [m, k, blockRows, blockCols]: several column tiles per row exercise the online softmax.
    for (const [m, k, blockRows, blockCols] of [[2, 6, 4, 64], [2, 6, 1, 1], [2, 6, 8, 4], [4, 3, 16, 4], [3, 3, 3, 9], [3, 3, 27, 1]] as const) {
      const n = m ** k;
      const layer = new FractalAttention({ tokens: n, model: 3, factorSize: m, blockRows, blockCols });
      const v = randomInput([2, n, 3], 7);
      // Scale 3 spreads the logits (products of k normals) so the running max really moves.
      const factors = f64Factors(k, m, n + blockRows + blockCols).map((f) => f.mul(3));
      const params = layer.namedParameters().map(([name, p]) => (name.startsWith("factors.") ? factors[Number(name.split(".")[1])] : p.value));
      const mixed = (path: "materialized" | "streaming") => withParameters(layer, params, () => {
        layer.path = path;
        return layer.mix(v).dataSync();
      });
      const a = mixed("materialized");
      const b = mixed("streaming");
      let worst = 0;
      a.forEach((x, i) => { worst = Math.max(worst, Math.abs(x - b[i])); });
      expect(worst).toBeLessThan(1e-10);
    }
  });

  // Direct function of the factors and the values, materialized vs streaming.
  const materialized = (factors: Tensor[], v: Tensor) => matmul(softmax(factors.reduce((a, b) => kron(a, b)), -1), v);

  it("streaming gradients w.r.t. every factor and the values pass checkGrads and equal the materialized ones", () => {
    for (const [m, k, blockRows, blockCols] of [[2, 3, 2, 2], [2, 3, 1, 4], [3, 2, 3, 1], [2, 4, 4, 2]] as const) {
      const n = m ** k;
      const factors = f64Factors(k, m, 40 + n + blockCols).map((f) => f.mul(1.5));
      const v = randomInput([2, n, 3], 9);
      const streaming = (vals: Tensor, ...fs: Tensor[]) => streamingKroneckerAttention(fs, vals, { blockRows, blockCols });
      const check = checkGrads(streaming, [v, ...factors], { atol: 1e-7, rtol: 1e-5 });
      expect(check.ok, JSON.stringify(check.worst)).toBe(true);
      // Same analytic gradients as autograd through the materialized path, to 1e-10.
      const grads = (f: (vals: Tensor, ...fs: Tensor[]) => Tensor) => {
        const leaves = [v, ...factors].map((t) => t.detach().requireGrad());
        const w = randomInput([2, n, 3], 10);
        f(leaves[0], ...leaves.slice(1)).mul(w).sum().backward();
        return leaves.map((t) => Array.from(t.grad!.dataSync()));
      };
      const a = grads((vals, ...fs) => materialized(fs, vals));
      const b = grads(streaming);
      a.forEach((g, i) => g.forEach((x, j) => expect(Math.abs(x - b[i][j])).toBeLessThan(1e-10)));
    }
  });

  it("a wrong factor gradient is caught (the check can fail)", () => {
    const factors = f64Factors(3, 2, 5);
    const v = randomInput([8, 2], 6);
    // Streaming with the factors' gradient path cut: their gradient becomes zero.
    const cut = (vals: Tensor, ...fs: Tensor[]) => streamingKroneckerAttention(fs.map((f) => f.detach()), vals, { blockRows: 2, blockCols: 2 });
    expect(checkGrads(cut, [v, ...factors]).ok).toBe(false);
  });

  it("training memory is O(N): bytes live between forward and backward grow linearly in N", () => {
    // Live bytes held from the end of the forward pass to the backward pass, D = 4, batch 2.
    const heldBytes = (n: number, path: "streaming" | "materialized") => {
      const layer = new FractalAttention({ tokens: n, model: 4, path, seed: 1, blockRows: 16, blockCols: 16 });
      const v = randomInput([2, n, 4], 1).requireGrad();
      return tidy(() => {
        const before = memory().bytes.cpu!;
        const out = layer.mix(v).sum();
        const held = memory().bytes.cpu! - before;
        out.backward();
        const gradNorm = layer.factors[0].value.grad!.abs().sum().item();
        expect(gradNorm).toBeGreaterThan(0);
        layer.factors.forEach((f) => (f.value.grad = null));
        v.grad = null;
        return held;
      });
    };
    const small = heldBytes(64, "streaming");
    const large = heldBytes(512, "streaming");
    // 8× the tokens: linear growth is 8×; quadratic would be 64×. Bound: 12×.
    expect(large / small).toBeLessThan(12);
    // And far below a single N×N float64 array at N = 512 (2 MiB).
    expect(large).toBeLessThan((512 * 512 * 8) / 8);
    // The materialized path keeps N×N tensors on the tape: the same measure grows quadratically.
    expect(heldBytes(512, "materialized") / heldBytes(64, "materialized")).toBeGreaterThan(30);
  });

  it("materialized A is the row softmax of A₁ ⊗ … ⊗ A_k, rows sum to 1, entries factor per eq. 9", () => {
    const layer = new FractalAttention({ tokens: 8, model: 2 });
    const [a, b, c] = layer.factors.map((f) => f.value);
    const expected = softmax(kron(kron(a, b), c), -1).dataSync();
    const got = layer.attention().dataSync();
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
    for (let r = 0; r < 8; r++) expect(Array.from(got.slice(r * 8, r * 8 + 8)).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 6);
  });

  it("factored path equals (softmax A₁ ⊗ … ⊗ softmax A_k) V, which is row-stochastic but not eq. 8", () => {
    const factors = f64Factors(3, 2, 1);
    const v = randomInput([2, 8, 3], 2);
    const s = factors.map((f) => softmax(f, -1));
    const dense = kron(kron(s[0], s[1]), s[2]);
    const direct = matmul(dense, v).dataSync();
    applyFactorwise(s, v).dataSync().forEach((x, i) => expect(x).toBeCloseTo(direct[i], 12));
    const eq8 = softmax(kron(kron(factors[0], factors[1]), factors[2]), -1).dataSync();
    const rows = dense.dataSync();
    for (let r = 0; r < 8; r++) expect(Array.from(rows.slice(r * 8, r * 8 + 8)).reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
    expect(Math.max(...Array.from(rows, (x, i) => Math.abs(x - eq8[i])))).toBeGreaterThan(1e-3);
  });

  it("counts k·m² + 2(D² + D) params and rejects N that is not a power of m", () => {
    expect(new FractalAttention({ tokens: 64, model: 8, factorSize: 4 }).rawParams).toBe(3 * 16 + 2 * 72);
    expect(() => new FractalAttention({ tokens: 48, model: 8, factorSize: 4 })).toThrow(/tokens must be a power of the initiator size 4/);
    expect(() => new FractalAttention({ tokens: 16, model: 8, blockRows: 3 })).toThrow(/blockRows/);
    expect(() => new FractalAttention({ tokens: 16, model: 8, blockCols: 32 })).toThrow(/blockCols/);
  });

  it("passes checkGrads on all three paths", () => {
    const x = randomInput([2, 8, 2], 3);
    for (const path of ["materialized", "streaming", "factored"] as const) {
      const layer = new FractalAttention({ tokens: 8, model: 2, path, blockRows: 2, blockCols: 2 });
      expect(checkModuleGrads(layer, x).ok).toBe(true);
    }
  });
});

describe("dense, sparse-random and local-window attention", () => {
  it("DenseAttention equals softmax(QKᵀ/√d)V by hand; multi-head runs; masks block what they should", () => {
    const layer = new DenseAttention({ tokens: 4, model: 4, seed: 1 });
    const x = randomInput([1, 4, 4], 4);
    const q = layer.query.forward(x);
    const k = layer.key.forward(x);
    const v = layer.value.forward(x);
    const expected = layer.output.forward(matmul(softmax(matmul(q, k, { transposeB: true }).div(2), -1), v)).dataSync();
    layer.forward(x).dataSync().forEach((a, i) => expect(a).toBeCloseTo(expected[i], 10));
    expect(new DenseAttention({ tokens: 4, model: 4, heads: 2 }).forward(x).shape).toEqual([1, 4, 4]);
    const local = new LocalWindowAttention({ tokens: 8, model: 2, window: 1, seed: 2 });
    const before = local.forward(randomInput([1, 8, 2], 5)).dataSync();
    const changed = randomInput([1, 8, 2], 5).dataSync().slice();
    changed[14] += 5; // token 7 changes: tokens 0..5 cannot see it
    const after = local.forward(tensor(changed, { shape: [1, 8, 2] })).dataSync();
    for (let i = 0; i < 12; i++) expect(after[i]).toBeCloseTo(before[i], 10);
    expect(after[13]).not.toBeCloseTo(before[13], 6);
  });

  it("pass checkGrads", () => {
    const x = randomInput([2, 4, 4], 6);
    for (const layer of [
      new DenseAttention({ tokens: 4, model: 4, heads: 2 }),
      new SparseRandomAttention({ tokens: 4, model: 4, density: 0.5 }),
      new LocalWindowAttention({ tokens: 4, model: 4, window: 1 }),
    ]) {
      expect(checkModuleGrads(layer, x).ok).toBe(true);
    }
  });
});

describe("Transformer (Exp 6–7)", () => {
  it("passes checkGrads with every attention kind (tiny sizes)", () => {
    const x = randomInput([2, 4, 2], 8);
    for (const attention of ["fractal", "dense", "sparseRandom", "localWindow"] as const) {
      const model = new Transformer({ tokens: 4, inputs: 2, classes: 2, model: 4, hidden: 4, attention, path: "streaming" });
      expect(checkModuleGrads(model, x).ok).toBe(true);
    }
  });

  it("the fractal-attention transformer saves the attention parameters of dense attention", () => {
    const fractal = new Transformer({ tokens: 64, vocabulary: 2, classes: 2, model: 32, factorSize: 4 });
    const dense = new Transformer({ tokens: 64, vocabulary: 2, classes: 2, model: 32, attention: "dense" });
    // per layer: dense has Q, K (2·(32² + 32)); fractal has 3 factors of 4×4
    expect(dense.rawParams - fractal.rawParams).toBe(2 * (2 * (32 * 32 + 32) - 3 * 16));
  });

  it("learns 'label = first token' on N=8 binary sequences to ≥ 90% in 60 Adam steps (fractal, streaming)", async () => {
    const gen = new Generator(3);
    const make = (n: number) => {
      const x = randint(0, 2, [n, 8], gen);
      const labels = Int32Array.from({ length: n }, (_, i) => x.dataSync()[i * 8]);
      return { x, y: tensor(labels, { shape: [n], dtype: "int32" }) };
    };
    const model = new Transformer({ tokens: 8, vocabulary: 2, classes: 2, model: 16, path: "streaming", seed: 1 });
    await fit(model, make(128), { epochs: 60, optimizer: new Adam(model.parameters(), { lr: 0.01 }), lossFn: "crossEntropy" });
    expect((await evaluate(model, make(200), { lossFn: "crossEntropy", metrics: ["accuracy"] })).metrics.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
