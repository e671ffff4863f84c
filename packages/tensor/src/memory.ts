import type { Device, StorageStats } from "./backend/backend.js";
import { getBackend } from "./backend/registry.js";
import { liveTensorCount, watch } from "./lifetime.js";
import type { Tensor } from "./tensor.js";

/**
 * Tensor lifetimes. GPU memory is not garbage collected, and CPU arrays are worth reusing,
 * so every tensor can be disposed explicitly, and `tidy` disposes what a function created
 * and did not return; a tensor nobody disposes is released after garbage collection
 * (lifetime.ts). `memory()` counts live tensors and what their storages hold.
 */

const scopes: Tensor[][] = [];

/** Called by the Tensor constructor: the innermost scope will dispose it, or finalization will. */
export function trackTensor(tensor: Tensor): void {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(tensor);
  else watch(tensor);
}

/**
 * Runs `fn` and disposes every tensor it created except those in its result (a tensor, or
 * tensors inside an array or a plain object) and those passed to `keep`. If `fn` throws,
 * everything it created (except kept tensors) is disposed before the error propagates.
 *
 * @example
 * const y = tidy(() => x.mul(2).add(1).sum()); // the intermediate x*2 is freed
 */
export function tidy<T>(fn: () => T): T {
  scopes.push([]);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // Nothing is returned: free everything the scope made (GPU memory is not collected).
    for (const t of scopes.pop()!) {
      if (t.isKept) watch(t);
      else t.dispose();
    }
    throw error;
  }
  const created = scopes.pop()!;
  const returned = new Set<Tensor>();
  collectTensors(result, returned, 0);
  const parent = scopes[scopes.length - 1];
  for (const t of created) {
    if (t.isDisposed) continue;
    // Kept tensors and results leaving the outermost scope are no scope's to dispose.
    if (t.isKept || (returned.has(t) && !parent)) watch(t);
    else if (returned.has(t)) parent!.push(t);
    else t.dispose();
  }
  return result;
}

/** Hands a tensor to the innermost open `tidy` scope (for tensors made inside a closed one). */
export function adoptIntoScope(tensor: Tensor): void {
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(tensor);
  else watch(tensor);
}

/** Exempts a tensor from every enclosing `tidy`. */
export function keep<T extends Tensor>(tensor: T): T {
  tensor.isKept = true;
  return tensor;
}

/** Disposes tensors found in `value` (a tensor, an array or an object of them). */
export function dispose(value: unknown): void {
  const found = new Set<Tensor>();
  collectTensors(value, found, 0);
  for (const t of found) t.dispose();
}

export interface MemoryInfo {
  /** Tensors created and not yet disposed (nor collected). */
  tensors: number;
  /** Element bytes held by live storages, per device (a storage the graph keeps for backward counts). */
  bytes: Partial<Record<Device, number>>;
  /** Live and pooled arrays as they really cost, per device that pools them (the CPU). */
  storage: Partial<Record<Device, StorageStats>>;
}

/** Live tensor count, bytes per device, and the CPU's live and pooled arrays. */
export function memory(): MemoryInfo {
  const bytes: Partial<Record<Device, number>> = {};
  const storage: Partial<Record<Device, StorageStats>> = {};
  for (const device of ["cpu", "webgpu"] as const) {
    try {
      const backend = getBackend(device);
      bytes[device] = backend.bytesInUse();
      const stats = backend.storageStats?.();
      if (stats) storage[device] = stats;
    } catch {
      // backend not registered
    }
  }
  return { tensors: liveTensorCount(), bytes, storage };
}

function isTensorLike(value: unknown): value is Tensor {
  return typeof value === "object" && value !== null && (value as { isTensor?: boolean }).isTensor === true;
}

function collectTensors(value: unknown, into: Set<Tensor>, depth: number): void {
  if (depth > 4 || value === null || typeof value !== "object") return;
  if (isTensorLike(value)) {
    into.add(value);
    return;
  }
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const item of items) collectTensors(item, into, depth + 1);
}
