import { ArgumentError, ShapeError, formatShape } from "./errors.js";

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Checks that every dimension is a non-negative integer. */
export function assertShape(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of integers, got ${typeof shape === "string" ? JSON.stringify(shape) : String(shape)}`, "shape");
  for (const d of shape) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: shape ${formatShape(shape)} has a dimension ${String(d)} that is not a non-negative integer`, "shape");
    }
  }
  return shape.slice();
}

/** Row-major (C-order) strides. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Strides of `shape` read as `outShape` under broadcasting: row-major strides aligned to the
 * right, 0 on the axes `shape` lacks or holds as 1 (every backend walks broadcast inputs so).
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[rank - shape.length + i] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align right, each pair equal or one of them 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  if (shapes.length === 2 && shapesEqual(shapes[0], shapes[1])) return shapes[0].slice();
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i];
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new ShapeError(`${op}: shapes ${shapes.map(formatShape).join(" and ")} cannot be broadcast (axis ${o - rank}: ${out[o]} vs ${d})`);
    }
  }
  return out;
}

/** Maps a possibly negative axis into [0, rank). */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis)) throw new ArgumentError(`${op}: axis must be an integer, got ${typeof axis === "string" ? JSON.stringify(axis) : String(axis)}`, "axis");
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`, "axis");
  return a;
}

/** Normalizes an axis list (undefined = all axes), sorted and without duplicates. */
export function normalizeAxes(axis: number | readonly number[] | undefined, rank: number, op: string): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ArgumentError(`${op}: axis must be an integer or an array of integers, got ${typeof axis === "string" ? JSON.stringify(axis) : String(axis)}`, "axis");
  }
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, rank, op));
  if (new Set(out).size !== out.length) throw new ArgumentError(`${op}: repeated axis in [${list.join(", ")}]`, "axis");
  return out.sort((x, y) => x - y);
}

/** The shape after reducing `axes`, keeping them as size 1 or dropping them. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** Resolves one -1 in a reshape target against `size`. */
export function inferReshape(shape: Shape, target: readonly number[], op: string): number[] {
  const size = sizeOf(shape);
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < target.length; i++) {
    const d = target[i];
    if (d === -1) {
      if (unknown >= 0) throw new ShapeError(`${op}: only one -1 allowed in ${formatShape(target)}`, "shape");
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: target shape ${formatShape(target)} has an invalid dimension ${d}`, "shape");
    } else known *= d;
  }
  const out = target.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${op}: cannot reshape ${formatShape(shape)} (size ${size}) into ${formatShape(target)}`, "shape");
    }
    out[unknown] = size / known;
  }
  if (sizeOf(out) !== size) throw new ShapeError(`${op}: cannot reshape ${formatShape(shape)} (size ${size}) into ${formatShape(target)}`, "shape");
  return out;
}
