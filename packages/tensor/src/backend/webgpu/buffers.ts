/// <reference types="@webgpu/types" />
import type { DType } from "../../dtype.js";
import { DTypeError } from "../../errors.js";
import type { Backend, Storage } from "../backend.js";

// GPUBufferUsage / GPUMapMode values (the globals do not exist in Node).
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

/** WebGPU storage: one GPU buffer; every dtype uses 4 bytes per element (bool as u32). */
export interface GpuStorage extends Storage {
  readonly buffer: GPUBuffer;
  /** Bytes the elements use (the buffer may be larger: pool size classes). */
  readonly bytes: number;
}

/** The WGSL type that stores each dtype. float64 has none. */
export function wgslType(dtype: DType): "f32" | "i32" | "u32" {
  switch (dtype) {
    case "float32":
      return "f32";
    case "int32":
      return "i32";
    case "bool":
      return "u32";
    default:
      throw new DTypeError(`webgpu: ${dtype} is not available in WGSL; cast to float32 on the CPU first (tensor.cast("float32"))`);
  }
}

/** Pool size class: small buffers round up to 256 bytes, larger ones to a multiple of 4 KiB. */
function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  return Math.ceil(bytes / 4096) * 4096;
}

/**
 * Disposed buffers are kept per size class and handed out again: training loops
 * allocate the same shapes every step. Reuse is safe because every command runs on one
 * queue, in submission order.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private liveBytes = 0;
  private pooledBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly limitBytes = 256 * 1024 * 1024,
  ) {}

  /** Bytes held by live storages (what `memory().bytes.webgpu` reports). */
  get bytesInUse(): number {
    return this.liveBytes;
  }

  /** Bytes kept for reuse. */
  get bytesPooled(): number {
    return this.pooledBytes;
  }

  allocate(backend: Backend, dtype: DType, size: number): GpuStorage {
    wgslType(dtype);
    const bytes = size * 4;
    const cls = sizeClass(bytes);
    const list = this.free.get(cls);
    let buffer = list?.pop();
    if (buffer) this.pooledBytes -= cls;
    else buffer = this.device.createBuffer({ size: cls, usage: STORAGE_USAGE });
    this.liveBytes += bytes;
    return { backend, dtype, size, refCount: 1, buffer, bytes };
  }

  release(storage: GpuStorage): void {
    this.liveBytes -= storage.bytes;
    const cls = storage.buffer.size;
    if (this.pooledBytes + cls > this.limitBytes) {
      storage.buffer.destroy();
      return;
    }
    let list = this.free.get(cls);
    if (!list) this.free.set(cls, (list = []));
    list.push(storage.buffer);
    this.pooledBytes += cls;
  }

  /** Destroys every pooled buffer. */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }
}
