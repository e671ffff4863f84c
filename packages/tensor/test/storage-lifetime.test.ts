import { afterEach, describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { collectGarbage, heapAfterGc } from "./gc.js";

const cpu = () => T.memory().storage.cpu!;

/**
 * Heap after GC with the pool emptied first: pooled arrays are bounded and reported on their
 * own (forgotten tensors reach the pool in one batch when a collection finalizes them).
 */
async function heapWithoutPool(): Promise<number> {
  await collectGarbage();
  const limit = cpu().poolLimitBytes;
  T.setStoragePoolLimit(0);
  T.setStoragePoolLimit(limit);
  return heapAfterGc();
}

describe("CPU storage pool", () => {
  afterEach(() => T.setStoragePoolLimit(T.DEFAULT_STORAGE_POOL_LIMIT));

  it("accounts an array by its bytes plus the fixed per-array overhead", () => {
    T.setStoragePoolLimit(0); // empty the pool, so the next release is the only pooled array
    T.setStoragePoolLimit(T.DEFAULT_STORAGE_POOL_LIMIT);
    const before = cpu();
    const x = T.tensor([1], { dtype: "float32" });
    expect(cpu().liveArrays - before.liveArrays).toBe(1);
    expect(cpu().liveBytes - before.liveBytes).toBe(4 + T.ARRAY_OVERHEAD_BYTES);
    x.dispose();
    expect(cpu().liveArrays).toBe(before.liveArrays);
    expect(cpu().pooledArrays - before.pooledArrays).toBe(1);
    expect(cpu().pooledBytes - before.pooledBytes).toBe(4 + T.ARRAY_OVERHEAD_BYTES);
  });

  it("takes scalar arrays back out: a scalar loop does not grow the pool", () => {
    const step = () => T.tidy(() => T.tensor([1]).add(1).mul(2)).dispose();
    for (let i = 0; i < 10; i++) step();
    const before = cpu();
    for (let i = 0; i < 1000; i++) step();
    expect(cpu().pooledArrays).toBe(before.pooledArrays);
    expect(cpu().liveArrays).toBe(before.liveArrays);
  });

  it("never holds more than its bound, evicting the least recently used sizes", () => {
    const limit = 8 * (4096 + T.ARRAY_OVERHEAD_BYTES);
    T.setStoragePoolLimit(limit);
    expect(cpu().poolLimitBytes).toBe(limit);
    for (let size = 1; size <= 64; size++) {
      T.dispose([T.zeros([size * 64]), T.zeros([size * 64]), T.zeros([1])]);
      expect(cpu().pooledBytes).toBeLessThanOrEqual(limit);
    }
    // The most recent sizes are the ones kept.
    const before = cpu().pooledArrays;
    T.zeros([64 * 64]).dispose();
    expect(cpu().pooledArrays).toBe(before);
    T.setStoragePoolLimit(0);
    expect(cpu().pooledBytes).toBe(0);
    expect(cpu().pooledArrays).toBe(0);
    T.ones([3]).dispose();
    expect(cpu().pooledArrays).toBe(0);
  });

  it("rejects a negative or non-finite bound", () => {
    expect(() => T.setStoragePoolLimit(-1)).toThrow(T.ArgumentError);
    expect(() => T.setStoragePoolLimit(Number.NaN)).toThrow(T.ArgumentError);
  });
});

describe("finalization of tensors nobody disposed", () => {
  it("releases the storage of a forgotten tensor after garbage collection", async () => {
    await collectGarbage();
    const before = { tensors: T.memory().tensors, bytes: T.memory().bytes.cpu, arrays: cpu().liveArrays };
    (() => {
      for (let i = 0; i < 100; i++) T.ones([1000]).mul(3);
    })();
    expect(T.memory().tensors - before.tensors).toBe(200);
    await collectGarbage();
    expect(T.memory().tensors).toBe(before.tensors);
    expect(T.memory().bytes.cpu).toBe(before.bytes);
    expect(cpu().liveArrays).toBe(before.arrays);
  });

  it("never releases again what dispose already released (a view keeps the shared storage)", async () => {
    await collectGarbage();
    const before = { tensors: T.memory().tensors, bytes: T.memory().bytes.cpu! };
    const view = (() => {
      const x = T.tensor(new Float64Array([1, 2, 3, 4]));
      const r = x.reshape([2, 2]);
      x.dispose();
      return r;
    })();
    await collectGarbage();
    expect(view.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(T.memory().bytes.cpu! - before.bytes).toBe(32);
    view.dispose();
    await collectGarbage();
    expect(T.memory().bytes.cpu).toBe(before.bytes);
    expect(T.memory().tensors).toBe(before.tensors);
  });

  it("releases a forgotten graph: the intermediates its output kept are freed too", async () => {
    const x = T.ones([1000], { dtype: "float64", requiresGrad: true });
    await collectGarbage();
    const before = T.memory().bytes.cpu!;
    (() => {
      T.tidy(() => T.sum(T.tanh(T.exp(x))));
    })();
    expect(T.memory().bytes.cpu! - before).toBeGreaterThan(8000);
    await collectGarbage();
    expect(T.memory().bytes.cpu).toBe(before);
  });
});

describe("memory stays flat", () => {
  it("20,000 scalar-operand ops in tidy: no live tensors or arrays gained, heap growth under 1 MB", async () => {
    const loop = (n: number) => {
      for (let i = 0; i < n; i++) T.tidy(() => T.tensor([1]).add(1));
    };
    loop(2000);
    const heap0 = await heapWithoutPool();
    const tensors0 = T.memory().tensors;
    const arrays0 = cpu().liveArrays;
    loop(20_000);
    const heap1 = await heapWithoutPool();
    expect(T.memory().tensors - tensors0).toBe(0);
    expect(cpu().liveArrays - arrays0).toBe(0);
    // Before the fix one ~215-byte array per iteration stayed (4.4 MB); 1 MB is 50 B/iteration.
    expect(heap1 - heap0).toBeLessThan(1_000_000);
  });
});
