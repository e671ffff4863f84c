// 4×4 f32 and 2×2 f64 transposes used by the packing routines when the source is strided.

/** Stores the transpose of the 4×4 block whose rows are r0..r3 as four vectors at dst, dst+16, dst+32, dst+48 with a stride. */
@inline
export function transpose4x4Store(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + stride * 2, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + stride * 3, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7));
}
