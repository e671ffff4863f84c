import type { Shape } from "../../shape.js";

/** Strides of `shape` read as `outShape` under broadcasting (0 on repeated axes). */
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

/** f32 bits of a number, for float parameters passed in the u32 uniform block. */
export function f32Bits(value: number): number {
  const f = new Float32Array([value]);
  return new Uint32Array(f.buffer)[0];
}

/** Bits of `value` as the kernels hold `dtype` (f32 for float16 too: stores round it; i32; bool as u32 0/1). */
export function valueBits(value: number, dtype: string): number {
  if (dtype === "float32" || dtype === "float16") return f32Bits(value);
  if (dtype === "bool") return value !== 0 ? 1 : 0;
  return value >>> 0;
}
