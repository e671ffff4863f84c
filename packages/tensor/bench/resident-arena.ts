/**
 * Prototype of wasm-resident CPU storage (docs/storage.md): tensor data lives in one WebAssembly
 * memory, a small allocator hands out 64-byte-aligned blocks, and the existing elementwise kernels
 * (the `ELEMENTWISE_WASM` module the CPU backend already runs) are called on those blocks directly,
 * with no copy in or out. It exists to measure what such storage would give (bench/resident.ts) and
 * to check that it computes what the public ops compute (test/resident-prototype.test.ts); the
 * engine does not use it.
 */
import { ELEMENTWISE_WASM } from "../src/backend/cpu/gemm/wasm-bytes";

/** The elementwise module's exports that the prototype calls (see tools/build-wasm/elementwise). */
interface ResidentExports {
  binary(op: number, f64: number, col: number, swap: number, x: number, v: number, out: number, rows: number, n: number): void;
  unary(op: number, f64: number, x: number, out: number, n: number): void;
  sumRows32(x: number, rows: number, n: number, st: number, init: number): void;
  finishSums32(st: number, rows: number, out: number, bad: number): number;
  scratchBase(): number;
}

const PAGE = 65536;
/** Block alignment: a cache line, so blocks never share one and every f32x4/f64x2 load is aligned. */
export const BLOCK_ALIGN = 64;

/** The embedded module bytes (unshared imported memory). */
export function elementwiseBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(ELEMENTWISE_WASM);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

export interface ArenaOptions {
  /** Module bytes; a module compiled with `--sharedMemory` needs `shared: true`. Default: the embedded unshared build. */
  bytes?: BufferSource;
  /** A shared memory (SharedArrayBuffer: views never detach on growth). */
  shared?: boolean;
  /** Initial size in bytes (default 1 MiB). */
  initialBytes?: number;
  /** Maximum size in bytes (shared memories need one; default 1 GiB). */
  maximumBytes?: number;
}

/**
 * One wasm memory holding tensor data. Blocks are rounded up to {@link BLOCK_ALIGN} bytes and kept
 * on exact-size free lists when freed (training loops allocate the same sizes every step); new
 * blocks come from the top, and the memory grows when the top passes its end.
 */
export class ResidentArena {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  private readonly k: ResidentExports;
  /** A small scratch area for the sum's state, result and "redo" list. */
  private readonly scratch: number;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private readonly blockBytes = new Map<number, number>();
  /** Views of the whole memory; re-created after a growth detached them (unshared memory). */
  f32!: Float32Array;
  i32!: Int32Array;
  /** Bytes of live blocks (rounded sizes). */
  liveBytes = 0;

  constructor(options: ArenaOptions = {}) {
    this.shared = options.shared ?? false;
    const initial = Math.ceil((options.initialBytes ?? 1 << 20) / PAGE);
    const maximum = Math.ceil((options.maximumBytes ?? 1 << 30) / PAGE);
    this.memory = new WebAssembly.Memory(this.shared ? { initial, maximum, shared: true } : { initial, maximum });
    const module = new WebAssembly.Module(options.bytes ?? elementwiseBytes());
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as ResidentExports;
    // Blocks start above the module's static data and its constant table.
    this.scratch = align(this.k.scratchBase());
    this.top = this.scratch + BLOCK_ALIGN;
    this.refreshViews();
  }

  private refreshViews(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /** A block of at least `bytes` bytes, 64-byte aligned; returns its byte offset. */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 1));
    const reused = this.freeLists.get(size)?.pop();
    let at: number;
    if (reused !== undefined) at = reused;
    else {
      at = this.top;
      this.ensure(at + size);
      this.top = at + size;
    }
    this.blockBytes.set(at, size);
    this.liveBytes += size;
    return at;
  }

  /** Returns a block to its free list. */
  free(at: number): void {
    const size = this.blockBytes.get(at);
    if (size === undefined) throw new Error(`ResidentArena.free: no live block at ${at}`);
    this.blockBytes.delete(at);
    this.liveBytes -= size;
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(at);
  }

  /** Grows the memory to at least `end` bytes (an unshared memory's views are re-created). */
  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    this.memory.grow(Math.ceil((end - have) / PAGE));
    if (!this.shared || this.f32.byteLength < end) this.refreshViews();
  }

  /** Copies a float32 array into a new block (what `tensor(data)` would do). */
  fromFloat32(data: Float32Array): number {
    const at = this.alloc(data.byteLength);
    this.f32.set(data, at >> 2);
    return at;
  }

  /** A copy of `length` float32 elements at `at` (what `dataSync()` would return). */
  toFloat32(at: number, length: number): Float32Array {
    return this.f32.slice(at >> 2, (at >> 2) + length);
  }

  /** out = a + b, both `n` float32 elements: a new block. */
  add(a: number, b: number, n: number): number {
    const out = this.alloc(n * 4);
    this.k.binary(0, 0, 0, 0, a, b, out, 1, n);
    return out;
  }

  /** out[i, j] = a[i, j] + row[j] over rows×n float32 elements: a new block. */
  addRow(a: number, row: number, rows: number, n: number): number {
    const out = this.alloc(rows * n * 4);
    this.k.binary(0, 0, 0, 0, a, row, out, rows, n);
    return out;
  }

  /** out = exp(x) over n float32 elements (the kernel works on whole vectors; blocks are padded to 64 bytes). */
  exp(x: number, n: number): number {
    const out = this.alloc(n * 4);
    this.k.unary(0, 0, x, out, n);
    return out;
  }

  /**
   * The float32 sum of n float32 elements, equal to the sequential float64 sum rounded (the JS
   * loop's result): the kernel's bounded SIMD sum, redone in order when the bound cannot settle it.
   */
  sum(x: number, n: number): number {
    const st = this.scratch;
    const k = this.k;
    k.sumRows32(x, 1, n, st, 1);
    const redo = k.finishSums32(st, 1, st + 16, st + 20);
    if (redo === 0) return this.f32[(st + 16) >> 2];
    const f32 = this.f32;
    let s = 0;
    for (let j = x >> 2, end = j + n; j < end; j++) s += f32[j];
    return Math.fround(s);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN;
}
