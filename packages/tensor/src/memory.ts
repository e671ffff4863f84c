import type { Device } from "./backend/backend.js";
import { getBackend } from "./backend/registry.js";
import type { Tensor } from "./tensor.js";

/**
 * Tensor lifetimes. CPU memory is garbage collected, but GPU memory is not, so every
 * tensor can be disposed explicitly, and `tidy` disposes what a function created and did
 * not return. `memory()` counts live (undisposed) tensors and the bytes their storages hold.
 */

let liveTensors = 0;
const scopes: Tensor[][] = [];

/** Called by the Tensor constructor. */
export function trackTensor(tensor: Tensor): void {
  liveTensors++;
  const scope = scopes[scopes.length - 1];
  if (scope) scope.push(tensor);
}

/** Called once per tensor when it is disposed. */
export function untrackTensor(): void {
  liveTensors--;
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
  let created: Tensor[];
  try {
    result = fn();
  } catch (error) {
    // Nothing is returned: free everything the scope made (GPU memory is not collected).
    for (const t of scopes.pop()!) if (!t.isKept) t.dispose();
    throw error;
  }
  created = scopes.pop()!;
  const returned = new Set<Tensor>();
  collectTensors(result, returned, 0);
  const parent = scopes[scopes.length - 1];
  for (const t of created) {
    if (t.isDisposed || t.isKept) continue;
    if (returned.has(t)) parent?.push(t);
    else t.dispose();
  }
  return result;
}

/** Hands a tensor to the innermost open `tidy` scope (for tensors made inside a closed one). */
export function adoptIntoScope(tensor: Tensor): void {
  scopes[scopes.length - 1]?.push(tensor);
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
  /** Tensors created and not yet disposed. */
  tensors: number;
  /** Bytes held by live storages, per device. */
  bytes: Partial<Record<Device, number>>;
}

/** Live tensor count and bytes per device. */
export function memory(): MemoryInfo {
  const bytes: Partial<Record<Device, number>> = {};
  for (const device of ["cpu", "webgpu"] as const) {
    try {
      bytes[device] = getBackend(device).bytesInUse();
    } catch {
      // backend not registered
    }
  }
  return { tensors: liveTensors, bytes };
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
