import fc from "fast-check";
import { tensor } from "../ops/creation.js";
import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";

/** Shapes of rank 0..maxRank with dims in [minDim, maxDim] (0 and 1 included by default). */
export function shapeArbitrary(options: { maxRank?: number; minDim?: number; maxDim?: number } = {}): fc.Arbitrary<number[]> {
  const { maxRank = 3, minDim = 0, maxDim = 4 } = options;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: 0, maxLength: maxRank });
}

/** Two shapes that broadcast together: a base shape with some dims set to 1 or dropped. */
export function broadcastPairArbitrary(options: { maxRank?: number; minDim?: number; maxDim?: number } = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArbitrary(options).chain((base) =>
    fc.tuple(
      fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
      fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
      fc.nat({ max: base.length }),
      fc.nat({ max: base.length }),
    ).map(
      ([onesA, onesB, dropA, dropB]) => {
        const a = base.map((d, i) => (onesA[i] ? 1 : d)).slice(dropA);
        const b = base.map((d, i) => (onesB[i] ? 1 : d)).slice(dropB);
        return [a, b] as [number[], number[]];
      },
    ),
  );
}

/** `size` doubles in [min, max] that oversample 0, ±1 and tiny values. */
export function valuesArbitrary(size: number, options: { min?: number; max?: number } = {}): fc.Arbitrary<number[]> {
  const { min = -3, max = 3 } = options;
  const edge = fc.constantFrom(...[0, 1, -1, 1e-3, -1e-3].filter((v) => v >= min && v <= max));
  const value = fc.oneof({ weight: 4, arbitrary: fc.double({ min, max, noNaN: true }) }, { weight: 1, arbitrary: edge });
  return fc.array(value, { minLength: size, maxLength: size });
}

/** A tensor of the given shape with values from `valuesArbitrary`. */
export function tensorArbitrary(shape: readonly number[], options: { dtype?: DType; min?: number; max?: number } = {}): fc.Arbitrary<Tensor> {
  const size = shape.reduce((a, b) => a * b, 1);
  return valuesArbitrary(size, options).map((values) => tensor(Float64Array.from(values), { shape: shape.slice(), dtype: options.dtype ?? "float64" }));
}
