import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { toHalf } from "../src/half.js";

const gen = () => new T.Generator(11);

describe("autocast", () => {
  it("runs matmul and conv2d in float16 and the range-sensitive ops in float32", () => {
    const g = gen();
    const a = T.randn([4, 8], g);
    const b = T.randn([8, 3], g);
    const x = T.randn([1, 2, 5, 5], g);
    const w = T.randn([3, 2, 3, 3], g);
    const bias = T.randn([3], g);
    T.autocast(() => {
      expect(T.autocastDType()).toBe("float16");
      const y = T.matmul(a, b);
      expect(y.dtype).toBe("float16");
      expect(T.conv2d(x, w, { bias, padding: 1 }).dtype).toBe("float16");
      expect(T.softmax(y).dtype).toBe("float32");
      expect(T.logSoftmax(y).dtype).toBe("float32");
      expect(T.sum(y).dtype).toBe("float32");
      expect(T.exp(y).dtype).toBe("float32");
      expect(y.relu().dtype).toBe("float16");
      // Pooling keeps the input's dtype (its averaging products are not lowered).
      expect(T.adaptiveAvgPool2d(x, 3).dtype).toBe("float32");
      expect(T.adaptiveAvgPool2d(x.cast("float16"), 3).dtype).toBe("float16");
      for (const pool of [(t: T.Tensor) => T.adaptiveAvgPool2d(t, 1), (t: T.Tensor) => T.avgPool2d(t, 5), (t: T.Tensor) => T.avgPool2d(t, 3, { stride: 1 })]) {
        expect(pool(x).dtype).toBe("float32");
        expect(pool(x.cast("float16")).dtype).toBe("float16");
      }
      expect(y.add(T.ones([3])).dtype).toBe("float32");
      // float64 is never lowered.
      expect(T.matmul(a.cast("float64"), b.cast("float64")).dtype).toBe("float64");
    });
    expect(T.autocastDType()).toBe(null);
    expect(T.matmul(a, b).dtype).toBe("float32");
    expect(T.autocast(() => T.matmul(a, b), { enabled: false }).dtype).toBe("float32");
  });

  it("computes the float16 product of the rounded inputs", () => {
    const a = T.tensor([[0.1, 0.2], [0.3, 0.4]]);
    const b = T.tensor([[1.7, -2.9], [3.3, 0.01]]);
    const y = T.autocast(() => T.matmul(a, b)).dataSync();
    const ah = a.dataSync().map(toHalf);
    const bh = b.dataSync().map(toHalf);
    const want = [0, 1, 2, 3].map((k) => {
      const [i, j] = [k >> 1, k & 1];
      return toHalf(Math.fround(Math.fround(ah[2 * i] * bh[j]) + Math.fround(ah[2 * i + 1] * bh[2 + j])));
    });
    expect(Array.from(y)).toEqual(want);
  });

  it("keeps float32 master weights: parameter gradients are float32 and close to the float32 run", () => {
    const g = gen();
    const x = T.randn([16, 8], g);
    const w1 = T.randn([8, 16], g).mul(0.3).detach().requireGrad();
    const w2 = T.randn([16, 4], g).mul(0.3).detach().requireGrad();
    const labels = T.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], { dtype: "int32" });
    const loss = () => T.crossEntropy(T.matmul(T.matmul(x, w1).relu(), w2), labels);
    const run = (amp: boolean) => {
      const l = T.autocast(loss, { enabled: amp });
      l.backward();
      const grads = [w1.grad!, w2.grad!];
      w1.grad = null;
      w2.grad = null;
      return { l, grads };
    };
    const full = run(false);
    const half = run(true);
    expect(half.l.dtype).toBe("float32");
    expect(Math.abs(half.l.item() - full.l.item())).toBeLessThan(5e-3);
    for (let k = 0; k < 2; k++) {
      expect(half.grads[k].dtype).toBe("float32");
      const h = half.grads[k].dataSync();
      const f = full.grads[k].dataSync();
      const scale = Math.max(...Array.from(f, Math.abs));
      for (let i = 0; i < h.length; i++) expect(Math.abs(h[i] - f[i])).toBeLessThan(5e-3 * scale);
    }
  });

  it("backward runs with autocast off, so calling it inside autocast changes nothing", () => {
    const w = T.tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    const x = T.tensor([[1.3, 0.7]]);
    T.autocast(() => T.matmul(x, w).tanh().sum()).backward();
    const outside = w.grad!.dataSync().slice();
    w.grad = null;
    T.autocast(() => T.matmul(x, w).tanh().sum().backward());
    expect(w.grad!.dtype).toBe("float32");
    expect(Array.from(w.grad!.dataSync())).toEqual(Array.from(outside));
  });

  it("scaled float16 gradients overflow for real: huge loss scales give infinite parameter gradients", () => {
    const w = T.tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
    const x = T.tensor([[1.3, 0.7]]);
    T.autocast(() => T.matmul(x, w).relu().mul(1)).sum().mul(2 ** 17).backward();
    // d(sum)/dy = 2^17 overflows float16 (max 65504) inside the half-precision product's gradient.
    expect(Array.from(w.grad!.dataSync()).some((v) => !Number.isFinite(v))).toBe(true);
    w.grad = null;
    T.autocast(() => T.matmul(x, w).relu().mul(1)).sum().mul(2 ** 10).backward();
    expect(Array.from(w.grad!.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("checkpoint recomputes under the autocast state of its forward", () => {
    const g = gen();
    const x = T.randn([3, 4], g);
    const w = T.randn([4, 4], g).detach().requireGrad();
    const block = (h: T.Tensor) => T.matmul(h, w).tanh();
    const gradOf = (f: (h: T.Tensor) => T.Tensor) => {
      T.autocast(() => f(x).sum()).backward();
      const out = w.grad!.dataSync().slice();
      w.grad = null;
      return Array.from(out);
    };
    const plain = gradOf(block);
    // Backward happens outside autocast: without the saved state the recomputation would run in float32.
    expect(gradOf(T.checkpoint(block))).toEqual(plain);
    expect(gradOf((h) => T.matmul(h, w).tanh())).toEqual(plain);
  });
});
