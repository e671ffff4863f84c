import { checkAllocation } from "../allocation.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import { assertShape, broadcastShapes, inferReshape, normalizeAxes, normalizeAxis, shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { apply, fromHost } from "./dispatch.js";
import { gather } from "./indexing.js";
import { promoteTypes } from "../dtype.js";
import { cast } from "./elementwise.js";
import { assertArray, assertTensor, assertTensors } from "./validate.js";

/** Same elements, new shape (a view: no copy). One dimension may be -1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, "reshape", "x");
  assertArray(shape, "reshape", "shape");
  const target = inferReshape(x.shape, shape, "reshape");
  if (shapesEqual(target, x.shape)) return x;
  return apply("reshape", [x], {}, target, x.dtype);
}

/** Reorders axes: output axis i is input axis perm[i]. */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  assertTensor(x, "permute", "x");
  assertArray(perm, "permute", "perm");
  if (perm.length !== x.rank) {
    throw new ShapeError(`permute: permutation [${perm.join(", ")}] has ${perm.length} axes, tensor ${formatShape(x.shape)} has ${x.rank}`);
  }
  const axes = perm.map((a) => normalizeAxis(a, x.rank, "permute"));
  if (new Set(axes).size !== axes.length) throw new ArgumentError(`permute: [${perm.join(", ")}] is not a permutation`);
  if (axes.every((a, i) => a === i)) return x;
  return apply("permute", [x], { perm: axes }, axes.map((a) => x.shape[a]), x.dtype);
}

/** Swaps two axes (the last two by default, i.e. the matrix transpose). */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  assertTensor(x, "transpose", "x");
  if (x.rank < 2) return x;
  const a = normalizeAxis(axis0, x.rank, "transpose");
  const b = normalizeAxis(axis1, x.rank, "transpose");
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/** Inserts a size-1 axis at `axis` (may be rank, to append). */
export function expandDims(x: Tensor, axis: number): Tensor {
  assertTensor(x, "expandDims", "x");
  const a = normalizeAxis(axis, x.rank + 1, "expandDims");
  const shape = x.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  assertTensor(x, "squeeze", "x");
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axis, x.rank, "squeeze");
  for (const a of axes) {
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Repeats size-1 axes (and prepends axes) to reach `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor(x, "broadcastTo", "x");
  assertShape(shape, "broadcastTo");
  const out = broadcastShapes("broadcastTo", x.shape, shape);
  if (!shapesEqual(out, shape)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  }
  if (shapesEqual(x.shape, shape)) return x;
  return apply("broadcastTo", [x], {}, shape, x.dtype);
}

/**
 * The block `begin[i] ≤ index < end[i]` on each axis (missing entries: the whole axis;
 * negative values count from the end; out-of-range bounds are clamped, as in NumPy).
 */
export function slice(x: Tensor, begin: readonly number[], end?: readonly number[]): Tensor {
  assertTensor(x, "slice", "x");
  assertArray(begin, "slice", "begin");
  if (end !== undefined) assertArray(end, "slice", "end");
  if (begin.length > x.rank || (end && end.length > x.rank)) {
    throw new ShapeError(`slice: bounds [${begin.join(", ")}] : [${end?.join(", ") ?? ""}] have more axes than ${formatShape(x.shape)}`);
  }
  const b: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const dim = x.shape[i];
    const lo = resolveBound(begin[i] ?? 0, dim, "begin");
    const hi = Math.max(lo, resolveBound(end?.[i] ?? dim, dim, "end"));
    b.push(lo);
    e.push(hi);
  }
  if (b.every((v) => v === 0) && e.every((v, i) => v === x.shape[i])) return x;
  return apply("slice", [x], { begin: b, end: e }, e.map((v, i) => v - b[i]), x.dtype);
}

function resolveBound(value: number, dim: number, name: string): number {
  if (!Number.isInteger(value)) throw new ArgumentError(`slice: ${name} ${value} is not an integer`);
  const v = value < 0 ? value + dim : value;
  return Math.min(Math.max(v, 0), dim);
}

/** Element `i` along `axis`, with that axis removed (x[i] for axis 0). */
export function index(x: Tensor, i: number, axis = 0): Tensor {
  assertTensor(x, "index", "x");
  const a = normalizeAxis(axis, x.rank, "index");
  const dim = x.shape[a];
  if (!Number.isInteger(i) || i < -dim || i >= dim) {
    throw new ShapeError(`index: index ${i} is out of range for axis ${a} of size ${dim}`);
  }
  const at = i < 0 ? i + dim : i;
  const begin = x.shape.map((_, k) => (k === a ? at : 0));
  const end = x.shape.map((d, k) => (k === a ? at + 1 : d));
  return squeeze(slice(x, begin, end), a);
}

/** Constant padding: `padding[i] = [before, after]` for axis i (missing axes: none). */
export function pad(x: Tensor, padding: readonly (readonly [number, number])[], value = 0): Tensor {
  assertTensor(x, "pad", "x");
  assertArray(padding, "pad", "padding");
  padding.forEach((p, i) => assertArray(p, "pad", `padding[${i}]`));
  if (padding.length > x.rank) throw new ShapeError(`pad: ${padding.length} pad pairs for a tensor of rank ${x.rank}`);
  const before = x.shape.map((_, i) => padding[i]?.[0] ?? 0);
  const after = x.shape.map((_, i) => padding[i]?.[1] ?? 0);
  for (const v of [...before, ...after]) {
    if (!Number.isInteger(v) || v < 0) throw new ArgumentError(`pad: padding amounts must be non-negative integers, got ${v}`);
  }
  if (before.every((v) => v === 0) && after.every((v) => v === 0)) return x;
  const shape = x.shape.map((d, i) => d + before[i] + after[i]);
  return apply("pad", [x], { before, after, value }, shape, x.dtype);
}

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  assertTensors(tensors, "concat", "tensors");
  if (tensors.length === 0) throw new ArgumentError("concat: needs at least one tensor");
  const first = tensors[0];
  const a = normalizeAxis(axis, first.rank, "concat");
  let total = 0;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${tensors.map((u) => formatShape(u.shape)).join(", ")} differ outside axis ${a}`);
    }
    total += t.shape[a];
  }
  if (tensors.length === 1) return first;
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const inputs = tensors.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
  const shape = first.shape.slice();
  shape[a] = total;
  return apply("concat", inputs, { axis: a }, shape, dtype);
}

/** Joins same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  assertTensors(tensors, "stack", "tensors");
  if (tensors.length === 0) throw new ArgumentError("stack: needs at least one tensor");
  const shape = tensors[0].shape;
  for (const t of tensors) {
    if (!shapesEqual(t.shape, shape)) throw new ShapeError(`stack: shapes ${tensors.map((u) => formatShape(u.shape)).join(", ")} differ`);
  }
  const a = normalizeAxis(axis, shape.length + 1, "stack");
  return concat(tensors.map((t) => expandDims(t, a)), a);
}

/** Reverses the order of elements along `axis` (all axes when omitted). */
export function flip(x: Tensor, axis?: number | readonly number[]): Tensor {
  assertTensor(x, "flip", "x");
  let y = x;
  for (const a of normalizeAxes(axis, x.rank, "flip")) {
    const n = x.shape[a];
    const reversed = Array.from({ length: n }, (_, i) => n - 1 - i);
    y = gather(y, fromHost(reversed, [n], "int32", x), a);
  }
  return y;
}

/** Repeats the whole tensor `reps[i]` times along axis i (like numpy.tile). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  assertTensor(x, "tile", "x");
  if (!Array.isArray(reps)) throw new ArgumentError(`tile: reps must be an array of non-negative integers, got ${String(reps)}`, "reps");
  for (const r of reps) if (!Number.isInteger(r) || r < 0) throw new ArgumentError(`tile: repetitions must be non-negative integers, got ${r}`, "reps");
  const rank = Math.max(x.rank, reps.length);
  const shape = [...new Array<number>(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  checkAllocation("tile", shape.map((d, i) => d * r[i]));
  // [d0, d1] → [1, d0, 1, d1] → broadcast [r0, d0, r1, d1] → [r0·d0, r1·d1]
  const interleaved = reshape(x, shape.flatMap((d) => [1, d]));
  const expanded = broadcastTo(interleaved, shape.flatMap((d, i) => [r[i], d]));
  return reshape(expanded, shape.map((d, i) => d * r[i]));
}
