import type { GradNode } from "./autograd/node.js";
import type { Storage } from "./backend/backend.js";
import type { Tensor } from "./tensor.js";

/**
 * How long a tensor's storage lives. The caller ends a tensor's life with `dispose`/`tidy`
 * (or forgets it, and a FinalizationRegistry ends it after garbage collection); the storage
 * goes back to its backend only once no tape node can still read it in backward, as in
 * PyTorch, where the graph's saved tensors outlive the caller's handles.
 *
 * The state sits in a record apart from the Tensor because the registry's held value must
 * not reference the tensor it watches.
 */
export class Lifetime {
  /** Null once released to the backend. */
  storage: Storage | null;
  /** The tape entry that produced the tensor (null for leaves, and once released). */
  node: GradNode | null = null;
  /** Ended by the caller (dispose, tidy, or collected): only backward may still read it. */
  disposed = false;
  /** Live tape nodes that list the tensor as an input (plus a running backward's hold). */
  graphUses = 0;
  /** Registered with the finalization registry. */
  watched = false;

  constructor(storage: Storage) {
    this.storage = storage;
  }
}

let liveTensors = 0;

/** Tensors created and not yet disposed or collected. */
export function liveTensorCount(): number {
  return liveTensors;
}

/** Called once per new tensor. */
export function beginLifetime(): void {
  liveTensors++;
}

/** The caller is done with the tensor: release it now unless the graph still reads it. */
export function endLifetime(life: Lifetime): void {
  if (life.disposed) return;
  life.disposed = true;
  liveTensors--;
  if (life.graphUses === 0) release(life);
}

// Tensors a caller forgot: collected without dispose, their storage (and graph) is released.
// Disposed tensors are not unregistered (that costs more than a late no-op callback), so the
// callback checks `disposed`: a storage is never released twice.
const registry = new FinalizationRegistry<Lifetime>(endLifetime);

/**
 * Watches a tensor that no `tidy` will dispose (made outside every scope, returned from the
 * outermost one, or kept). Tensors that a tidy disposes are never registered: that keeps the
 * registry's cost off the training loop's intermediates.
 */
export function watch(tensor: Tensor): void {
  const life = tensor.life;
  if (life.watched || life.disposed) return;
  life.watched = true;
  registry.register(tensor, life);
}

/** Records `node` as `tensor`'s tape entry: its inputs stay readable until the node is freed. */
export function attachNode(tensor: Tensor, node: GradNode): void {
  for (const input of node.inputs) input.life.graphUses++;
  tensor.life.node = node;
}

/** A freed tape entry: it names the op for the error a second backward raises. */
export function freedNode(node: GradNode): GradNode {
  return { primitive: node.primitive, inputs: [], attrs: undefined, freed: true };
}

/**
 * Frees a tensor's tape entry after backward used it (PyTorch frees saved tensors unless
 * retain_graph): its inputs lose this hold, and those the caller disposed are released.
 */
export function freeNode(tensor: Tensor): void {
  const life = tensor.life;
  const node = life.node;
  if (node === null || node.freed) return;
  life.node = freedNode(node);
  const pending: Lifetime[] = [];
  dropUses(node, pending);
  releaseAll(pending);
}

/** Adds a running backward's hold, so freeing a consumer's node cannot release a tensor it has yet to visit. */
export function hold(tensor: Tensor): void {
  tensor.life.graphUses++;
}

/** Drops that hold. */
export function unhold(tensor: Tensor): void {
  const life = tensor.life;
  if (--life.graphUses === 0 && life.disposed) release(life);
}

function release(life: Lifetime): void {
  releaseAll([life]);
}

/** Releases storages and tape entries, following inputs that nothing else holds (iteratively: graphs can be deep). */
function releaseAll(pending: Lifetime[]): void {
  for (let life = pending.pop(); life !== undefined; life = pending.pop()) {
    const storage = life.storage;
    if (storage !== null) {
      life.storage = null;
      if (--storage.refCount === 0) storage.backend.free(storage);
    }
    const node = life.node;
    life.node = null;
    if (node !== null && !node.freed) dropUses(node, pending);
  }
}

function dropUses(node: GradNode, pending: Lifetime[]): void {
  for (const input of node.inputs) {
    const life = input.life;
    if (--life.graphUses === 0 && life.disposed) pending.push(life);
  }
}

let savedTensorReaders = 0;

/** Whether backward is running rules, which may read tensors the caller disposed but the graph kept. */
export function readingSavedTensors(): boolean {
  return savedTensorReaders > 0;
}

/** Runs `fn` (gradient rules) with read access to the graph's saved tensors. */
export function withSavedTensors<T>(fn: () => T): T {
  savedTensorReaders++;
  try {
    return fn();
  } finally {
    savedTensorReaders--;
  }
}
