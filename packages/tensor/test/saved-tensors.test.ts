import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";

const f64 = (shape: number[], seed: number, requiresGrad = false) =>
  T.randn(shape, new T.Generator(seed), { dtype: "float64", requiresGrad });

describe("tensors saved by the graph outlive tidy and dispose until backward", () => {
  it("a loss made in tidy gives w the gradient of the same computation outside tidy", () => {
    const x = f64([3, 4], 1);
    const w = f64([4, 2], 2, true);
    const loss = T.tidy(() => T.matmul(x, w).sum());
    loss.backward();
    const w2 = f64([4, 2], 2, true);
    T.matmul(x, w2).sum().backward();
    expect(w.grad).not.toBeNull();
    expect(Array.from(w.grad!.dataSync())).toEqual(Array.from(w2.grad!.dataSync()));
  });

  it("rules that read disposed outputs (tanh, exp) still see their values", () => {
    const x = f64([3, 4], 3);
    const w = f64([4, 2], 4, true);
    const loss = T.tidy(() => T.exp(T.tanh(T.matmul(x, w))).mul(2).sum());
    loss.backward();
    const w2 = f64([4, 2], 4, true);
    T.exp(T.tanh(T.matmul(x, w2))).mul(2).sum().backward();
    expect(Array.from(w.grad!.dataSync())).toEqual(Array.from(w2.grad!.dataSync()));
  });

  it("a disposed intermediate leaves memory().tensors at once and stays unusable to the caller", () => {
    const x = f64([5], 5, true);
    const before = T.memory().tensors;
    const h = T.exp(x);
    const y = T.sum(h);
    h.dispose();
    expect(T.memory().tensors - before).toBe(1);
    expect(h.isDisposed).toBe(true);
    expect(() => h.dataSync()).toThrow(T.DeviceError);
    y.backward();
    expect(Array.from(x.grad!.dataSync())).toEqual(Array.from(T.exp(x).dataSync()));
  });

  it("the saved storage is released when backward frees the graph, or when its output is disposed", () => {
    const x = T.ones([100], { dtype: "float64", requiresGrad: true });
    const bytes = () => T.memory().bytes.cpu ?? 0;
    const base = bytes();
    const loss = T.tidy(() => T.sum(T.tanh(T.mul(T.exp(x), 2))));
    // exp(x), its product and tanh stay for backward: 3 × 800 bytes, plus the 8-byte loss.
    expect(bytes() - base).toBeGreaterThanOrEqual(3 * 800 + 8);
    loss.backward();
    expect(bytes() - base).toBe(8 + 800); // the loss and x.grad
    x.grad!.dispose();
    x.grad = null;
    const unused = T.tidy(() => T.sum(T.tanh(T.mul(T.exp(x), 2))));
    expect(bytes() - base).toBeGreaterThan(8 + 800);
    unused.dispose();
    loss.dispose();
    expect(bytes()).toBe(base);
  });

  it("a second backward through a freed graph is a GraphFreedError naming the op and shape", () => {
    const x = f64([2, 3], 6, true);
    const loss = T.sum(T.mul(x, x));
    loss.backward();
    let caught: unknown;
    try {
      loss.backward();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(T.GraphFreedError);
    expect(caught).toBeInstanceOf(T.FcnError);
    expect((caught as T.GraphFreedError).op).toBe("sum");
    expect((caught as Error).message).toMatch(/backward through the graph a second time/);
    expect((caught as Error).message).toMatch(/retainGraph/);
  });

  it("retainGraph keeps the graph for another backward, which accumulates", () => {
    const x = f64([2, 3], 7, true);
    const loss = T.sum(T.mul(x, x));
    loss.backward({ retainGraph: true });
    const once = Array.from(x.grad!.dataSync());
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(Array.from(x.grad!.dataSync())).toEqual(once.map((g) => g + g + g));
    expect(() => loss.backward()).toThrow(T.GraphFreedError);
  });

  it("createGraph retains the graph by default, as in PyTorch", () => {
    const x = f64([3], 8, true);
    const y = T.sum(T.pow(x, 3));
    y.backward(undefined, { createGraph: true });
    const g = x.grad!;
    x.grad = null;
    T.sum(g).backward();
    // d/dx Σ 3x² = 6x
    const expected = Array.from(x.dataSync()).map((v) => 6 * v);
    Array.from(x.grad!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });
});
