import { instantiateGemm, MAX_PAGES, type GemmExports } from "./module";

/** Bytes kept free at the bottom of wasm memory (the module's stack/static area). */
const RESERVED = 65536;
const PAGE = 65536;

/** Rounds up to a 64-byte (cache line) boundary. */
export function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/**
 * The shared wasm memory with typed views over it and the main thread's instance.
 * Layout: [reserved][pinned workspaces][per-thread packing scratch × threads][A][B][C].
 */
export class GemmHeap {
  readonly memory: WebAssembly.Memory;
  readonly exports: GemmExports;
  /** Scratch bytes per thread (enough for either precision). */
  readonly workBytes: number;
  f32: Float32Array;
  f64: Float64Array;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES, shared: true });
    this.exports = instantiateGemm(this.memory);
    this.workBytes = align64(Math.max(this.exports.sgemmWorkBytes(), this.exports.dgemmWorkBytes()));
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
  }

  /** Bytes held by open workspaces (see workspace.ts), kept below the scratch and the operands. */
  pinned = 0;

  /** Byte offset of thread `t`'s scratch. */
  work(t: number): number {
    return RESERVED + this.pinned + t * this.workBytes;
  }

  /** First byte after the scratch of `threads` threads. */
  dataBase(threads: number): number {
    return RESERVED + this.pinned + threads * this.workBytes;
  }

  /** Reserves `bytes` (a multiple of 64) above the open workspaces; returns their byte offset, or −1 when memory is exhausted. */
  pin(bytes: number): number {
    const base = RESERVED + this.pinned;
    if (!this.ensure(base + bytes)) return -1;
    this.pinned += bytes;
    return base;
  }

  /** Releases the last `bytes` pinned. */
  unpin(bytes: number): void {
    this.pinned -= bytes;
  }

  /** Grows the memory to at least `bytes`; false when that exceeds the maximum. */
  ensure(bytes: number): boolean {
    const have = this.f32.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    this.memory.grow(pages);
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    return true;
  }
}

let heap: GemmHeap | undefined;

/** The process-wide (per JS thread) heap, created on first use. */
export function gemmHeap(): GemmHeap {
  heap ??= new GemmHeap();
  return heap;
}
