import type { DType, TypedArray } from "../dtype.js";
import type { PrimitiveAttrs, PrimitiveName } from "../ops/primitives.js";
import type { Shape } from "../shape.js";

/** Where a tensor's elements live. */
export type Device = "cpu" | "webgpu";

/**
 * A block of elements owned by a backend. Several tensors may share one storage (views
 * made by reshape); it is freed when the last of them is disposed.
 */
export interface Storage {
  readonly backend: Backend;
  readonly dtype: DType;
  readonly size: number;
  /** Number of live tensors using this storage. */
  refCount: number;
}

/** What a kernel sees of each input tensor. */
export interface TensorInfo {
  readonly storage: Storage;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a kernel must produce. */
export interface OutputInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** One kernel per primitive; shape and dtype rules are computed before the call. */
export type Kernel<P extends PrimitiveName> = (inputs: TensorInfo[], out: OutputInfo, attrs: PrimitiveAttrs[P]) => Storage;

/** Kernels a backend must provide: every primitive except `reshape`, which is a view. */
export type KernelTable = { [P in Exclude<PrimitiveName, "reshape">]: Kernel<P> };

/**
 * The interface a backend implements: memory (upload, read, free) and one kernel per
 * primitive. Ops and gradient rules are shared by every backend.
 */
export interface Backend {
  readonly device: Device;
  /** Takes a host array (the backend may keep it, so the caller must not reuse it). */
  upload(data: TypedArray, dtype: DType): Storage;
  /** Synchronous read, where the device allows it (CPU). */
  readSync?(storage: Storage): TypedArray;
  /** Reads the elements back to the host. */
  read(storage: Storage): Promise<TypedArray>;
  /** Releases the storage (called when its refCount reaches 0). */
  free(storage: Storage): void;
  /** Bytes held by live storages of this backend. */
  bytesInUse(): number;
  /** Live and pooled storage counted by what it really costs (backends that pool host arrays). */
  storageStats?(): StorageStats;
  /**
   * A zero-filled host array that `upload` may take over; the CPU backend draws it from its
   * pool, so creation ops reuse disposed arrays as kernels do.
   */
  hostArray?(dtype: DType, size: number): TypedArray;
  readonly kernels: KernelTable;
  /** Optional fused in-place optimizer steps; ops fall back to primitives without them. */
  readonly fused?: FusedKernels;
}

/** A backend's storage as it really costs: arrays and their bytes, live and pooled. */
export interface StorageStats {
  /** Arrays behind live storages (views share one). */
  readonly liveArrays: number;
  /** Their bytes: elements plus a fixed per-array overhead (`ARRAY_OVERHEAD_BYTES`). */
  readonly liveBytes: number;
  /** Disposed arrays kept for reuse. */
  readonly pooledArrays: number;
  /** Their bytes, counted as live bytes are; never above `poolLimitBytes`. */
  readonly pooledBytes: number;
  /** The pool's bound (`setStoragePoolLimit`). */
  readonly poolLimitBytes: number;
  /**
   * The CPU's wasm arena (resident storage): address space reserved, bytes in live blocks (tensors'
   * data, also in `liveBytes`, and the kernels' scratch), free bytes, and the bytes it has touched
   * (its peak: wasm memory never shrinks).
   */
  readonly arena?: ArenaStats;
}

/** See {@link StorageStats.arena}. */
export interface ArenaStats {
  readonly reservedBytes: number;
  readonly liveBytes: number;
  readonly liveBlocks: number;
  readonly freeBytes: number;
  readonly touchedBytes: number;
}

/** Hyper-parameters of one Adam/AdamW step; `step` counts from 1. */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW (decay applied to the weights) instead of L2 added to the gradient. */
  readonly decoupled: boolean;
  readonly step: number;
}

/** Hyper-parameters of one SGD step (PyTorch semantics). */
export interface SgdHyper {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** True on the first step: the momentum buffer starts as the gradient. */
  readonly firstStep: boolean;
}

/**
 * Optimizer updates that write parameters and state in place, one pass over memory
 * (as PyTorch's fused optimizers do). Not differentiable, never on the tape.
 */
export interface FusedKernels {
  adam(param: Storage, grad: Storage, m: Storage, v: Storage, hyper: AdamHyper): void;
  /** `momentum` is the velocity buffer (ignored when hyper.momentum is 0). */
  sgd(param: Storage, grad: Storage, momentum: Storage, hyper: SgdHyper): void;
}
