// Double-precision GEMM: same loop nest as f32.ts with a 4×4 micro-kernel of f64x2 vectors
// (8 accumulators, 2 B vectors, 1 broadcast). MR == NR, so A and B share the packing helpers.

import { madd64 } from "./madd";

const MR: i32 = 4;
const NR: i32 = 4;
/** k-block: 4×KC slivers of A and B (8 KiB each) stay in L1. */
const KC: i32 = 256;
/** m-block: the packed MC×KC A block (128 KiB) stays in L2. */
const MC: i32 = 64;
/** n-block: the packed KC×NC B block (1 MiB) stays in L2/L3. */
const NC: i32 = 512;

const PA_BYTES: i32 = MC * KC * 8;
const PB_BYTES: i32 = KC * NC * 8;
const TILE_BYTES: i32 = MR * NR * 8;

/** Scratch bytes each calling thread needs at `work`. */
export function dgemmWorkBytes(): i32 {
  return PA_BYTES + PB_BYTES + TILE_BYTES;
}

@inline function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline function addr(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/**
 * Packs `count` lines (rows or columns of op(X)) of a kb-long k range into 4-wide slivers, where
 * the 4 values of one k step are contiguous in memory (`step` elements apart between k steps).
 */
function packContiguous(src: usize, step: i32, count: i32, kb: i32, dst: usize): void {
  const stride = (<usize>step) << 3;
  for (let r0 = 0; r0 < count; r0 += 4) {
    const w = min(4, count - r0);
    const d = addr(dst, r0 * kb);
    let s = addr(src, r0);
    if (w == 4) {
      for (let p = 0; p < kb; p++) {
        const q = addr(d, p * 4);
        v128.store(q, v128.load(s));
        v128.store(q, v128.load(s, 16), 16);
        s += stride;
      }
    } else {
      for (let p = 0; p < kb; p++) {
        for (let r = 0; r < 4; r++) store<f64>(addr(d, p * 4 + r), r < w ? load<f64>(addr(s, r)) : 0);
        s += stride;
      }
    }
  }
}

/**
 * Packs `count` lines of a kb-long k range into 4-wide slivers, where each line is contiguous in k
 * (`ld` elements between lines): 2×2 transposes interleave four lines.
 */
function packStrided(src: usize, ld: i32, count: i32, kb: i32, dst: usize): void {
  const ldb = (<usize>ld) << 3;
  for (let r0 = 0; r0 < count; r0 += 4) {
    const w = min(4, count - r0);
    const d = addr(dst, r0 * kb);
    const s0 = addr(src, r0 * ld);
    if (w == 4) {
      const s1 = s0 + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
      let p = 0;
      for (; p + 2 <= kb; p += 2) {
        const o = (<usize>p) << 3;
        const x0 = v128.load(s0 + o), x1 = v128.load(s1 + o), x2 = v128.load(s2 + o), x3 = v128.load(s3 + o);
        const q = addr(d, p * 4);
        v128.store(q, v128.shuffle<i64>(x0, x1, 0, 2));
        v128.store(q, v128.shuffle<i64>(x2, x3, 0, 2), 16);
        v128.store(q, v128.shuffle<i64>(x0, x1, 1, 3), 32);
        v128.store(q, v128.shuffle<i64>(x2, x3, 1, 3), 48);
      }
      if (p < kb) {
        const o = (<usize>p) << 3;
        const q = addr(d, p * 4);
        store<f64>(q, load<f64>(s0 + o));
        store<f64>(q, load<f64>(s1 + o), 8);
        store<f64>(q, load<f64>(s2 + o), 16);
        store<f64>(q, load<f64>(s3 + o), 24);
      }
    } else {
      for (let p = 0; p < kb; p++) {
        for (let r = 0; r < 4; r++) store<f64>(addr(d, p * 4 + r), r < w ? load<f64>(addr(s0, r * ld + p)) : 0);
      }
    }
  }
}

/**
 * C tile (mr×nr at c, row stride ldc) = (`first`), += (`!first`, `!sub`) or −= (`!first`, `sub`) packed A sliver ·
 * packed B sliver over kb steps.
 */
function kernel(pa: usize, pb: usize, kb: i32, c: usize, ldc: i32, mr: i32, nr: i32, first: bool, sub: bool, tile: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kb; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = madd64(a, b0, c00);
    c01 = madd64(a, b1, c01);
    a = v128.load64_splat(pa, 8);
    c10 = madd64(a, b0, c10);
    c11 = madd64(a, b1, c11);
    a = v128.load64_splat(pa, 16);
    c20 = madd64(a, b0, c20);
    c21 = madd64(a, b1, c21);
    a = v128.load64_splat(pa, 24);
    c30 = madd64(a, b0, c30);
    c31 = madd64(a, b1, c31);
    pa += 32;
    pb += 32;
  }
  const full = mr == MR && nr == NR;
  // Edge tiles go through a scratch tile so the stores below never run past C's edge.
  let q = full ? c : tile;
  const ld: usize = full ? (<usize>ldc) << 3 : 32;
  if (sub && full && !first) {
    v128.store(q, f64x2.sub(v128.load(q), c00)); v128.store(q, f64x2.sub(v128.load(q, 16), c01), 16); q += ld;
    v128.store(q, f64x2.sub(v128.load(q), c10)); v128.store(q, f64x2.sub(v128.load(q, 16), c11), 16); q += ld;
    v128.store(q, f64x2.sub(v128.load(q), c20)); v128.store(q, f64x2.sub(v128.load(q, 16), c21), 16); q += ld;
    v128.store(q, f64x2.sub(v128.load(q), c30)); v128.store(q, f64x2.sub(v128.load(q, 16), c31), 16);
  } else if (first || !full) {
    v128.store(q, c00); v128.store(q, c01, 16); q += ld;
    v128.store(q, c10); v128.store(q, c11, 16); q += ld;
    v128.store(q, c20); v128.store(q, c21, 16); q += ld;
    v128.store(q, c30); v128.store(q, c31, 16);
  } else {
    v128.store(q, f64x2.add(v128.load(q), c00)); v128.store(q, f64x2.add(v128.load(q, 16), c01), 16); q += ld;
    v128.store(q, f64x2.add(v128.load(q), c10)); v128.store(q, f64x2.add(v128.load(q, 16), c11), 16); q += ld;
    v128.store(q, f64x2.add(v128.load(q), c20)); v128.store(q, f64x2.add(v128.load(q, 16), c21), 16); q += ld;
    v128.store(q, f64x2.add(v128.load(q), c30)); v128.store(q, f64x2.add(v128.load(q, 16), c31), 16);
  }
  if (!full) {
    for (let r = 0; r < mr; r++) {
      for (let j = 0; j < nr; j++) {
        const dst = addr(c, r * ldc + j);
        const v = load<f64>(addr(tile, r * NR + j));
        store<f64>(dst, first ? v : sub ? load<f64>(dst) - v : load<f64>(dst) + v);
      }
    }
  }
}

/**
 * Computes rows i0..i1, columns j0..j1 of C = op(A)·op(B) (C is m×n row-major at c; k > 0).
 * `work` holds dgemmWorkBytes() of scratch private to the calling thread.
 */
export function dgemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ta: bool, tb: bool, i0: i32, i1: i32, j0: i32, j1: i32, work: usize): void {
  dgemmEx(a, b, c, m, n, k, ta, tb, i0, i1, j0, j1, work, ta ? m : k, tb ? k : n, n, 0);
}

/**
 * dgemm on sub-matrices: leading dimensions lda, ldb, ldc (elements between consecutive stored
 * rows of A, B, C) and `update` 0: C = op(A)·op(B), 1: C += op(A)·op(B), −1: C −= op(A)·op(B).
 */
export function dgemmEx(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ta: bool, tb: bool, i0: i32, i1: i32, j0: i32, j1: i32, work: usize,
  lda: i32, ldb: i32, ldc: i32, update: i32,
): void {
  const pa = work;
  const pb = work + PA_BYTES;
  const tile = pb + PB_BYTES;
  const sub = update < 0;
  for (let jc = j0; jc < j1; jc += NC) {
    const nb = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = min(KC, k - pc);
      if (tb) packStrided(addr(b, jc * ldb + pc), ldb, nb, kb, pb);
      else packContiguous(addr(b, pc * ldb + jc), ldb, nb, kb, pb);
      const first = pc == 0 && update == 0;
      for (let ic = i0; ic < i1; ic += MC) {
        const mb = min(MC, i1 - ic);
        if (ta) packContiguous(addr(a, pc * lda + ic), lda, mb, kb, pa);
        else packStrided(addr(a, ic * lda + pc), lda, mb, kb, pa);
        for (let jr = 0; jr < nb; jr += NR) {
          const nr = min(NR, nb - jr);
          const bp = addr(pb, jr * kb);
          for (let ir = 0; ir < mb; ir += MR) {
            kernel(addr(pa, ir * kb), bp, kb, addr(c, (ic + ir) * ldc + jc + jr), ldc, min(MR, mb - ir), nr, first, sub, tile);
          }
        }
      }
    }
  }
}
