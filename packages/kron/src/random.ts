/**
 * Seeded pseudo-random numbers: every random graph, permutation and noise draw in this package
 * takes a seed and is reproducible. The stream is `@fcn/tensor`'s `Generator` (xoshiro128**
 * seeded by SplitMix32), so a seed gives the same numbers here, in tensor and in `@fcn/data`.
 */
import { ArgumentError, Generator } from "@fcn/tensor";

/** A seeded random source: a `Generator` seen through the draws this package uses. */
export interface Random {
  /** Uniform in [0, 1): `Generator.uniform()`. */
  uniform(): number;
  /** Standard normal N(0, 1) by Box–Muller: `Generator.normal()`. */
  normal(): number;
  /** Uniform integer in [0, bound): `Generator.integer(0, bound)`. */
  integer(bound: number): number;
}

/**
 * Creates a reproducible random source from a seed (rounded down to an integer), drawing from
 * `new Generator(⌊seed⌋)`: `createRandom(s).uniform()` equals `new Generator(⌊s⌋).uniform()`.
 * @example createRandom(7).uniform()
 */
export function createRandom(seed: number): Random {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new ArgumentError(`createRandom: seed must be a finite number, got ${String(seed)}`, "seed");
  }
  const generator = new Generator(Math.floor(seed));
  return {
    uniform: () => generator.uniform(),
    normal: () => generator.normal(),
    integer: (bound: number) => generator.integer(0, bound),
  };
}
