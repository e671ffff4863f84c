import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { expectClose, hasGpu, read } from "./gpu.js";

const gen = new T.Generator(5);

/** Shapes for the vec4 kernel (N and the contiguous axis of A divisible by 4), with ragged tile edges. */
const CASES: { a: number[]; b: number[]; ta?: boolean; tb?: boolean }[] = [
  { a: [36, 44], b: [44, 20] },
  { a: [4, 4], b: [4, 4] },
  { a: [64, 96], b: [96, 68] },
  { a: [44, 36], b: [44, 20], ta: true },
  { a: [36, 44], b: [20, 44], tb: true },
  { a: [3, 33, 8], b: [8, 12] },
  { a: [2, 1, 40, 12], b: [3, 12, 8] },
  { a: [2, 12, 40], b: [2, 12, 16], ta: true },
  { a: [2, 40, 12], b: [1, 24, 12], tb: true },
  // Whole tiles: the variant without edge checks.
  { a: [64, 64], b: [64, 96] },
  { a: [64, 32], b: [64, 64], ta: true },
  { a: [2, 32, 64], b: [96, 64], tb: true },
  // Not eligible (falls back to the scalar kernel): odd N, K, and both transposed.
  { a: [9, 8], b: [8, 7] },
  { a: [8, 6], b: [6, 8] },
  { a: [8, 12], b: [16, 8], ta: true, tb: true },
];

describe.skipIf(!hasGpu)("webgpu matmul, vec4 kernel", () => {
  it.each(CASES)("matches the CPU for $a · $b (ᵀA $ta, ᵀB $tb) and its gradients", async ({ a, b, ta, tb }) => {
    const x = T.randn(a, gen);
    const y = T.randn(b, gen);
    const options = { transposeA: ta ?? false, transposeB: tb ?? false };
    const w = T.randn(T.matmul(x, y, options).shape.slice(), gen);
    const run = (device: "cpu" | "webgpu") => {
      const xs = x.to(device).requireGrad();
      const ys = y.to(device).requireGrad();
      const out = T.matmul(xs, ys, options);
      out.mul(w.to(device)).sum().backward();
      return [out, xs.grad!, ys.grad!];
    };
    const cpu = run("cpu");
    const gpu = run("webgpu");
    for (let i = 0; i < 3; i++) {
      const k = a[a.length - (ta ? 2 : 1)];
      expectClose(["C", "dA", "dB"][i], await read(gpu[i]), await read(cpu[i]), 1e-5 * Math.max(k, 16), 1e-5);
    }
    expect(gpu[0].shape).toEqual(cpu[0].shape);
  });
});
