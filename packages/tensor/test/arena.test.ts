import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import * as T from "../src";
import { BLOCK_ALIGN, BlockAllocator, blockBytes } from "../src/backend/cpu/block-allocator";
import { ARENA_MIN_BYTES, arena, arenaArray, freeArenaArray, residentOffset, setArenaCanaries, setArenaMinBytes } from "../src/backend/cpu/arena";
import { dataOf } from "../src/backend/cpu/storage";
import { collectGarbage } from "./gc";
import { binaryWasm } from "../src/backend/cpu/binary-wasm";
import { unaryWasm } from "../src/backend/cpu/unary-wasm";
import { softmaxWasm } from "../src/backend/cpu/softmax-wasm";
import { reduceWasm } from "../src/backend/cpu/reduce-wasm";
import { adamWasm, sgdWasm } from "../src/backend/cpu/optim-wasm";
import { COMPARE_CHUNK, COMPARE_WASM_MIN, compareWasm, setCompareWasmTuning, whereWasm } from "../src/backend/cpu/compare-wasm";

afterEach(() => {
  setArenaMinBytes(ARENA_MIN_BYTES);
  setCompareWasmTuning(COMPARE_CHUNK, COMPARE_WASM_MIN);
});

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

  it("gets the blocks of forgotten tensors back once the collector finalizes them", async () => {
    await collectGarbage();
    const before = T.memory().storage.cpu!.arena!.liveBytes;
    (() => {
      // Created outside any tidy and dropped: only the finalization registry can release them.
      for (let i = 0; i < 20; i++) T.ones([1024]).mul(i);
    })();
    expect(T.memory().storage.cpu!.arena!.liveBytes - before).toBeGreaterThanOrEqual(20 * 4096);
    await collectGarbage();
    expect(T.memory().storage.cpu!.arena!.liveBytes).toBe(before);
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

  it("runs every in-place kernel inside its blocks: canaries after every block stay untouched", () => {
    setArenaMinBytes(0);
    setArenaCanaries(128);
    setCompareWasmTuning(COMPARE_CHUNK, 1);
    try {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 67 }), fc.boolean(), (n, f64) => {
          const dtype = f64 ? "float64" : "float32";
          const make = (f: (i: number) => number) => {
            const x = arenaArray(dtype, n) as Float32Array | Float64Array;
            for (let i = 0; i < n; i++) x[i] = f(i);
            return x;
          };
          const a = make((i) => ((i * 7) % 11) - 5 + 0.25);
          const b = make((i) => ((i * 5) % 13) - 6);
          const p = make((i) => i / 7);
          const m = make((i) => 0.1 * i);
          const v = make((i) => 0.01 * i);
          const outs = [
            binaryWasm("add", a, [n], b, [n], [n], dtype),
            unaryWasm("exp", a, dtype),
            unaryWasm("relu", a, dtype),
            softmaxWasm(a, 1, n, dtype, false),
            reduceWasm("sum", a, [n], [0], dtype),
            reduceWasm("max", a, [1, n], [1], dtype),
          ];
          const cond = compareWasm("less", a, [n], b, [n], [n])!;
          expect(residentOffset(cond)).toBeGreaterThanOrEqual(0);
          outs.push(cond, whereWasm(cond, [n], a, [n], b, [n], [n], dtype));
          adamWasm(p, a, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 3 });
          sgdWasm(p, a, m, { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.01, firstStep: false });
          // Freeing checks each block's canary (and throws if a kernel overwrote it).
          for (const x of [a, b, p, m, v, ...outs]) if (x) freeArenaArray(x);
        }),
      );
    } finally {
      setArenaCanaries(0);
    }
  });

  it("canaries catch a write past a block", () => {
    setArenaMinBytes(0);
    setArenaCanaries(64);
    try {
      const x = arenaArray("float32", 10) as Float32Array;
      new Float32Array(x.buffer, x.byteOffset, 17)[16] = 1; // past the 64-byte block of 10 floats
      expect(() => freeArenaArray(x)).toThrow(/wrote past the block of 10 elements .*canary byte 0 changed/);
      setArenaCanaries(0);
      freeArenaArray(x);
    } finally {
      setArenaCanaries(0);
    }
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
