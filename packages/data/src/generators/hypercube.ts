import type { RandomGenerator } from "../random.js";

/**
 * `count` distinct vertices of the unit hypercube {0, 1}^dimensions, as scikit-learn's
 * `_generate_hypercube`: distinct integers drawn without replacement from [0, 2^d) and
 * written in binary, most significant bit first. Above 30 dimensions the leading d − 30
 * coordinates are random bits and the last 30 are distinct vertices as above.
 * Returns a row-major `Float64Array` of shape [count, dimensions].
 */
export function hypercubeVertices(count: number, dimensions: number, random: RandomGenerator): Float64Array {
  const out = new Float64Array(count * dimensions);
  const exact = Math.min(dimensions, 30);
  const lead = dimensions - exact;
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < lead; j++) out[i * dimensions + j] = random.integer(2);
  }
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    let code = random.integer(2 ** exact);
    while (seen.has(code)) code = random.integer(2 ** exact);
    seen.add(code);
    for (let bit = 0; bit < exact; bit++) {
      out[i * dimensions + lead + bit] = Math.floor(code / 2 ** (exact - 1 - bit)) % 2;
    }
  }
  return out;
}
