import { afterEach, describe, expect, it } from "vitest";
import { COMPARE_CHUNK, COMPARE_WASM_MIN, setCompareWasmTuning } from "../src/backend/cpu/compare-wasm";
import { OPTIM_CHUNK, OPTIM_WASM_MIN, setOptimWasmTuning } from "../src/backend/cpu/optim-wasm";
import { REDUCE_CHUNK, REDUCE_WASM_MIN, setReduceWasmTuning } from "../src/backend/cpu/reduce-wasm";
import { type Tensor, add, adamUpdate, keep, matmul, mse, relu, sgdUpdate, sum, tensor, tidy, zeros } from "../src";

// End to end: a float32 MLP trained with the SIMD reductions, comparisons/where and optimizer
// updates must end with exactly the weights the JavaScript loops give.

const defaults = [REDUCE_CHUNK, REDUCE_WASM_MIN, OPTIM_CHUNK, OPTIM_WASM_MIN, COMPARE_CHUNK, COMPARE_WASM_MIN] as const;
function simd(on: boolean): void {
  const off = Number.POSITIVE_INFINITY;
  setReduceWasmTuning(defaults[0], on ? defaults[1] : off);
  setOptimWasmTuning(defaults[2], on ? defaults[3] : off);
  setCompareWasmTuning(defaults[4], on ? defaults[5] : off);
}
afterEach(() => simd(true));

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2147483648 - 1);
}

/** Trains 4→64→64→3 for `steps` steps (Adam or SGD with momentum); returns every parameter's values. */
function train(optimizer: "adam" | "sgd", steps: number): Float32Array[] {
  const next = lcg(11);
  const batch = 96;
  const x = tensor(Float32Array.from({ length: batch * 4 }, next), { shape: [batch, 4] });
  const y = tensor(Float32Array.from({ length: batch * 3 }, next), { shape: [batch, 3] });
  const sizes = [4, 64, 64, 3];
  const params: Tensor[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    params.push(tensor(Float32Array.from({ length: sizes[i] * sizes[i + 1] }, () => next() * 0.5), { shape: [sizes[i], sizes[i + 1]] }).requireGrad());
    params.push(tensor(new Float32Array(sizes[i + 1]), { shape: [sizes[i + 1]] }).requireGrad());
  }
  const state = params.map((p) => [keep(zeros(p.shape)), keep(zeros(p.shape))]);
  for (let t = 1; t <= steps; t++) {
    tidy(() => {
      let h = x;
      for (let i = 0; i < params.length; i += 2) {
        h = add(matmul(h, params[i]), params[i + 1]);
        if (i + 2 < params.length) h = relu(h);
      }
      // mse (mean over all) plus a per-row sum term, so reductions along rows and columns both run.
      const loss = add(mse(h, y), sum(sum(h, 1)).mul(1e-3));
      loss.backward();
      params.forEach((p, i) => {
        const [m, v] = state[i];
        if (optimizer === "adam") adamUpdate(p, p.grad!, m, v, { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-4, decoupled: true, step: t });
        else sgdUpdate(p, p.grad!, m, { lr: 1e-2, momentum: 0.9, dampening: 0, nesterov: t % 2 === 0, weightDecay: 1e-4, firstStep: t === 1 });
        p.grad!.dispose();
        p.grad = null;
      });
    });
  }
  const out = params.map((p) => Float32Array.from(p.dataSync() as Float32Array));
  for (const t of [x, y, ...params, ...state.flat()]) t.dispose();
  return out;
}

describe("training with the SIMD kernels gives the JavaScript loops' weights bit for bit", () => {
  for (const optimizer of ["adam", "sgd"] as const) {
    it(`${optimizer}: 40 steps of a 4→64→64→3 MLP`, () => {
      simd(false);
      const js = train(optimizer, 40);
      simd(true);
      const wasm = train(optimizer, 40);
      js.forEach((w, i) => {
        const same = w.every((v, j) => Object.is(v, wasm[i][j]));
        expect(same, `parameter ${i} differs`).toBe(true);
      });
      // The weights moved: the comparison is not between two untrained networks.
      const initial = train(optimizer, 0);
      initial.forEach((w, i) => expect(w.some((v, j) => v !== js[i][j]), `parameter ${i} trained`).toBe(true));
    });
  }
});
