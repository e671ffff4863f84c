/**
 * The seeded random stream of `@fcn/data` — the same algorithm as `@fcn/tensor`'s
 * `Generator` (which `@fcn/kron` draws from too), so a seed means the same numbers in every
 * package and on every platform. `@fcn/data` works without `@fcn/tensor` installed, so it keeps
 * this one copy of the algorithm; `test/rng-conformance.test.ts` checks it against tensor's
 * draw for draw over random seeds.
 *
 * 1. **Seeding — SplitMix32.** x₀ = ToUint32(seed) ⊕ imul(⌊seed / 2³²⌋, 0x9e3779b9) mixes both
 *    halves of the seed; four SplitMix32 outputs (x += 0x9e3779b9; z = x; z = imul(z ⊕ z≫16,
 *    0x85ebca6b); z = imul(z ⊕ z≫13, 0xc2b2ae35); z ⊕ z≫16) fill the state s₀…s₃.
 * 2. **Stream — xoshiro128\*\*** (Blackman & Vigna, 2018): 32-bit outputs
 *    `rotl(s1·5, 7)·9`, then the xoshiro128 state update.
 * 3. **Floats.** `float()` = `((u₁ >>> 5)·2²⁶ + (u₂ >>> 6)) / 2⁵³`, uniform on [0, 1) with 53
 *    random bits from two outputs.
 * 4. **Gaussians — Box–Muller.** u = float() (redrawn while 0), v = float();
 *    r = √(−2 ln u); return r cos 2πv and keep r sin 2πv for the next call.
 * 5. **Integers below m:** ⌊m · float()⌋.
 * 6. **Shuffles** by Fisher–Yates from the last index down: swap i with ⌊(i + 1)·float()⌋.
 *
 * All integer arithmetic is 32-bit, so uniform draws, integers and shuffles are bit-identical
 * everywhere; Gaussians use `Math.log`, `Math.cos`, `Math.sin`, which V8 computes the same on
 * every platform (its fdlibm port).
 */
import { integerAtLeast, seedValue } from "./validate.js";

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
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
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

  /** Gaussian `mean + std·z`, z standard normal by Box–Muller (both values used). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, bound): ⌊bound · float()⌋; `bound` a positive integer. */
  integer(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1) integerAtLeast("RandomGenerator.integer", "bound", bound);
    return Math.floor(this.float() * bound);
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

  /**
   * A new generator seeded from this one's next two outputs (`u₁·2²¹ + (u₂ >>> 11)`), as
   * `@fcn/tensor`'s `Generator.split`.
   */
  split(): RandomGenerator {
    return new RandomGenerator(this.uint32() * 2097152 + (this.uint32() >>> 11));
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
    value = splitMix64(state)[1];
    state = value;
  }
  return Number(value >> 11n);
}
