import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized } from "./storage.js";
import { ShapeError } from "../../errors.js";
import { type Shape, sizeOf, stridesOf } from "../../shape.js";

/** out[i₀…] = x[i_perm…]: walks the output, reading x through permuted strides. */
export function permute(x: TypedArray, shape: Shape, perm: readonly number[], dtype: DType): TypedArray {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = stridesOf(shape);
  const s = perm.map((p) => inStrides[p]);
  const out = allocUninitialized(dtype, x.length);
  if (out.length === 0) return out;
  const inner = outShape[rank - 1];
  const t = s[rank - 1];
  const idx = new Int32Array(rank);
  let p = 0;
  for (let base = 0; base < out.length; base += inner) {
    for (let j = 0; j < inner; j++) out[base + j] = x[p + j * t];
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      p += s[d];
      if (idx[d] < outShape[d]) break;
      p -= s[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Copies the block of `big` at offset `begin` to or from `small` (whose shape is
 * `smallShape`): slice reads it, pad writes it.
 */
export function copyBlock(big: TypedArray, bigShape: Shape, small: TypedArray, smallShape: Shape, begin: readonly number[], toSmall: boolean): void {
  const rank = bigShape.length;
  if (small.length === 0) return;
  if (rank === 0) {
    if (toSmall) small[0] = big[0];
    else big[0] = small[0];
    return;
  }
  const bigStrides = stridesOf(bigShape);
  const inner = smallShape[rank - 1];
  const idx = new Int32Array(rank);
  let p = 0;
  for (let d = 0; d < rank; d++) p += begin[d] * bigStrides[d];
  for (let base = 0; base < small.length; base += inner) {
    if (toSmall) for (let j = 0; j < inner; j++) small[base + j] = big[p + j];
    else for (let j = 0; j < inner; j++) big[p + j] = small[base + j];
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]++;
      p += bigStrides[d];
      if (idx[d] < smallShape[d]) break;
      p -= bigStrides[d] * smallShape[d];
      idx[d] = 0;
    }
  }
}

/** Joins blocks along `axis`: each input contributes a run of shape[axis]·inner per outer index. */
export function concat(inputs: { data: TypedArray; shape: Shape }[], axis: number, outShape: Shape, dtype: DType): TypedArray {
  const out = allocUninitialized(dtype, sizeOf(outShape));
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));
  const rowOut = outShape[axis] * inner;
  let offset = 0;
  for (const { data, shape } of inputs) {
    const run = shape[axis] * inner;
    for (let o = 0; o < outer; o++) out.set(data.subarray(o * run, (o + 1) * run), o * rowOut + offset);
    offset += run;
  }
  return out;
}

function checkIndex(op: string, v: number, n: number, axis: number): void {
  if (v < 0 || v >= n) throw new ShapeError(`${op}: index ${v} is out of range for axis ${axis} of size ${n}`);
}

/** out[o, j, i] = x[o, idx[j], i] with o over axes before `axis` and i over those after. */
export function gather(x: TypedArray, shape: Shape, indices: Int32Array, axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const m = indices.length;
  for (let j = 0; j < m; j++) checkIndex("gather", indices[j], n, axis);
  const out = allocUninitialized(dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + indices[j]) * inner;
      const dst = (o * m + j) * inner;
      if (inner === 1) out[dst] = x[src];
      else out.set(x.subarray(src, src + inner), dst);
    }
  }
  return out;
}

/** out = target; out[o, idx[j], i] += updates[o, j, i]. */
export function scatterAdd(target: TypedArray, shape: Shape, indices: Int32Array, updates: TypedArray, axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const m = indices.length;
  for (let j = 0; j < m; j++) checkIndex("scatterAdd", indices[j], n, axis);
  const out = allocUninitialized(dtype, target.length);
  out.set(target);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + indices[j]) * inner;
      const src = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += updates[src + i];
    }
  }
  return out;
}
