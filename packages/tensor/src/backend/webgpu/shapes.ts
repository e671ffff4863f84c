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
