import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { type ConvParams, convCases } from "./gradcheck-table.js";
import { propertyOptions } from "./helpers.js";

/** The textbook convolution: seven nested loops over n, o, oh, ow, c, kh, kw. */
function naiveConv2d(x: ArrayLike<number>, p: ConvParams): (w: ArrayLike<number>) => number[] {
  const [N, C, H, W] = p.x;
  const [O, Cg, KH, KW] = p.w;
  const [, , OH, OW] = p.y;
  const Og = O / p.groups;
  return (w: ArrayLike<number>) => {
    const y = new Array<number>(N * O * OH * OW).fill(0);
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let oh = 0; oh < OH; oh++)
          for (let ow = 0; ow < OW; ow++) {
            let acc = 0;
            const g = Math.floor(o / Og);
            for (let c = 0; c < Cg; c++)
              for (let kh = 0; kh < KH; kh++)
                for (let kw = 0; kw < KW; kw++) {
                  const ih = oh * p.stride[0] - p.padding[0] + kh * p.dilation[0];
                  const iw = ow * p.stride[1] - p.padding[1] + kw * p.dilation[1];
                  if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  acc += x[((n * C + g * Cg + c) * H + ih) * W + iw] * w[((o * Cg + c) * KH + kh) * KW + kw];
                }
            y[((n * O + o) * OH + oh) * OW + ow] = acc;
          }
    return y;
  };
}

const values = (n: number) => fc.array(fc.integer({ min: -512, max: 512 }).map((k) => k / 256), { minLength: n, maxLength: n });
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const cases = convCases.chain((c) => fc.tuple(fc.constant(c.params), values(size(c.params.x)), values(size(c.params.w))));

function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])))) throw new Error(`${label}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

describe("conv2d", () => {
  it("matches a naive 7-loop convolution in float64 and float32 (stride, padding, dilation, groups)", () => {
    fc.assert(
      fc.property(cases, ([p, xv, wv]) => {
        const expected = naiveConv2d(xv, p)(wv);
        for (const dtype of ["float64", "float32"] as const) {
          const y = T.conv2d(T.tensor(xv, { shape: p.x, dtype }), T.tensor(wv, { shape: p.w, dtype }), p);
          expect(y.shape).toEqual(p.y);
          expect(y.dtype).toBe(dtype);
          expectNear(y.dataSync(), expected, dtype === "float64" ? 1e-12 : 1e-5, `${dtype} ${JSON.stringify(p)}`);
        }
      }),
      propertyOptions(60),
    );
  });

  it("matches the reference on a CIFAR-shaped layer through the gemm path (batch 2, 3→16, 3×3, padding 1)", () => {
    const p: ConvParams = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, x: [2, 3, 32, 32], w: [16, 3, 3, 3], y: [2, 16, 32, 32] };
    const gen = new T.Generator(3);
    const x = T.randn(p.x, gen);
    const w = T.randn(p.w, gen);
    expectNear(T.conv2d(x, w, { padding: 1 }).dataSync(), naiveConv2d(x.dataSync(), p)(w.dataSync()), 1e-4, "cifar");
    // 1×1 convolutions skip im2col.
    const w1 = T.randn([5, 3, 1, 1], gen);
    const p1: ConvParams = { ...p, padding: [0, 0], w: [5, 3, 1, 1], y: [2, 5, 32, 32] };
    expectNear(T.conv2d(x, w1).dataSync(), naiveConv2d(x.dataSync(), p1)(w1.dataSync()), 1e-4, "pointwise");
  });

  it("matches the reference on width-preserving convolutions (the block-copy im2col path)", () => {
    const gen = new T.Generator(8);
    // kernel, padding, dilation, groups — each keeps OW = W with stride 1
    const layouts: [number, number, number, number][] = [[3, 1, 1, 1], [3, 2, 2, 1], [5, 2, 1, 2], [3, 1, 1, 2], [1, 0, 1, 1]];
    for (const [k, pad, dil, groups] of layouts) {
      const p: ConvParams = { stride: [1, 1], padding: [pad, pad], dilation: [dil, dil], groups, x: [3, 4, 6, 7], w: [6, 4 / groups, k, k], y: [3, 6, 6, 7] };
      const x = T.randn(p.x, gen, { dtype: "float64" });
      const w = T.randn(p.w, gen, { dtype: "float64" });
      const y = T.conv2d(x, w, { padding: pad, dilation: dil, groups });
      expect(y.shape).toEqual(p.y);
      expectNear(y.dataSync(), naiveConv2d(x.dataSync(), p)(w.dataSync()), 1e-12, JSON.stringify(p));
    }
  });

  it("adds a bias per output channel and casts integer inputs to float32", () => {
    const x = T.tensor([[[[1, 2], [3, 4]]]], { dtype: "int32" });
    const w = T.tensor([[[[1]]], [[[2]]]], { dtype: "int32" });
    const y = T.conv2d(x, w, { bias: T.tensor([10, 20]) });
    expect(y.dtype).toBe("float32");
    expect(y.arraySync()).toEqual([[[[11, 12], [13, 14]], [[22, 24], [26, 28]]]]);
  });

  it("rejects mismatched shapes and bad options with messages naming them", () => {
    const x = T.zeros([1, 4, 5, 5]);
    expect(() => T.conv2d(x, T.zeros([2, 3, 3, 3]))).toThrow(/needs 4 input channels per group/);
    expect(() => T.conv2d(x, T.zeros([3, 2, 3, 3]), { groups: 2 })).toThrow(/groups 2 must divide/);
    expect(() => T.conv2d(x, T.zeros([2, 4, 7, 7]))).toThrow(/does not fit input 5×5/);
    expect(() => T.conv2d(T.zeros([4, 5, 5]), T.zeros([2, 4, 3, 3]))).toThrow(T.ShapeError);
    expect(() => T.conv2d(x, T.zeros([2, 4, 3, 3]), { stride: 0 })).toThrow(/stride must be positive/);
    expect(() => T.conv2d(x, T.zeros([2, 4, 3, 3]), { padding: -1 })).toThrow(/padding must be non-negative/);
    expect(() => T.conv2d(x, T.zeros([2, 4, 3, 3]), { bias: T.zeros([3]) })).toThrow(/bias \[3\] must be \[2\]/);
    expect(() => T.conv2dBackwardInput(T.zeros([1, 2, 4, 4]), T.zeros([2, 4, 3, 3]), [5, 5])).toThrow(/does not match/);
  });

  it("is differentiable twice: Hessian-vector products match differences of gradients", () => {
    const p = { stride: 2, padding: 1, dilation: 1, groups: 2 } as const;
    const gen = new T.Generator(11);
    const w = T.randn([4, 1, 3, 3], gen, { dtype: "float64" });
    const f = (x: Tensor) => T.sum(T.square(T.conv2d(T.tanh(x), w, p)));
    const x0 = T.randn([1, 2, 5, 4], gen, { dtype: "float64" });
    const v = T.randn([1, 2, 5, 4], gen, { dtype: "float64" });
    const x = x0.detach().requireGrad();
    f(x).backward(undefined, { createGraph: true });
    const g = x.grad!;
    x.grad = null;
    T.sum(T.mul(g, v)).backward();
    const hv = x.grad!.dataSync();
    const eps = 1e-5;
    const gradAt = (s: number) => T.grad(f)(T.add(x0, T.mul(v, s)))[0].dataSync();
    const plus = gradAt(eps);
    const minus = gradAt(-eps);
    expectNear(hv, Array.from(plus, (q, i) => (q - minus[i]) / (2 * eps)), 1e-5, "hvp");
  });
});

describe("pooling", () => {
  it("maxPool2d takes each window's maximum, skips padding, and routes the gradient to the first maximum", () => {
    const x = T.tensor([[[[1, 5, 2], [7, 3, 7], [0, -1, 4]]]], { dtype: "float64" }).requireGrad();
    const y = T.maxPool2d(x, 2, { stride: 1 });
    expect(y.arraySync()).toEqual([[[[7, 7], [7, 7]]]]);
    T.sum(y).backward();
    expect(x.grad!.arraySync()).toEqual([[[[0, 0, 0], [2, 0, 2], [0, 0, 0]]]]);
    expect(T.maxPool2d(T.tensor([[[[-1, -2], [-3, -4]]]]), 2, { padding: 1 }).arraySync()).toEqual([[[[-1, -2], [-3, -4]]]]);
    expect(() => T.maxPool2d(x, 2, { padding: 2 })).toThrow(/at most half the kernel/);
  });

  it("avgPool2d counts padded zeros; the conv and reshape paths agree", () => {
    const x = T.arange(16, { dtype: "float64" }).reshape([1, 1, 4, 4]);
    expect(T.avgPool2d(x, 2).arraySync()).toEqual([[[[2.5, 4.5], [10.5, 12.5]]]]);
    expect(T.avgPool2d(x, 2, { stride: [2, 2], padding: 0 }).arraySync()).toEqual(T.avgPool2d(T.pad(x, [[0, 0], [0, 0], [0, 0], [0, 0]]), [2, 2], { stride: 2 }).arraySync());
    const padded = T.avgPool2d(x, 3, { stride: 2, padding: 1 }).arraySync() as number[][][][];
    expect(padded[0][0][0][0]).toBeCloseTo((0 + 1 + 4 + 5) / 9, 12);
    // Overlapping windows (conv path) against a sum of shifted slices.
    const conv = T.avgPool2d(x, 2, { stride: 1 });
    const slices = T.add(T.add(T.slice(x, [0, 0, 0, 0], [1, 1, 3, 3]), T.slice(x, [0, 0, 0, 1], [1, 1, 3, 4])), T.add(T.slice(x, [0, 0, 1, 0], [1, 1, 4, 3]), T.slice(x, [0, 0, 1, 1], [1, 1, 4, 4])));
    expectNear(conv.dataSync(), T.div(slices, 4).dataSync(), 1e-12, "avgPool2d stride 1");
  });

  it("adaptiveAvgPool2d uses PyTorch's windows, divisible or not", () => {
    const x = T.arange(10, { dtype: "float64" }).reshape([1, 1, 2, 5]);
    // Windows of 5 into 3: [0, 2), [1, 4), [3, 5).
    const y = T.adaptiveAvgPool2d(x, [1, 3]).arraySync() as number[][][][];
    expectNear(y[0][0][0], [(0 + 1 + 5 + 6) / 4, (1 + 2 + 3 + 6 + 7 + 8) / 6, (3 + 4 + 8 + 9) / 4], 1e-12, "adaptive");
    expect(T.adaptiveAvgPool2d(x, 1).arraySync()).toEqual([[[[4.5]]]]);
    expect(T.adaptiveAvgPool2d(x, [2, 5]).arraySync()).toEqual(x.arraySync());
  });
});
