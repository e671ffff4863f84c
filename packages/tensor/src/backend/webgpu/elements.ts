import type { DType } from "../../dtype.js";
import { DTypeError } from "../../errors.js";
import { fromHalfBits, halfBits, roundToHalf } from "../../half.js";

/**
 * How tensor elements are stored in GPU buffers and reached from WGSL. Kernels compute in
 * the value type (`wgslType`: f32, i32 or u32) and touch buffers only through the
 * accessors `load_<name>(i)` / `store_<name>(i, v)` that `accessors` declares for each
 * binding, so the storage of float16 is decided here, once, for every kernel:
 *
 * - `halfStorage: "f16"` (adapters with `shader-f16`): `array<f16>`, 2 bytes per element;
 *   loads widen to f32, stores round to half (below) and narrow to f16.
 * - `halfStorage: "f32"` (every other adapter): `array<f32>` holding half values; stores
 *   round to half, the way the CPU backend's `store()` rounds float16 results.
 *
 * Either way arithmetic and accumulation run in f32 and every float16 output is rounded
 * once, where it is stored: no extra pass.
 */

/** Where float16 tensors live: f16 buffers (needs shader-f16) or f32 buffers of half values. */
export type HalfStorage = "f16" | "f32";

/**
 * The element format of one binding: a WGSL scalar, `f16` for half values (stored per
 * HalfStorage), or `vec4f` for float32 read and written four at a time (the vec4 matmul).
 */
export type ElementFormat = "f32" | "i32" | "u32" | "f16" | "vec4f";

/** The WGSL type kernels compute in for `dtype` (float16 computes in f32). float64 has none. */
export function wgslType(dtype: DType): "f32" | "i32" | "u32" {
  switch (dtype) {
    case "float32":
    case "float16":
      return "f32";
    case "int32":
      return "i32";
    case "bool":
      return "u32";
    default:
      throw new DTypeError(`webgpu: ${dtype} is not available in WGSL; cast to float32 on the CPU first (tensor.cast("float32"))`);
  }
}

/** The element format of a buffer holding `dtype`. */
export function elementFormat(dtype: DType): ElementFormat {
  return dtype === "float16" ? "f16" : wgslType(dtype);
}

/** Bytes one element of `dtype` takes in a buffer. */
export function elementBytes(dtype: DType, halfStorage: HalfStorage): number {
  return elementFormat(dtype) === "f16" && halfStorage === "f16" ? 2 : 4;
}

/** Bytes a buffer of `size` elements uses: copies and writes need a multiple of 4. */
export function storageBytes(dtype: DType, size: number, halfStorage: HalfStorage): number {
  return Math.ceil((size * elementBytes(dtype, halfStorage)) / 4) * 4;
}

/**
 * f32 → the nearest half value, as f32: round to nearest, ties to even; |x| ≥ 65520
 * becomes ±∞; ±∞ and NaN stay; half subnormals (multiples of 2⁻²⁴) are kept. Worked on
 * the bit pattern, as `roundBits` in src/half.ts, because WGSL leaves the rounding of
 * f32 → f16 conversions (and `pack2x16float` out of range) to the implementation.
 * ∞ comes from a bitcast of a run-time value: a constant-expression ∞ is a shader error.
 */
export const ROUND_HALF_WGSL = `fn round_half(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  let sign = bits & 0x80000000u;
  let a = bits & 0x7fffffffu;
  if (a >= 0x7f800000u) { return x; }
  if (a >= 0x477ff000u) { return bitcast<f32>(sign | 0x7f800000u); }
  if (a >= 0x38800000u) {
    let lsb = (a >> 13u) & 1u;
    return bitcast<f32>(sign | ((a + 0xfffu + lsb) & ~0x1fffu));
  }
  let q = bitcast<f32>(a) * 16777216.0;
  var n = floor(q);
  let rest = q - n;
  if (rest > 0.5 || (rest == 0.5 && (u32(n) & 1u) == 1u)) { n = n + 1.0; }
  return bitcast<f32>(sign | bitcast<u32>(n * 5.9604644775390625e-8));
}`;

/** The WGSL element type of a buffer in `format`. */
export function storageType(format: ElementFormat, halfStorage: HalfStorage): string {
  return format === "f16" ? halfStorage : format === "vec4f" ? "vec4<f32>" : format;
}

/** The load (and, for writable bindings, store) accessor of one binding. */
export function accessors(name: string, format: ElementFormat, writable: boolean, halfStorage: HalfStorage): string {
  const value = format === "f16" ? "f32" : format === "vec4f" ? "vec4<f32>" : format;
  // Parameter names that no binding uses.
  const read = format === "f16" && halfStorage === "f16" ? `f32(${name}[index])` : `${name}[index]`;
  const lines = [`fn load_${name}(index: u32) -> ${value} { return ${read}; }`];
  if (writable) {
    // The rounded value is exactly representable in f16, so the f16() conversion is exact.
    const write = format !== "f16" ? "value" : halfStorage === "f16" ? "f16(round_half(value))" : "round_half(value)";
    lines.push(`fn store_${name}(index: u32, value: ${value}) { ${name}[index] = ${write}; }`);
  }
  return lines.join("\n");
}

/** Host bytes to write for `data` (upload): f16 bits (padded to 4 bytes), u32 for bool, or the array itself. */
export function encodeElements(data: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }, dtype: DType, halfStorage: HalfStorage): ArrayBufferView {
  if (dtype === "bool") return Uint32Array.from(data);
  if (dtype !== "float16") return data as ArrayBufferView;
  if (halfStorage === "f32") return roundToHalf(data as Float32Array);
  const bits = new Uint16Array(Math.ceil(data.length / 2) * 2);
  bits.set(halfBits(data));
  return bits;
}

/** Elements of `dtype` from the bytes of a buffer (readback), as the host array holds them. */
export function decodeElements(bytes: ArrayBuffer, size: number, dtype: DType, halfStorage: HalfStorage): ArrayLike<number> {
  if (dtype === "bool") return new Uint32Array(bytes, 0, size);
  if (dtype === "int32") return new Int32Array(bytes, 0, size);
  if (dtype === "float16" && halfStorage === "f16") return fromHalfBits(new Uint16Array(bytes, 0, size));
  return new Float32Array(bytes, 0, size);
}
