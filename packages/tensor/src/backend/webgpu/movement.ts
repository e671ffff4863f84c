import { type Shape, sizeOf, stridesOf } from "../../shape.js";
import type { DType } from "../../dtype.js";
import { type ElementFormat, elementFormat, wgslType } from "./elements.js";
import { ENTRY_1D, FLAT_INDEX } from "./elementwise.js";
import type { NamedProgram } from "./program.js";

type Built = { program: NamedProgram; meta: Uint32Array; n: number };

function program(name: string, key: string, types: ElementFormat[], names: string[], meta: number[], body: string, rw = 1): NamedProgram {
  const reads = names.length - rw;
  return {
    name,
    key: `${key}|${types.join(",")}|${meta.length}`,
    bindings: [...Array.from({ length: reads }, () => "read" as const), ...Array.from({ length: rw }, () => "rw" as const)],
    uniforms: meta.length,
    names,
    types,
    body,
  };
}

/**
 * out[i] = x[base + Σ_d coord_d(i) · stride_d]: permute (permuted strides), slice (an
 * offset base) and broadcastTo (zero strides) are all this one program.
 * Uniforms: [n, rank, base, outShape…, strides…].
 */
export function stridedCopy(name: string, dtype: DType, outShape: Shape, strides: readonly number[], base: number): Built {
  const F = elementFormat(dtype);
  const rank = outShape.length;
  const n = sizeOf(outShape);
  const meta = [n, rank, base, ...outShape, ...strides];
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let rank = param(1u);
  var p = param(2u);
  var rem = i;
  for (var d = rank; d > 0u; d = d - 1u) {
    let dim = param(2u + d);
    p = p + (rem % dim) * param(2u + rank + d);
    rem = rem / dim;
  }
  store_y(i, load_x(p));
}`;
  return { program: program(name, "strided", [F, F], ["x", "y"], meta, body), meta: Uint32Array.from(meta), n };
}

export function permuteCopy(dtype: DType, shape: Shape, perm: readonly number[]): Built {
  const s = stridesOf(shape);
  return stridedCopy("permute", dtype, perm.map((p) => shape[p]), perm.map((p) => s[p]), 0);
}

export function sliceCopy(dtype: DType, shape: Shape, begin: readonly number[], outShape: Shape): Built {
  const s = stridesOf(shape);
  return stridedCopy("slice", dtype, outShape, s, begin.reduce((acc, b, i) => acc + b * s[i], 0));
}

/** Constant padding. Uniforms: [n, rank, value bits, outShape…, before…, inShape…, inStrides…]. */
export function padProgram(dtype: DType, shape: Shape, outShape: Shape, before: readonly number[], valueBits: number): Built {
  const T = wgslType(dtype);
  const F = elementFormat(dtype);
  const rank = shape.length;
  const n = sizeOf(outShape);
  const meta = [n, rank, valueBits, ...outShape, ...before, ...shape, ...stridesOf(shape)];
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let rank = param(1u);
  var p = 0u;
  var inside = true;
  var rem = i;
  for (var d = rank; d > 0u; d = d - 1u) {
    let dim = param(2u + d);
    let c = rem % dim;
    rem = rem / dim;
    let lo = param(2u + rank + d);
    let size = param(2u + 2u * rank + d);
    if (c < lo || c >= lo + size) { inside = false; }
    p = p + (c - lo) * param(2u + 3u * rank + d);
  }
  if (inside) { store_y(i, load_x(p)); } else { store_y(i, bitcast<${T}>(param(2u))); }
}`;
  return { program: program("pad", "pad", [F, F], ["x", "y"], meta, body), meta: Uint32Array.from(meta), n };
}

/** One concat operand copied into its place. Uniforms: [n, run, rowOut, offset]. */
export function concatPart(dtype: DType, shape: Shape, axis: number, outShape: Shape, offset: number): Built {
  const F = elementFormat(dtype);
  const inner = sizeOf(outShape.slice(axis + 1));
  const n = sizeOf(shape);
  const meta = [n, shape[axis] * inner, outShape[axis] * inner, offset * inner];
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let run = param(1u);
  store_y((i / run) * param(2u) + param(3u) + i % run, load_x(i));
}`;
  return { program: program("concat", "concat", [F, F], ["x", "y"], meta, body), meta: Uint32Array.from(meta), n };
}

/**
 * out[o, j, i] = x[o, idx[j], i]. Indices are clamped to [0, n) on the device (the CPU
 * backend raises a ShapeError instead: a kernel cannot throw). Uniforms: [nOut, m, n, inner].
 */
export function gatherProgram(dtype: DType, shape: Shape, axis: number, m: number): Built {
  const F = elementFormat(dtype);
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const nOut = sizeOf(shape.slice(0, axis)) * m * inner;
  const meta = [nOut, m, n, inner];
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let m = param(1u);
  let n = param(2u);
  let inner = param(3u);
  let t = i / inner;
  let j = t % m;
  let row = u32(clamp(load_idx(j), 0, i32(n) - 1));
  store_y(i, load_x(((t / m) * n + row) * inner + i % inner));
}`;
  return { program: program("gather", "gather", [F, "i32", F], ["x", "idx", "y"], meta, body), meta: Uint32Array.from(meta), n: nOut };
}

/**
 * out = target; out[o, idx[j], i] += updates[o, j, i]. One invocation per output element
 * sums the updates whose index hits it, in index order: deterministic, no atomics.
 * Out-of-range indices add nothing (the CPU raises). Uniforms: [nTarget, m, n, inner].
 */
export function scatterAddProgram(dtype: DType, shape: Shape, axis: number, m: number): Built {
  const F = elementFormat(dtype);
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const nTarget = sizeOf(shape);
  const meta = [nTarget, m, n, inner];
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let m = param(1u);
  let n = param(2u);
  let inner = param(3u);
  let t = i / inner;
  let row = i32(t % n);
  let base = (t / n) * m * inner + i % inner;
  var acc = load_tgt(i);
  for (var j = 0u; j < m; j = j + 1u) {
    if (load_idx(j) == row) { acc = acc + load_upd(base + j * inner); }
  }
  store_y(i, acc);
}`;
  return { program: program("scatterAdd", "scatterAdd", [F, "i32", F, F], ["tgt", "idx", "upd", "y"], meta, body), meta: Uint32Array.from(meta), n: nTarget };
}
