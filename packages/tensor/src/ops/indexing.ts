import { DTypeError, ShapeError, formatShape, ArgumentError } from "../errors.js";
import { normalizeAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { apply, fromHost } from "./dispatch.js";
import { equal, cast } from "./elementwise.js";
import { promoteTypes } from "../dtype.js";
import { assertTensor } from "./validate.js";

function checkIndices(op: string, indices: Tensor): void {
  if (indices.dtype !== "int32") throw new DTypeError(`${op}: indices must be int32, got ${indices.dtype}`);
}

/**
 * Takes slices of `x` at integer `indices` along `axis` (tfjs `gather`, NumPy `take`):
 * output shape is x.shape[:axis] + indices.shape + x.shape[axis+1:]. Indices out of range
 * raise a ShapeError.
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  assertTensor(x, "gather", "x");
  assertTensor(indices, "gather", "indices");
  checkIndices("gather", indices);
  const a = normalizeAxis(axis, x.rank, "gather");
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return apply("gather", [x, indices], { axis: a }, shape, x.dtype);
}

/**
 * Adds `updates` into a copy of `target` at `indices` along `axis` (repeated indices
 * accumulate): the adjoint of `gather`. updates.shape must equal
 * target.shape[:axis] + indices.shape + target.shape[axis+1:].
 */
export function scatterAdd(target: Tensor, indices: Tensor, updates: Tensor, axis = 0): Tensor {
  assertTensor(target, "scatterAdd", "target");
  assertTensor(indices, "scatterAdd", "indices");
  assertTensor(updates, "scatterAdd", "updates");
  checkIndices("scatterAdd", indices);
  const a = normalizeAxis(axis, target.rank, "scatterAdd");
  const expected = [...target.shape.slice(0, a), ...indices.shape, ...target.shape.slice(a + 1)];
  if (updates.rank !== expected.length || updates.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `scatterAdd: updates ${formatShape(updates.shape)} must have shape ${formatShape(expected)} (target ${formatShape(target.shape)}, indices ${formatShape(indices.shape)}, axis ${a})`,
    );
  }
  const dtype = promoteTypes(target.dtype, updates.dtype);
  const t = target.dtype === dtype ? target : cast(target, dtype);
  const u = updates.dtype === dtype ? updates : cast(updates, dtype);
  return apply("scatterAdd", [t, indices, u], { axis: a }, target.shape, dtype);
}

/** One-hot encoding of int32 class indices: shape indices.shape + [depth], float32. */
export function oneHot(indices: Tensor, depth: number): Tensor {
  assertTensor(indices, "oneHot", "indices");
  checkIndices("oneHot", indices);
  if (!Number.isInteger(depth) || depth <= 0) throw new ArgumentError(`oneHot: depth must be a positive integer, got ${depth}`);
  // Where the indices are host-readable (CPU), reject out-of-range labels instead of
  // giving an all-zero row.
  if (indices.backend.readSync) {
    for (const v of indices.backend.readSync(indices.storage)) {
      if (v < 0 || v >= depth) throw new ArgumentError(`oneHot: index ${v} is outside [0, ${depth})`);
    }
  }
  const classes = fromHost(Int32Array.from({ length: depth }, (_, i) => i), [depth], "int32", indices);
  return cast(equal(indices.reshape([...indices.shape, 1]), classes), "float32");
}
