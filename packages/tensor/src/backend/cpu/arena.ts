import type { DType, TypedArray } from "../../dtype.js";
import type { ArenaStats } from "../backend.js";
import { ArgumentError } from "../../errors.js";
import { BlockAllocator, blockBytes } from "./block-allocator.js";
import type { KernelExports } from "./kernel-heap.js";
import type { MathExports } from "./math-heap.js";
import type { BinaryKernel } from "./binary-wasm.js";
import { type GemmExports, elementwiseModule, unsharedGemmModule } from "./gemm/module.js";

/**
 * CPU tensor storage resident in WebAssembly memory (docs/storage.md): one memory of a fixed size,
 * reserved once and never grown — the pages are only committed when touched, and a memory that
 * never grows never detaches the typed-array views that storages hold, so every JavaScript kernel
 * keeps reading plain typed arrays. The elementwise module runs a second instance over this memory,
 * so its kernels read and write tensors in place instead of copying them through their own memory.
 *
 * A tensor whose block does not fit (the arena is full, or the array is small) gets an ordinary
 * typed array, as before; the kernels copy such operands through, and results are the same either
 * way. The arena only ever holds what `dispose`, `tidy` or the finalization registry give back, so
 * a loop that forgets tensors fills it up to its size and then runs on ordinary arrays until the
 * collector frees the forgotten ones.
 */

/** Default arena size: address space reserved at first use, committed page by page when touched. */
export const DEFAULT_ARENA_BYTES = 1024 * 1024 * 1024;
/** Arrays smaller than this stay ordinary typed arrays (the wasm kernels skip most of them anyway). */
export const ARENA_MIN_BYTES = 256;
let minBytes = ARENA_MIN_BYTES;

/** For tests: the smallest array placed in the arena (tiny arrays exercise the kernels' tails in place). */
export function setArenaMinBytes(bytes: number): void {
  minBytes = bytes;
}
/** Bytes at the bottom of the memory for the module's static data, constant tables and small scratch. */
export const ARENA_STATIC_BYTES = 65536;
/** Within it, the gemm module's static data starts here (its unshared build's `--memoryBase`), the elementwise module's below. */
const GEMM_MEMORY_BASE = 32768;
const PAGE = 65536;
/**
 * Bytes kept unallocated at the top: a kernel may load a few vectors past the end of its input (the
 * lanes are never used), which must not leave the memory.
 */
const TOP_GUARD = 256;

export type ArenaExports = KernelExports & MathExports & { binary: BinaryKernel };

export interface Arena {
  readonly memory: WebAssembly.Memory;
  /** The memory's buffer: never grown, so never replaced. */
  readonly buffer: ArrayBuffer;
  readonly exports: ArenaExports;
  readonly blocks: BlockAllocator;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
}

let requestedBytes = DEFAULT_ARENA_BYTES;
let instance: Arena | null | undefined;

const VIEW: Record<DType, new (buffer: ArrayBuffer, offset: number, length: number) => TypedArray> = {
  float16: Float32Array,
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
};
const ELEMENT_BYTES: Record<DType, number> = { float16: 4, float32: 4, float64: 8, int32: 4, bool: 1 };

/** Builds the arena, or null where the runtime refuses the memory (then storage stays in typed arrays). */
function create(bytes: number): Arena | null {
  if (bytes <= ARENA_STATIC_BYTES) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
  } catch {
    return null;
  }
  const exports = new WebAssembly.Instance(elementwiseModule(), { env: { memory } }).exports as unknown as ArenaExports;
  if (exports.scratchBase() + 4096 > GEMM_MEMORY_BASE) throw new Error("CPU arena: the elementwise module's static area reached the gemm's");
  const buffer = memory.buffer;
  return {
    memory,
    buffer,
    exports,
    blocks: new BlockAllocator(ARENA_STATIC_BYTES, buffer.byteLength - TOP_GUARD),
    f32: new Float32Array(buffer),
    f64: new Float64Array(buffer),
    i32: new Int32Array(buffer),
  };
}

/** The arena, created at first use; null when it is off or unavailable. */
export function arena(): Arena | null {
  if (instance === undefined) instance = create(requestedBytes);
  return instance;
}

/**
 * Sets the size of the CPU arena (bytes of address space; 0 turns resident storage off, and every
 * tensor gets an ordinary typed array). Takes effect only while no tensor lives in the arena: the
 * old memory is dropped and the next allocation reserves the new size.
 */
export function setCpuArenaBytes(bytes: number): void {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0 || bytes > 4 * 1024 ** 3) {
    throw new ArgumentError(`setCpuArenaBytes: bytes must be a number in [0, 4 GiB], got ${String(bytes)}`, "bytes");
  }
  if (instance && instance.blocks.liveBlocks > scratchBlocks()) {
    throw new ArgumentError(`setCpuArenaBytes: ${instance.blocks.liveBlocks - scratchBlocks()} tensors still live in the CPU arena; dispose them first`, "bytes");
  }
  requestedBytes = bytes;
  instance = undefined;
  gemm = undefined;
  scratch.clear();
}

/** Canary bytes after every block (0: none); see {@link setArenaCanaries}. */
let canaryBytes = 0;
/** Canary byte i after the block at `offset`: different per block, so a kernel copying one block's canary over another's is caught. */
const canaryByte = (offset: number, i: number) => (((offset >>> 6) * 31 + i) & 255) ^ 0xa5;

/**
 * For tests: puts `bytes` bytes of a fixed pattern after every new block (beyond the padding that
 * kernels may write) and checks them when the block is freed, throwing if a kernel wrote past its
 * block. 0 turns it off.
 */
export function setArenaCanaries(bytes: number): void {
  canaryBytes = bytes;
}

/** A view of a new block for `size` elements of `dtype` (contents arbitrary), or null. */
export function arenaArray(dtype: DType, size: number): TypedArray | null {
  const bytes = size * ELEMENT_BYTES[dtype];
  if (bytes < minBytes || size === 0) return null;
  const a = instance === undefined ? arena() : instance;
  if (a === null) return null;
  const offset = a.blocks.alloc(canaryBytes === 0 ? bytes : blockBytes(bytes) + canaryBytes);
  if (offset < 0) return null;
  if (canaryBytes !== 0) {
    const tail = new Uint8Array(a.buffer, offset + blockBytes(bytes), canaryBytes);
    for (let i = 0; i < canaryBytes; i++) tail[i] = canaryByte(offset, i);
  }
  return new VIEW[dtype](a.buffer, offset, size);
}

/** Throws if the canary after an array's block (when canaries are on) was overwritten. */
function checkCanary(a: Arena, array: TypedArray): void {
  const end = array.byteOffset + blockBytes(array.byteLength);
  const size = a.blocks.sizeOf(array.byteOffset)!;
  const tail = new Uint8Array(a.buffer, end, array.byteOffset + size - end);
  for (let i = 0; i < tail.length; i++) {
    if (tail[i] !== canaryByte(array.byteOffset, i)) throw new Error(`CPU arena: a kernel wrote past the block of ${array.length} elements at ${array.byteOffset} (canary byte ${i} changed)`);
  }
}

/** Byte offset of an array resident in the arena, or -1 for an ordinary typed array. */
export function residentOffset(array: TypedArray): number {
  return instance && array.buffer === instance.buffer ? array.byteOffset : -1;
}

/** Gives an arena array's block back; false (nothing done) for an ordinary typed array. */
export function freeArenaArray(array: TypedArray): boolean {
  if (!instance || array.buffer !== instance.buffer) return false;
  if (canaryBytes !== 0) checkCanary(instance, array);
  instance.blocks.free(array.byteOffset);
  return true;
}

let gemm: { exports: GemmExports; work: number } | null | undefined;

/**
 * The gemm kernels instantiated over the arena with their packing scratch, for single-thread
 * products of resident operands in place; null when the arena is off or has no room for the scratch.
 */
export function arenaGemm(): { exports: GemmExports; work: number } | null {
  if (gemm !== undefined) return gemm;
  const a = arena();
  if (a === null) return (gemm = null);
  const exports = new WebAssembly.Instance(unsharedGemmModule(), { env: { memory: a.memory } }).exports as unknown as GemmExports;
  const work = arenaScratch(a, "gemm", Math.max(exports.sgemmWorkBytes(), exports.dgemmWorkBytes()));
  gemm = work < 0 ? null : { exports, work };
  return gemm;
}

/** Kernel scratch: one block per name, kept and grown as needed (reduction state, say). */
const scratch = new Map<string, { offset: number; bytes: number }>();
const scratchBlocks = () => scratch.size;

/** Byte offset of the scratch block `name` of at least `bytes` bytes (the arena must exist). */
export function arenaScratch(a: Arena, name: string, bytes: number): number {
  const have = scratch.get(name);
  if (have && have.bytes >= bytes) return have.offset;
  if (have) a.blocks.free(have.offset);
  const offset = a.blocks.alloc(bytes);
  if (offset < 0) {
    scratch.delete(name);
    return -1;
  }
  scratch.set(name, { offset, bytes: blockBytes(bytes) });
  return offset;
}

/** The arena's use, for `memory()`. */
export function arenaStats(): ArenaStats {
  if (!instance) return { reservedBytes: 0, liveBytes: 0, liveBlocks: 0, freeBytes: 0, touchedBytes: 0 };
  const b = instance.blocks;
  return {
    reservedBytes: instance.buffer.byteLength,
    liveBytes: b.liveBytes,
    liveBlocks: b.liveBlocks,
    freeBytes: b.end - b.base - b.liveBytes,
    touchedBytes: b.peakTop,
  };
}
