import { ArgumentError } from "./errors.js";

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32. All arithmetic is 32-bit integer, so the same seed gives the same stream on
 * every platform. Every random function in FCN takes one of these explicitly.
 *
 * @example
 * const gen = new Generator(42);
 * gen.uniform(); // in [0, 1)
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new ArgumentError(`Generator: seed must be a finite integer, got ${String(seed)}`);
    }
    // Mix both halves of a 53-bit seed so seeds above 2^32 differ.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
    const next = (): number => {
      // splitmix32
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

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [low, high). */
  integer(low: number, high: number): number {
    const span = high - low;
    if (!(span > 0) || !Number.isInteger(low) || !Number.isInteger(high)) {
      throw new ArgumentError(`Generator.integer: need integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.uniform() * span);
  }

  /** Standard normal sample (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A new generator whose stream is independent of this one's continuation. */
  split(): Generator {
    return new Generator(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
