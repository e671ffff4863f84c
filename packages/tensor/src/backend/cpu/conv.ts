import type { DType, TypedArray } from "../../dtype.js";
import type { Conv2dAttrs, Pool2dAttrs } from "../../ops/primitives.js";
import type { Shape } from "../../shape.js";
import { gemmF32, gemmF64 } from "./gemm/index.js";
import { allocArray } from "../../dtype.js";
import { allocUninitialized, allocZeroed } from "./storage.js";

type Float = Float32Array | Float64Array;

/** Sizes of one convolution: x [N, C, H, W], w [O, C/G, KH, KW], y [N, O, OH, OW]. */
interface Geometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number; groups: number;
  /** Channels per group in and out, rows of the column matrix (cg·kh·kw) and output positions. */
  cg: number; og: number; k: number; p: number;
}

function geometry(x: Shape, w: Shape, y: Shape, a: Conv2dAttrs): Geometry {
  const [n, c, h, wd] = x;
  const [o, cg, kh, kw] = w;
  const [, , oh, ow] = y;
  return {
    n, c, h, w: wd, o, kh, kw, oh, ow,
    sh: a.stride[0], sw: a.stride[1], ph: a.padding[0], pw: a.padding[1], dh: a.dilation[0], dw: a.dilation[1], groups: a.groups,
    cg, og: o / a.groups, k: cg * kh * kw, p: oh * ow,
  };
}

function gemm(a: Float, b: Float, c: Float, m: number, n: number, k: number, ta: boolean, tb: boolean): void {
  if (c instanceof Float32Array) gemmF32(a as Float32Array, b as Float32Array, c, m, n, k, ta, tb);
  else gemmF64(a as Float64Array, b as Float64Array, c, m, n, k, ta, tb);
}

/** True when the column matrix of a group is the input block itself (1×1, stride 1, no padding). */
const isPointwise = (g: Geometry) => g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0;

/**
 * cols[(c·KH + kh)·KW + kw, oh·OW + ow] = x[n, c0 + c, oh·sh − ph + kh·dh, ow·sw − pw + kw·dw]
 * (0 in the padding), for the cg channels starting at c0.
 */
function im2col(x: Float, base: number, g: Geometry, cols: Float): void {
  const { h, w, kh: KH, kw: KW, oh: OH, ow: OW, sh, sw, ph, pw, dh, dw, cg } = g;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = base + c * h * w;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++, row++) {
        let q = row * OH * OW;
        const dx = kw * dw - pw;
        // Output columns whose input column ow·sw + dx lies inside [0, w): no test per element.
        const lo = Math.min(OW, Math.max(0, Math.ceil(-dx / sw)));
        const hi = Math.max(lo, Math.min(OW, Math.ceil((w - dx) / sw)));
        if (sh === 1 && sw === 1 && OW === w) {
          shiftedCopy(x, plane, g, kh * dh - ph, dx, lo, hi, cols, q);
          continue;
        }
        for (let oh = 0; oh < OH; oh++, q += OW) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= h) {
            for (let ow = 0; ow < OW; ow++) cols[q + ow] = 0;
            continue;
          }
          for (let ow = 0; ow < lo; ow++) cols[q + ow] = 0;
          for (let ow = hi; ow < OW; ow++) cols[q + ow] = 0;
          const r = plane + ih * w + dx;
          // A plain loop: rows are short, and a subarray view per row would cost more.
          if (sw === 1) for (let ow = lo; ow < hi; ow++) cols[q + ow] = x[r + ow];
          else for (let ow = lo; ow < hi; ow++) cols[q + ow] = x[r + ow * sw];
        }
      }
    }
  }
}

/**
 * The im2col row of one tap when stride is 1 and rows keep their width (OW = w, e.g. "same"
 * padding): the valid output rows read one contiguous stretch of the input plane shifted by
 * (dy, dx), so it is one block copy; then the columns that fell outside the row are zeroed.
 */
function shiftedCopy(x: Float, plane: number, g: Geometry, dy: number, dx: number, lo: number, hi: number, cols: Float, q: number): void {
  const { h, w, oh: OH, ow: OW } = g;
  const oh0 = Math.min(OH, Math.max(0, -dy));
  const oh1 = Math.max(oh0, Math.min(OH, h - dy));
  cols.fill(0, q, q + oh0 * OW);
  cols.fill(0, q + oh1 * OW, q + OH * OW);
  if (oh1 === oh0) return;
  let src = plane + (oh0 + dy) * w + dx;
  let dst = q + oh0 * OW;
  let len = (oh1 - oh0) * OW;
  // Reads before the array start or past its end belong to columns zeroed below.
  if (src < 0) {
    dst -= src;
    len += src;
    src = 0;
  }
  len = Math.min(len, x.length - src);
  cols.set(x.subarray(src, src + len), dst);
  for (let oh = oh0; oh < oh1; oh++) {
    const row = q + oh * OW;
    for (let ow = 0; ow < lo; ow++) cols[row + ow] = 0;
    for (let ow = hi; ow < OW; ow++) cols[row + ow] = 0;
  }
}

/** The adjoint of im2col: adds cols back into x's cg channels starting at `base`. */
function col2im(cols: Float, g: Geometry, x: Float, base: number): void {
  const { h, w, kh: KH, kw: KW, oh: OH, ow: OW, sh, sw, ph, pw, dh, dw, cg } = g;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = base + c * h * w;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++, row++) {
        let q = row * OH * OW;
        const dx = kw * dw - pw;
        const lo = Math.min(OW, Math.max(0, Math.ceil(-dx / sw)));
        const hi = Math.max(lo, Math.min(OW, Math.ceil((w - dx) / sw)));
        for (let oh = 0; oh < OH; oh++, q += OW) {
          const ih = oh * sh - ph + kh * dh;
          if (ih < 0 || ih >= h) continue;
          const r = plane + ih * w + dx;
          for (let ow = lo; ow < hi; ow++) x[r + ow * sw] += cols[q + ow];
        }
      }
    }
  }
}

/** y[n, group] = W_group [og, k] · cols [k, p], one gemm per sample and group. */
export function conv2dForward(x: TypedArray, xShape: Shape, w: TypedArray, wShape: Shape, yShape: Shape, a: Conv2dAttrs, dtype: DType): TypedArray {
  const g = geometry(xShape, wShape, yShape, a);
  const y = allocUninitialized(dtype, g.n * g.o * g.p) as Float;
  const pointwise = isPointwise(g);
  const cols = pointwise ? null : (allocArray(dtype, g.k * g.p) as Float);
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const base = (n * g.c + grp * g.cg) * g.h * g.w;
      let b: Float;
      if (cols) {
        im2col(x as Float, base, g, cols);
        b = cols;
      } else b = (x as Float).subarray(base, base + g.k * g.p);
      const wg = (w as Float).subarray(grp * g.og * g.k, (grp + 1) * g.og * g.k);
      const yo = (n * g.o + grp * g.og) * g.p;
      gemm(wg, b, y.subarray(yo, yo + g.og * g.p), g.og, g.p, g.k, false, false);
    }
  }
  return y;
}

/** dx[n, group] = col2im(W_groupᵀ · g[n, group]). */
export function conv2dInputGrad(gy: TypedArray, yShape: Shape, w: TypedArray, wShape: Shape, xShape: Shape, a: Conv2dAttrs, dtype: DType): TypedArray {
  const g = geometry(xShape, wShape, yShape, a);
  const dx = allocZeroed(dtype, g.n * g.c * g.h * g.w) as Float;
  const pointwise = isPointwise(g);
  const cols = allocArray(dtype, g.k * g.p) as Float;
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const base = (n * g.c + grp * g.cg) * g.h * g.w;
      const wg = (w as Float).subarray(grp * g.og * g.k, (grp + 1) * g.og * g.k);
      const go = (n * g.o + grp * g.og) * g.p;
      const gg = (gy as Float).subarray(go, go + g.og * g.p);
      if (pointwise) {
        gemm(wg, gg, dx.subarray(base, base + g.k * g.p), g.k, g.p, g.og, true, false);
        continue;
      }
      gemm(wg, gg, cols, g.k, g.p, g.og, true, false);
      col2im(cols, g, dx, base);
    }
  }
  return dx;
}

/** dW_group = Σ_n g[n, group] [og, p] · cols[n, group]ᵀ [p, k]. */
export function conv2dWeightGrad(x: TypedArray, xShape: Shape, gy: TypedArray, yShape: Shape, wShape: Shape, a: Conv2dAttrs, dtype: DType): TypedArray {
  const g = geometry(xShape, wShape, yShape, a);
  const dw = allocZeroed(dtype, g.o * g.k) as Float;
  const pointwise = isPointwise(g);
  const cols = pointwise ? null : (allocArray(dtype, g.k * g.p) as Float);
  const part = allocArray(dtype, g.og * g.k) as Float;
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const base = (n * g.c + grp * g.cg) * g.h * g.w;
      let b: Float;
      if (cols) {
        im2col(x as Float, base, g, cols);
        b = cols;
      } else b = (x as Float).subarray(base, base + g.k * g.p);
      const go = (n * g.o + grp * g.og) * g.p;
      gemm((gy as Float).subarray(go, go + g.og * g.p), b, part, g.og, g.k, g.p, false, true);
      const wo = grp * g.og * g.k;
      for (let i = 0; i < part.length; i++) dw[wo + i] += part[i];
    }
  }
  return dw;
}

/** Flat index (into x) of the first maximum of each window; padded positions are skipped. */
export function maxPool2dIndices(x: TypedArray, xShape: Shape, yShape: Shape, a: Pool2dAttrs): Int32Array {
  const [n, c, h, w] = xShape;
  const [, , OH, OW] = yShape;
  const [KH, KW] = a.kernel;
  const out = allocUninitialized("int32", n * c * OH * OW) as Int32Array;
  let q = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * a.stride[0] - a.padding[0];
      const hs = Math.max(h0, 0);
      const he = Math.min(h0 + KH, h);
      for (let ow = 0; ow < OW; ow++, q++) {
        const w0 = ow * a.stride[1] - a.padding[1];
        const ws = Math.max(w0, 0);
        const we = Math.min(w0 + KW, w);
        let best = base + hs * w + ws;
        let value = x[best];
        for (let ih = hs; ih < he; ih++) {
          for (let iw = ws; iw < we; iw++) {
            const i = base + ih * w + iw;
            if (x[i] > value) {
              value = x[i];
              best = i;
            }
          }
        }
        out[q] = best;
      }
    }
  }
  return out;
}
