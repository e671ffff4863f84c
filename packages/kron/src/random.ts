/**
 * Seeded pseudo-random numbers (splitmix32 state, xorshift-multiply output): every random
 * graph, permutation and noise draw in this package takes a seed and is reproducible.
 */
import { ArgumentError } from "@fcn/tensor";

/** A seeded random source. */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1) by Box–Muller. */
  normal(): number;
  /** Uniform integer in [0, bound). */
  integer(bound: number): number;
}

/**
 * Creates a reproducible random source from an integer seed.
 * @example createRandom(7).uniform()
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new ArgumentError(`seed must be a finite number, got ${seed}`);
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  let spare: number | undefined;
  const next32 = (): number => {
    // splitmix32: z = mix(state += golden ratio).
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  // 53-bit uniform from two 32-bit draws: (a·2²⁶ + b) / 2⁵³ with a, b truncated to 27 and 26 bits.
  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    uniform,
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = uniform();
      while (u === 0) u = uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    integer(bound: number): number {
      return Math.floor(uniform() * bound);
    },
  };
}
