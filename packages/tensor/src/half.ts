/**
 * IEEE 754 binary16 ("half", float16) conversions. Node has no Float16Array yet, so
 * float16 tensors keep their elements in a Float32Array whose values are all exactly
 * representable in half precision: every kernel computes in float32 and rounds its output
 * with {@link roundToHalf} (round to nearest, ties to even; overflow gives ±Infinity).
 */

/** Largest finite half: 65504. Values at or above 65520 (the midpoint to 2^16) round to ∞. */
export const HALF_MAX = 65504;

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** f32 bits → the f32 bits of the nearest half value. */
function roundBits(bits: number): number {
  const sign = bits & 0x80000000;
  const abs = bits & 0x7fffffff;
  if (abs >= 0x7f800000) return bits; // ±∞ and NaN stay
  if (abs >= 0x477ff000) return (sign | 0x7f800000) >>> 0; // ≥ 65520 overflows to ±∞
  if (abs >= 0x38800000) {
    // Normal half: keep 10 of the 23 mantissa bits, ties to even.
    const lsb = (abs >>> 13) & 1;
    return (sign | ((abs + 0xfff + lsb) & ~0x1fff)) >>> 0;
  }
  // Subnormal half (or zero): a multiple of 2^-24.
  scratchBits[0] = abs;
  const q = scratch[0] * 16777216; // exact: scaling by a power of two
  let n = Math.floor(q);
  const rest = q - n;
  if (rest > 0.5 || (rest === 0.5 && (n & 1) === 1)) n++;
  scratch[0] = n / 16777216;
  return (sign | scratchBits[0]) >>> 0;
}

/** Rounds every element of `data` to the nearest half value, in place; returns `data`. */
export function roundToHalf(data: Float32Array): Float32Array {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    // Fast path: a normal value already on the half grid with no overflow needs no work.
    const abs = b & 0x7fffffff;
    if ((b & 0x1fff) === 0 && abs >= 0x38800000 && abs < 0x477ff000) continue;
    bits[i] = roundBits(b);
  }
  return data;
}

/** The nearest half value of one number (as a number). */
export function toHalf(value: number): number {
  scratch[0] = value;
  scratchBits[0] = roundBits(scratchBits[0]);
  return scratch[0];
}

/** The binary16 bit patterns of half values (for files and GPU buffers). */
export function halfBits(data: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    scratch[0] = data[i];
    const b = roundBits(scratchBits[0]);
    const sign = (b >>> 16) & 0x8000;
    const abs = b & 0x7fffffff;
    let h: number;
    if (abs >= 0x7f800000) h = abs > 0x7f800000 ? 0x7e00 : 0x7c00;
    else if (abs >= 0x38800000) h = ((abs - 0x38000000) >>> 13) & 0x7fff;
    else {
      scratchBits[0] = abs;
      h = Math.round(scratch[0] * 16777216);
    }
    out[i] = sign | h;
  }
  return out;
}

/** Half values from binary16 bit patterns. */
export function fromHalfBits(bits: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >>> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) out[i] = sign * mantissa * 2 ** -24;
    else if (exponent === 31) out[i] = mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return out;
}
