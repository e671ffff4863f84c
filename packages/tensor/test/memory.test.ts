import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import type { Tensor } from "../src/index.js";

const cpuBytes = () => T.memory().bytes.cpu ?? 0;
const snapshot = () => ({ tensors: T.memory().tensors, bytes: cpuBytes() });

describe("memory", () => {
  it("tidy frees intermediates and keeps the returned tensor", () => {
    const x = T.ones([100], { dtype: "float64" });
    const before = snapshot();
    const y = T.tidy(() => T.sum(T.add(T.mul(x, 2), 1)));
    const after = snapshot();
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.bytes - before.bytes).toBe(8);
    expect(y.item()).toBe(300);
    expect(x.isDisposed).toBe(false);
  });

  it("counts bytes per dtype", () => {
    const before = cpuBytes();
    const ts = [T.zeros([10], { dtype: "float64" }), T.zeros([10], { dtype: "float32" }), T.zeros([10], { dtype: "int32" }), T.zeros([10], { dtype: "bool" })];
    expect(cpuBytes() - before).toBe(80 + 40 + 40 + 10);
    T.dispose(ts);
    expect(cpuBytes()).toBe(before);
  });

  it("tensors returned in arrays and objects survive; keep() exempts a tensor; nested scopes hand results out", () => {
    const before = snapshot();
    let kept!: Tensor;
    let innerTemp!: Tensor;
    let unused!: Tensor;
    const result = T.tidy(() => {
      const a = T.ones([4]);
      kept = T.keep(T.mul(a, 3));
      const inner = T.tidy(() => {
        innerTemp = T.add(a, 1);
        return T.mul(innerTemp, 2);
      });
      expect(innerTemp.isDisposed).toBe(true);
      expect(inner.isDisposed).toBe(false);
      unused = T.mul(inner, 5);
      return { pair: [a, T.sub(a, 1)], nested: { value: inner } };
    });
    expect(unused.isDisposed).toBe(true);
    expect(result.pair[0].isDisposed).toBe(false);
    expect(result.pair[1].isDisposed).toBe(false);
    expect(result.nested.value.isDisposed).toBe(false);
    expect(kept.isDisposed).toBe(false);
    expect(values(result.nested.value)).toEqual([4, 4, 4, 4]);
    // a, a − 1, inner, kept
    expect(snapshot().tensors - before.tensors).toBe(4);
    T.dispose([result, kept]);
    expect(snapshot()).toEqual(before);
  });

  it("tidy disposes what it created even when fn throws", () => {
    const before = snapshot();
    let made!: Tensor;
    expect(() =>
      T.tidy(() => {
        made = T.mul(T.ones([10]), 2);
        throw new Error("fail");
      }),
    ).toThrow("fail");
    expect(made.isDisposed).toBe(true);
    expect(snapshot()).toEqual(before);
    // The scope stack is intact: a later tidy returns its result to the top level.
    const after = T.tidy(() => T.ones([1]));
    expect(after.isDisposed).toBe(false);
    after.dispose();
    expect(snapshot()).toEqual(before);
  });

  it("dispose is idempotent and frees the bytes once", () => {
    const before = snapshot();
    const x = T.zeros([16], { dtype: "float64" });
    x.dispose();
    x.dispose();
    expect(snapshot()).toEqual(before);
  });

  it("views share storage: disposing one view keeps the other alive", () => {
    const before = snapshot();
    const x = T.tensor(new Float64Array([1, 2, 3, 4]));
    const r = x.reshape([2, 2]);
    const d = x.detach();
    expect(cpuBytes() - before.bytes).toBe(32);
    x.dispose();
    expect(r.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(cpuBytes() - before.bytes).toBe(32);
    r.dispose();
    expect(values(d)).toEqual([1, 2, 3, 4]);
    d.dispose();
    expect(snapshot()).toEqual(before);
  });

  it("using a disposed tensor raises DeviceError naming it", () => {
    const x = T.zeros([2, 2]);
    x.dispose();
    expect(() => T.add(x, 1)).toThrow(T.DeviceError);
    expect(() => x.arraySync()).toThrow(/tensor \[2, 2\] float32 was disposed/);
    expect(x.isDisposed).toBe(true);
  });

  it("backward frees its intermediate gradients", () => {
    const x = T.ones([50], { dtype: "float64", requiresGrad: true });
    const loss = T.sum(T.tanh(T.mul(T.exp(x), 2)));
    const before = snapshot();
    loss.backward({ retainGraph: true });
    // Only x.grad is new (the graph stays for the second call).
    expect(snapshot().tensors - before.tensors).toBe(1);
    expect(cpuBytes() - before.bytes).toBe(400);
    loss.backward();
    expect(snapshot().tensors - before.tensors).toBe(1);
    // That backward freed the graph, and with it the saved scalar operand 2 (8 bytes).
    expect(cpuBytes() - before.bytes).toBe(400 - 8);
  });

  it("a 100-step training loop with assign inside tidy does not grow memory", () => {
    const gen = new T.Generator(0);
    const w1 = T.randn([2, 8], gen, { dtype: "float64", std: 0.5 }).requireGrad();
    const b1 = T.zeros([8], { dtype: "float64" }).requireGrad();
    const w2 = T.randn([8, 1], gen, { dtype: "float64", std: 0.5 }).requireGrad();
    const params = [w1, b1, w2];
    const x = T.randn([16, 2], gen, { dtype: "float64" });
    const y = T.sum(T.mul(x, x), 1, true);
    const step = () =>
      T.tidy(() => {
        const loss = T.mse(T.matmul(T.tanh(T.add(T.matmul(x, w1), b1)), w2), y);
        loss.backward();
        T.noGrad(() => {
          for (const p of params) {
            p.assign(T.sub(p, T.mul(p.grad!, 0.1)));
            p.grad!.dispose();
            p.grad = null;
          }
        });
        return loss.item();
      });
    const first = step();
    const base = snapshot();
    let last = first;
    for (let i = 0; i < 99; i++) last = step();
    expect(snapshot()).toEqual(base);
    expect(last).toBeLessThan(first);
    expect(params.every((p) => p.requiresGrad && !p.isDisposed)).toBe(true);
  });

  it("assign replaces values in place, casting to the tensor's dtype, off the tape", () => {
    const p = T.zeros([3], { dtype: "float32", requiresGrad: true });
    const before = snapshot();
    p.assign(T.tensor(new Float64Array([1.5, 2.5, 3.5])));
    expect(values(p)).toEqual([1.5, 2.5, 3.5]);
    expect(p.dtype).toBe("float32");
    expect(p.node).toBeNull();
    // The float64 source (1 tensor, 24 bytes) is alive; p's old storage was freed, the cast copy too.
    expect(snapshot().tensors - before.tensors).toBe(1);
    expect(cpuBytes() - before.bytes).toBe(24);
  });
});

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}
