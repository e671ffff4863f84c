// Single-precision GEMM: GotoBLAS/BLIS loop nest with a 6×8 register-blocked micro-kernel.
// Packing reads A and B in whichever layout (plain or transposed) they are stored and
// writes one fixed panel layout, so the micro-kernel never sees transposition.
import { madd32 } from "./madd";
import { transpose4x4Store } from "./transpose";

/** Micro-tile rows: A values broadcast per k step. */
const MR: i32 = 6;
/**
 * Micro-tile columns: two f32x4 vectors of B per k step. 6×8 keeps 12 accumulators, 2 B vectors
 * and 1 broadcast in the 15 xmm registers V8 allocates (x64 has 16, one is V8's scratch).
 */
const NR: i32 = 8;
/** k-block: a 6×KC A sliver (6 KiB) plus an 8×KC B sliver (8 KiB) stay in L1. */
const KC: i32 = 256;
/** m-block (a multiple of MR): the packed MC×KC A block (120 KiB) stays in L2. */
const MC: i32 = 120;
/** n-block: the packed KC×NC B block (1 MiB) stays in L2/L3. */
const NC: i32 = 1024;

const PA_BYTES: i32 = MC * KC * 4;
const PB_BYTES: i32 = KC * NC * 4;
const TILE_BYTES: i32 = MR * NR * 4;

/** Scratch bytes each calling thread needs at `work`. */
export function sgemmWorkBytes(): i32 {
  return PA_BYTES + PB_BYTES + TILE_BYTES;
}

@inline function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

@inline function addr(base: usize, index: i32): usize {
  return base + ((<usize>index) << 2);
}

/** Packs rows ic..ic+mb, columns pc..pc+kb of op(A) into MR-row slivers: sliver s, element (p, r) at s*kb*MR + p*MR + r. */
function packA(a: usize, m: i32, k: i32, ta: bool, ic: i32, mb: i32, pc: i32, kb: i32, dst: usize): void {
  for (let ir = 0; ir < mb; ir += MR) {
    const mr = min(MR, mb - ir);
    const d = addr(dst, ir * kb);
    const i = ic + ir;
    if (ta) {
      // Stored k×m: the MR values of one k step are contiguous.
      const stride = (<usize>m) << 2;
      let src = addr(a, pc * m + i);
      if (mr == MR) {
        for (let p = 0; p < kb; p++) {
          const q = addr(d, p * MR);
          v128.store(q, v128.load(src));
          store<u64>(q, load<u64>(src, 16), 16);
          src += stride;
        }
      } else {
        for (let p = 0; p < kb; p++) {
          for (let r = 0; r < MR; r++) store<f32>(addr(d, p * MR + r), r < mr ? load<f32>(addr(src, r)) : 0);
          src += stride;
        }
      }
    } else {
      // Stored m×k: each row is contiguous in k, so transpose 4×4 blocks.
      const ld = (<usize>k) << 2;
      const s0 = addr(a, i * k + pc);
      if (mr == MR) {
        const s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, s4 = s3 + ld, s5 = s4 + ld;
        let p = 0;
        for (; p + 4 <= kb; p += 4) {
          const o = (<usize>p) << 2;
          const q = addr(d, p * MR);
          // Rows 0-3 by a 4×4 transpose (stores 24 bytes apart), rows 4-5 lane by lane.
          transpose4x4Store(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), q, 24);
          const x4 = v128.load(s4 + o), x5 = v128.load(s5 + o);
          store<f32>(q, f32x4.extract_lane(x4, 0), 16); store<f32>(q, f32x4.extract_lane(x5, 0), 20);
          store<f32>(q, f32x4.extract_lane(x4, 1), 40); store<f32>(q, f32x4.extract_lane(x5, 1), 44);
          store<f32>(q, f32x4.extract_lane(x4, 2), 64); store<f32>(q, f32x4.extract_lane(x5, 2), 68);
          store<f32>(q, f32x4.extract_lane(x4, 3), 88); store<f32>(q, f32x4.extract_lane(x5, 3), 92);
        }
        for (; p < kb; p++) {
          const o = (<usize>p) << 2;
          const q = addr(d, p * MR);
          store<f32>(q, load<f32>(s0 + o));
          store<f32>(q, load<f32>(s1 + o), 4);
          store<f32>(q, load<f32>(s2 + o), 8);
          store<f32>(q, load<f32>(s3 + o), 12);
          store<f32>(q, load<f32>(s4 + o), 16);
          store<f32>(q, load<f32>(s5 + o), 20);
        }
      } else {
        for (let p = 0; p < kb; p++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(addr(d, p * MR + r), r < mr ? load<f32>(addr(s0, r * k + p)) : 0);
          }
        }
      }
    }
  }
}

/** Packs rows pc..pc+kb, columns jc..jc+nb of op(B) into NR-column slivers: sliver s, element (p, j) at s*kb*NR + p*NR + j. */
function packB(b: usize, n: i32, k: i32, tb: bool, pc: i32, kb: i32, jc: i32, nb: i32, dst: usize): void {
  for (let jr = 0; jr < nb; jr += NR) {
    const nr = min(NR, nb - jr);
    const d = addr(dst, jr * kb);
    const j = jc + jr;
    if (!tb) {
      // Stored k×n: the NR values of one k step are contiguous.
      const stride = (<usize>n) << 2;
      let src = addr(b, pc * n + j);
      if (nr == NR) {
        for (let p = 0; p < kb; p++) {
          const q = addr(d, p * NR);
          v128.store(q, v128.load(src));
          v128.store(q, v128.load(src, 16), 16);
          src += stride;
        }
      } else {
        for (let p = 0; p < kb; p++) {
          for (let c = 0; c < NR; c++) store<f32>(addr(d, p * NR + c), c < nr ? load<f32>(addr(src, c)) : 0);
          src += stride;
        }
      }
    } else {
      // Stored n×k: each column of op(B) is a contiguous row, so transpose 4×4 blocks.
      const ld = (<usize>k) << 2;
      const s0 = addr(b, j * k + pc);
      if (nr == NR) {
        const s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld, s4 = s3 + ld, s5 = s4 + ld, s6 = s5 + ld, s7 = s6 + ld;
        let p = 0;
        for (; p + 4 <= kb; p += 4) {
          const o = (<usize>p) << 2;
          const q = addr(d, p * NR);
          transpose4x4Store(v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o), q, 32);
          transpose4x4Store(v128.load(s4 + o), v128.load(s5 + o), v128.load(s6 + o), v128.load(s7 + o), q + 16, 32);
        }
        for (; p < kb; p++) {
          for (let c = 0; c < NR; c++) store<f32>(addr(d, p * NR + c), load<f32>(addr(s0, c * k + p)));
        }
      } else {
        for (let p = 0; p < kb; p++) {
          for (let c = 0; c < NR; c++) store<f32>(addr(d, p * NR + c), c < nr ? load<f32>(addr(s0, c * k + p)) : 0);
        }
      }
    }
  }
}

/** C tile (mr×nr at c, row stride ldc) = or += packed A sliver · packed B sliver over kb steps. */
function kernel(pa: usize, pb: usize, kb: i32, c: usize, ldc: i32, mr: i32, nr: i32, first: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kb; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd32(a, b0, c00);
    c01 = madd32(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd32(a, b0, c10);
    c11 = madd32(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd32(a, b0, c20);
    c21 = madd32(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd32(a, b0, c30);
    c31 = madd32(a, b1, c31);
    a = v128.load32_splat(pa, 16);
    c40 = madd32(a, b0, c40);
    c41 = madd32(a, b1, c41);
    a = v128.load32_splat(pa, 20);
    c50 = madd32(a, b0, c50);
    c51 = madd32(a, b1, c51);
    pa += 24;
    pb += 32;
  }
  const full = mr == MR && nr == NR;
  // Edge tiles go through a scratch tile so the stores below never run past C's edge.
  let q = full ? c : tile;
  const ld: usize = full ? (<usize>ldc) << 2 : 32;
  if (first || !full) {
    v128.store(q, c00); v128.store(q, c01, 16); q += ld;
    v128.store(q, c10); v128.store(q, c11, 16); q += ld;
    v128.store(q, c20); v128.store(q, c21, 16); q += ld;
    v128.store(q, c30); v128.store(q, c31, 16); q += ld;
    v128.store(q, c40); v128.store(q, c41, 16); q += ld;
    v128.store(q, c50); v128.store(q, c51, 16);
  } else {
    v128.store(q, f32x4.add(v128.load(q), c00)); v128.store(q, f32x4.add(v128.load(q, 16), c01), 16); q += ld;
    v128.store(q, f32x4.add(v128.load(q), c10)); v128.store(q, f32x4.add(v128.load(q, 16), c11), 16); q += ld;
    v128.store(q, f32x4.add(v128.load(q), c20)); v128.store(q, f32x4.add(v128.load(q, 16), c21), 16); q += ld;
    v128.store(q, f32x4.add(v128.load(q), c30)); v128.store(q, f32x4.add(v128.load(q, 16), c31), 16); q += ld;
    v128.store(q, f32x4.add(v128.load(q), c40)); v128.store(q, f32x4.add(v128.load(q, 16), c41), 16); q += ld;
    v128.store(q, f32x4.add(v128.load(q), c50)); v128.store(q, f32x4.add(v128.load(q, 16), c51), 16);
  }
  if (!full) {
    for (let r = 0; r < mr; r++) {
      for (let j = 0; j < nr; j++) {
        const dst = addr(c, r * ldc + j);
        const v = load<f32>(addr(tile, r * NR + j));
        store<f32>(dst, first ? v : load<f32>(dst) + v);
      }
    }
  }
}

/**
 * Computes rows i0..i1, columns j0..j1 of C = op(A)·op(B) (C is m×n row-major at c; k > 0).
 * `work` holds sgemmWorkBytes() of scratch private to the calling thread.
 */
export function sgemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ta: bool, tb: bool, i0: i32, i1: i32, j0: i32, j1: i32, work: usize): void {
  const pa = work;
  const pb = work + PA_BYTES;
  const tile = pb + PB_BYTES;
  for (let jc = j0; jc < j1; jc += NC) {
    const nb = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kb = min(KC, k - pc);
      packB(b, n, k, tb, pc, kb, jc, nb, pb);
      const first = pc == 0;
      for (let ic = i0; ic < i1; ic += MC) {
        const mb = min(MC, i1 - ic);
        packA(a, m, k, ta, ic, mb, pc, kb, pa);
        for (let jr = 0; jr < nb; jr += NR) {
          const nr = min(NR, nb - jr);
          const bp = addr(pb, jr * kb);
          for (let ir = 0; ir < mb; ir += MR) {
            kernel(addr(pa, ir * kb), bp, kb, addr(c, (ic + ir) * n + jc + jr), n, min(MR, mb - ir), nr, first, tile);
          }
        }
      }
    }
  }
}
