/**
 * The seeded random stream of `@fcn/data`, fully specified so that a seed means the same
 * numbers on every platform:
 *
 * 1. **Seeding — SplitMix64.** The seed (a safe integer, taken modulo 2⁶⁴) is the SplitMix64
 *    state; two SplitMix64 outputs `a`, `b` give the 128-bit state
 *    `[lo(a), hi(a), lo(b), hi(b)]` (32-bit words).
 * 2. **Stream — xoshiro128\*\*** (Blackman & Vigna, 2018): 32-bit outputs,
 *    `out = rotl(s1·5, 7)·9`, then the xoshiro128 state update.
 * 3. **Floats.** `float()` = `((u₁ >>> 5)·2²⁶ + (u₂ >>> 6)) / 2⁵³`, uniform on [0, 1) with 53
 *    random bits (two outputs, as in MT19937's `genrand_res53`).
 * 4. **Gaussians — Marsaglia polar method.** Draw `v₁, v₂ = 2·float() − 1` until
 *    `0 < s = v₁² + v₂² < 1`; return `v₁·f` and keep `v₂·f` for the next call,
 *    `f = √(−2 ln s / s)`.
 * 5. **Integers below `m`** by rejection: draw `u` until `u < 2³² − (2³² mod m)`, return
 *    `u mod m` (unbiased).
 * 6. **Shuffles** by Fisher–Yates from the last index down: swap `i` with `integer(i + 1)`.
 *
 * Integer and float results are bit-identical everywhere; Gaussians use `Math.log` and
 * `Math.sqrt`, which V8 computes identically on every platform.
 */
import { seedValue } from "./validate.js";

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** One SplitMix64 step: returns the next state and its 64-bit output. */
export function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded xoshiro128** stream with uniform, Gaussian, integer and shuffle helpers.
 *
 * @example
 * const random = new RandomGenerator(42);
 * random.float();     // uniform on [0, 1)
 * random.normal();    // standard normal
 * random.integer(6);  // 0..5
 */
export class RandomGenerator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    seedValue("RandomGenerator", seed);
    const [state, a] = splitMix64(BigInt.asUintN(64, BigInt(seed)));
    const [, b] = splitMix64(state);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /**
   * A generator started from an explicit xoshiro128 state (four 32-bit words, not all 0),
   * for checking the stream against the reference implementation.
   */
  static fromState(state: readonly [number, number, number, number]): RandomGenerator {
    const random = new RandomGenerator(0);
    [random.s0, random.s1, random.s2, random.s3] = state.map((word) => word >>> 0);
    return random;
  }

  /** Next raw 32-bit output, an integer in [0, 2³²). */
  uint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ s1) >>> 0;
    this.s1 = (s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits: `((u₁ >>> 5)·2²⁶ + (u₂ >>> 6)) / 2⁵³`. */
  float(): number {
    const high = this.uint32() >>> 5;
    const low = this.uint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /** Uniform on [low, high): `low + (high − low)·float()`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.float();
  }

  /** Gaussian `mean + std·z`, z standard normal by the Marsaglia polar method. */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.float() - 1;
      v2 = 2 * this.float() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v2 * factor;
    return mean + std * v1 * factor;
  }

  /** Uniform integer in [0, bound), unbiased by rejection; `bound` in [1, 2³²]. */
  integer(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 4294967296) {
      throw new RangeError(`RandomGenerator.integer: bound must be an integer in [1, 2^32], got ${bound}`);
    }
    const limit = 4294967296 - (4294967296 % bound);
    let u = this.uint32();
    while (u >= limit) u = this.uint32();
    return u % bound;
  }

  /** Shuffles `array` in place by Fisher–Yates and returns it. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of `0..n-1` (Fisher–Yates on the identity). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Fills a new `Float64Array` of `length` with uniform draws on [low, high). */
  uniformArray(length: number, low = 0, high = 1): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.uniform(low, high);
    return out;
  }

  /** Fills a new `Float64Array` of `length` with Gaussian draws N(mean, std²). */
  normalArray(length: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.normal(mean, std);
    return out;
  }
}

/**
 * Derives an independent seed from a seed and labels (e.g. an epoch number), by feeding
 * each part through SplitMix64. Returns a non-negative safe integer.
 *
 * @example
 * const epochSeed = deriveSeed(7, 3); // the seed for epoch 3 of a run seeded with 7
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let state = BigInt.asUintN(64, BigInt(seedValue("deriveSeed", seed)));
  let value = 0n;
  for (const part of [0, ...parts]) {
    state = BigInt.asUintN(64, state ^ BigInt.asUintN(64, BigInt(seedValue("deriveSeed", part))));
    [state, value] = splitMix64(state);
    state = value;
  }
  return Number(value >> 11n);
}
