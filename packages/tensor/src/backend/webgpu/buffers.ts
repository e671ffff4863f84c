/// <reference types="@webgpu/types" />
import { checkAllocation } from "../../allocation.js";
import type { DType } from "../../dtype.js";
import type { Backend, Storage } from "../backend.js";
import { type HalfStorage, storageBytes, wgslType } from "./elements.js";

// GPUBufferUsage / GPUMapMode values (the globals do not exist in Node).
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

/** WebGPU storage: one GPU buffer; 4 bytes per element (bool as u32), 2 for float16 in f16 buffers. */
export interface GpuStorage extends Storage {
  readonly buffer: GPUBuffer;
  /** Bytes the elements use (the buffer may be larger: pool size classes). */
  readonly bytes: number;
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
    /** Where float16 elements live (f16: 2 bytes each). */
    readonly halfStorage: HalfStorage = "f32",
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
    checkAllocation("allocate", [size]);
    const bytes = storageBytes(dtype, size, this.halfStorage);
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
