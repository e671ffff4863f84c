/** Config validation shared by every layer and model: each check names the field and value. */
import { ArgumentError, Generator, type Tensor, rand } from "@fcn/tensor";

/** A positive integer (sizes, widths, counts). */
export function positiveInteger(owner: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ArgumentError(`${owner}: ${field} must be a positive integer, got ${value}`);
  return value;
}

/** A non-negative integer (step counts T, depths that may be 0). */
export function nonNegativeInteger(owner: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new ArgumentError(`${owner}: ${field} must be an integer ≥ 0, got ${value}`);
  return value;
}

/** A density in (0, 1]. */
export function density(owner: string, field: string, value: number): number {
  if (!(value > 0 && value <= 1)) throw new ArgumentError(`${owner}: ${field} must be in (0, 1], got ${value}`);
  return value;
}

/** A dropout probability in [0, 1). */
export function dropoutRate(owner: string, field: string, value: number): number {
  if (!(value >= 0 && value < 1)) throw new ArgumentError(`${owner}: ${field} must be in [0, 1), got ${value}`);
  return value;
}

/** A number in the open or closed interval, named. */
export function inRange(owner: string, field: string, value: number, low: number, high: number, openLow = false): number {
  if (!(Number.isFinite(value) && (openLow ? value > low : value >= low) && value <= high)) {
    throw new ArgumentError(`${owner}: ${field} must be in ${openLow ? "(" : "["}${low}, ${high}], got ${value}`);
  }
  return value;
}

/** k with base^k = n, or an ArgumentError naming the field ("H not a power of the initiator size"). */
export function powerOf(owner: string, field: string, n: number, base: number): number {
  positiveInteger(owner, field, n);
  let k = 0;
  let v = 1;
  while (v < n) {
    v *= base;
    k++;
  }
  if (v !== n || k === 0) throw new ArgumentError(`${owner}: ${field} must be a power of the initiator size ${base} (≥ ${base}), got ${n}`);
  return k;
}

/** Uniform(−1/√fanIn, 1/√fanIn), PyTorch's default for Linear weights and biases. */
export function uniformInit(shape: readonly number[], fanIn: number, generator: Generator): Tensor {
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  return rand(shape, generator, { low: -bound, high: bound });
}

/** The seeded generator of a config (`seed`, default 0). */
export function generatorOf(seed: number | Generator | undefined): Generator {
  if (seed instanceof Generator) return seed;
  return new Generator(seed ?? 0);
}

/**
 * A 0/1 mask with exactly max(1, round(density · size)) ones at seeded random positions
 * (a fixed random sparsity pattern), as a Float32Array.
 */
export function randomMask(size: number, fraction: number, generator: Generator): Float32Array {
  const count = Math.max(1, Math.round(fraction * size));
  const order = generator.permutation(size);
  const mask = new Float32Array(size);
  for (let i = 0; i < count; i++) mask[order[i]] = 1;
  return mask;
}
