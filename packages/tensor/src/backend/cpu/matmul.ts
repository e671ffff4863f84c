import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized } from "./storage.js";
import { type Shape, broadcastStrides, sizeOf } from "../../shape.js";
import { gemmF32, gemmF64 } from "./gemm/index.js";

/** C = op(A)·op(B) for one matrix, in float64 loops for int32 (no SIMD path for ints). */
function gemmAny(a: TypedArray, b: TypedArray, c: TypedArray, m: number, n: number, k: number, ta: boolean, tb: boolean): void {
  if (c instanceof Float32Array) return gemmF32(a as Float32Array, b as Float32Array, c, m, n, k, ta, tb);
  if (c instanceof Float64Array) return gemmF64(a as Float64Array, b as Float64Array, c, m, n, k, ta, tb);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ta ? p * m + i : i * k + p] * b[tb ? j * k + p : p * n + j];
      c[i * n + j] = s;
    }
  }
}

/** Batched matmul: batch axes of A and B broadcast to the output's. */
export function matmul(
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  transposeA: boolean,
  transposeB: boolean,
  dtype: DType,
): TypedArray {
  const r = outShape.length;
  const m = outShape[r - 2];
  const n = outShape[r - 1];
  const k = transposeA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const out = allocUninitialized(dtype, sizeOf(outShape));
  const batchShape = outShape.slice(0, -2);
  const batches = sizeOf(batchShape);
  const aMat = aShape[aShape.length - 2] * aShape[aShape.length - 1];
  const bMat = bShape[bShape.length - 2] * bShape[bShape.length - 1];
  if (batches === 1) {
    gemmAny(a, b, out, m, n, k, transposeA, transposeB);
    return out;
  }
  const sa = broadcastStrides(aShape.slice(0, -2), batchShape);
  const sb = broadcastStrides(bShape.slice(0, -2), batchShape);
  const idx = new Int32Array(batchShape.length);
  let pa = 0;
  let pb = 0;
  for (let t = 0; t < batches; t++) {
    const c = out.subarray(t * m * n, (t + 1) * m * n);
    gemmAny(a.subarray(pa * aMat, (pa + 1) * aMat), b.subarray(pb * bMat, (pb + 1) * bMat), c, m, n, k, transposeA, transposeB);
    for (let d = batchShape.length - 1; d >= 0; d--) {
      idx[d]++;
      pa += sa[d];
      pb += sb[d];
      if (idx[d] < batchShape[d]) break;
      pa -= sa[d] * batchShape[d];
      pb -= sb[d] * batchShape[d];
      idx[d] = 0;
    }
  }
  return out;
}
