import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import * as T from "../src";
import { BLOCK_ALIGN, BlockAllocator, blockBytes } from "../src/backend/cpu/block-allocator";
import { ARENA_MIN_BYTES, arena, arenaArray, freeArenaArray, residentOffset, setArenaMinBytes } from "../src/backend/cpu/arena";
import { dataOf } from "../src/backend/cpu/storage";
import { binaryWasm } from "../src/backend/cpu/binary-wasm";
import { unaryWasm } from "../src/backend/cpu/unary-wasm";
import { softmaxWasm } from "../src/backend/cpu/softmax-wasm";
import { reduceWasm } from "../src/backend/cpu/reduce-wasm";
import { adamWasm, sgdWasm } from "../src/backend/cpu/optim-wasm";

afterEach(() => setArenaMinBytes(ARENA_MIN_BYTES));

describe("BlockAllocator", () => {
  /** A random program of allocations and frees, checked against a plain model after every step. */
  const program = fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ alloc: fc.integer({ min: 1, max: 5000 }) }) },
      { weight: 2, arbitrary: fc.record({ free: fc.nat() }) },
    ),
    { maxLength: 200 },
  );

  it("never overlaps live blocks, aligns them, reuses freed bytes and coalesces back to an empty range", () => {
    fc.assert(
      fc.property(program, fc.integer({ min: 8, max: 64 }), (steps, kib) => {
        const base = 4096;
        const end = base + kib * 1024;
        const a = new BlockAllocator(base, end);
        const live: { offset: number; size: number }[] = [];
        for (const step of steps) {
          if ("alloc" in step) {
            const offset = a.alloc(step.alloc);
            const size = blockBytes(step.alloc);
            const used = live.reduce((s, b) => s + b.size, 0);
            if (offset < 0) {
              // Refused only when no gap could hold it: the free bytes are fewer or fragmented.
              expect(end - base - used < size || live.length > 0).toBe(true);
              continue;
            }
            expect(offset % BLOCK_ALIGN).toBe(0);
            expect(offset).toBeGreaterThanOrEqual(base);
            expect(offset + size).toBeLessThanOrEqual(end);
            for (const b of live) expect(offset + size <= b.offset || b.offset + b.size <= offset).toBe(true);
            expect(a.sizeOf(offset)).toBeGreaterThanOrEqual(step.alloc);
            live.push({ offset, size: a.sizeOf(offset)! });
          } else if (live.length > 0) {
            const [b] = live.splice(step.free % live.length, 1);
            a.free(b.offset);
          }
          expect(a.liveBlocks).toBe(live.length);
          expect(a.liveBytes).toBe(live.reduce((s, b) => s + b.size, 0));
        }
        for (const b of live) a.free(b.offset);
        // Everything coalesced back into the top: the whole range is one block again.
        expect(a.freeRanges).toBe(0);
        expect(a.alloc(end - base)).toBe(base);
      }),
    );
  });

  it("hands a freed block of the same size straight back (a training step's shapes)", () => {
    const a = new BlockAllocator(0, 1 << 20);
    const x = a.alloc(4000);
    const y = a.alloc(100);
    a.alloc(64);
    a.free(x);
    a.free(y);
    expect(a.alloc(4000)).toBe(x);
    expect(a.alloc(100)).toBe(y);
  });

  it("throws on a double free or an offset that is not a block", () => {
    const a = new BlockAllocator(0, 1 << 16);
    const x = a.alloc(10);
    a.free(x);
    expect(() => a.free(x)).toThrow(/no live block/);
    expect(() => a.free(12345)).toThrow(/no live block/);
  });
});

describe("the CPU arena", () => {
  it("holds the data of float tensors of 256 bytes and more; tiny ones stay ordinary arrays", () => {
    const big = T.tensor(new Float32Array(1000).fill(2));
    const small = T.tensor([1, 2, 3]);
    expect(residentOffset(dataOf(big))).toBeGreaterThanOrEqual(0);
    expect(residentOffset(dataOf(small))).toBe(-1);
    const sum = T.add(big, big);
    expect(residentOffset(dataOf(sum))).toBeGreaterThanOrEqual(0);
    expect(sum.dataSync()[999]).toBe(4);
    // What users get is a copy, never a view of the arena.
    expect(sum.dataSync().buffer).not.toBe(arena()!.buffer);
    T.dispose([big, small, sum]);
  });

  it("takes a disposed tensor's block back, and memory() reports the arena's use", () => {
    const before = T.memory().storage.cpu!.arena!;
    const x = T.zeros([256, 256]);
    const during = T.memory().storage.cpu!.arena!;
    expect(during.liveBytes - before.liveBytes).toBe(256 * 256 * 4);
    expect(during.liveBlocks - before.liveBlocks).toBe(1);
    expect(during.reservedBytes).toBeGreaterThan(during.liveBytes);
    x.dispose();
    expect(T.memory().storage.cpu!.arena!.liveBytes).toBe(before.liveBytes);
    // A training loop's shapes come back to the same blocks: the arena does not creep up.
    const step = () => T.tidy(() => T.relu(T.mul(T.ones([128, 128]), 3)).sum());
    step(); // the first step also takes the kernels' scratch blocks
    const touched = T.memory().storage.cpu!.arena!.touchedBytes;
    for (let i = 0; i < 50; i++) step();
    expect(T.memory().storage.cpu!.arena!.touchedBytes).toBe(touched);
  });

  it("falls back to ordinary arrays when full, with the same results", () => {
    const a = arena()!;
    // Fill what is left, leaving no room for the next tensor.
    const fillers: number[] = [];
    for (let bytes = 256 * 1024 * 1024; bytes >= 64; ) {
      const at = a.blocks.alloc(bytes);
      if (at < 0) bytes >>= 1;
      else fillers.push(at);
    }
    try {
      const x = T.tensor(Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i)));
      expect(residentOffset(dataOf(x))).toBe(-1);
      const y = T.exp(x).sum();
      expect(residentOffset(dataOf(x))).toBe(-1);
      let want = 0;
      for (let i = 0; i < 5000; i++) want += Math.fround(Math.exp(Math.fround(Math.sin(i))));
      expect(y.item()).toBe(Math.fround(want));
      T.dispose([x, y]);
    } finally {
      for (const at of fillers) a.blocks.free(at);
    }
  });

  it("runs every in-place kernel inside its blocks: guard bytes around the operands stay untouched", () => {
    setArenaMinBytes(0);
    const GUARD = 64;
    const guards: Float32Array[] = [];
    /** An arena array between two guard blocks of NaN-payload bytes. */
    const guarded = (values: number[], f64: boolean): Float32Array | Float64Array => {
      const before = arenaArray("float32", GUARD) as Float32Array;
      const x = arenaArray(f64 ? "float64" : "float32", values.length) as Float32Array | Float64Array;
      const after = arenaArray("float32", GUARD) as Float32Array;
      x.set(values);
      before.fill(-7.5);
      after.fill(-7.5);
      guards.push(before, after);
      return x;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 67 }), fc.boolean(), (n, f64) => {
        const vals = Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 5 + 0.25);
        const a = guarded(vals, f64);
        const b = guarded(vals, f64);
        const p = guarded(vals, f64);
        const m = guarded(vals, f64);
        const v = guarded(vals.map(Math.abs), f64);
        const dtype = f64 ? "float64" : "float32";
        const outs = [
          binaryWasm("add", a, [n], b, [n], [n], dtype),
          unaryWasm("exp", a, dtype),
          unaryWasm("relu", a, dtype),
          softmaxWasm(a, 1, n, dtype, false),
          reduceWasm("sum", a, [n], [0], dtype),
          reduceWasm("max", a, [1, n], [1], dtype),
        ];
        adamWasm(p, a, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 3 });
        sgdWasm(p, a, m, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, firstStep: false });
        for (const g of guards) for (let i = 0; i < g.length; i++) if (g[i] !== -7.5) expect.fail(`guard overwritten at n = ${n} (${dtype})`);
        for (const x of [a, b, p, m, v, ...outs]) if (x) freeArenaArray(x);
        for (const g of guards.splice(0)) freeArenaArray(g);
      }),
    );
  });

  it("setCpuArenaBytes(0) keeps every tensor in ordinary arrays; it refuses while tensors live in the arena", () => {
    const x = T.ones([1024]);
    expect(() => T.setCpuArenaBytes(1 << 20)).toThrow(T.ArgumentError);
    x.dispose();
    try {
      T.setCpuArenaBytes(0);
      const y = T.ones([1024]).mul(2);
      expect(residentOffset(dataOf(y))).toBe(-1);
      expect(y.sum().item()).toBe(2048);
    } finally {
      T.setCpuArenaBytes(T.DEFAULT_ARENA_BYTES);
    }
    expect(() => T.setCpuArenaBytes(-1)).toThrow(T.ArgumentError);
    expect(residentOffset(dataOf(T.ones([1024])))).toBeGreaterThanOrEqual(0);
  });
});
