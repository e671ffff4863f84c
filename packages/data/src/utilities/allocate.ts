/**
 * Seeded assignment of sample indices to buckets of given sizes, optionally stratified.
 * Stratified allocation rounds the class × bucket table nₖ·sⱼ/n so that every row sums to
 * the class count, every column to the bucket size, and every cell is within 1 of its
 * exact share (a controlled rounding).
 */
import type { RandomGenerator } from "../random.js";

/**
 * Class × bucket counts: cell (k, j) is ⌊nₖsⱼ/n⌋, or that + 1 only where nₖsⱼ/n is not an
 * integer, so every cell is strictly within 1 of nₖsⱼ/n; rows sum to the class counts and
 * columns to the bucket sizes. The +1 cells are a maximum flow from classes (capacity:
 * row remainder) to buckets (capacity: column remainder) over the cells with a fractional
 * part — the flow is integral and saturating because the fractional parts form a feasible
 * fractional flow. Cells with larger fractional parts are tried first.
 */
export function stratifiedCounts(classCounts: readonly number[], sizes: readonly number[]): number[][] {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const table = classCounts.map((count) => sizes.map((size) => Math.floor((count * size) / n)));
  const fraction = classCounts.map((count) => sizes.map((size) => (count * size) % n));
  const rowLeft = classCounts.map((count, c) => count - table[c].reduce((a, b) => a + b, 0));
  const columnLeft = sizes.map((size, j) => size - table.reduce((sum, row) => sum + row[j], 0));
  const added = classCounts.map(() => sizes.map(() => 0));
  const preference = classCounts.map((_, c) =>
    sizes.map((_, j) => j).filter((j) => fraction[c][j] > 0).sort((a, b) => fraction[c][b] - fraction[c][a] || a - b),
  );
  // Augmenting paths source → class → bucket (→ class → bucket …) → sink, breadth first.
  for (;;) {
    const fromBucket = sizes.map(() => -1);
    const fromClass = classCounts.map(() => -2); // -1: reached from the source
    const queue: number[] = [];
    classCounts.forEach((_, c) => {
      if (rowLeft[c] > 0) {
        fromClass[c] = -1;
        queue.push(c);
      }
    });
    let end = -1;
    while (queue.length > 0 && end < 0) {
      const c = queue.shift()!;
      for (const j of preference[c]) {
        if (fromBucket[j] >= 0 || added[c][j] === 1) continue;
        fromBucket[j] = c;
        if (columnLeft[j] > 0) {
          end = j;
          break;
        }
        classCounts.forEach((_, other) => {
          if (fromClass[other] === -2 && added[other][j] === 1) {
            fromClass[other] = j;
            queue.push(other);
          }
        });
      }
    }
    if (end < 0) break;
    columnLeft[end] -= 1;
    for (let j = end; ; ) {
      const c = fromBucket[j];
      added[c][j] = 1;
      const previous = fromClass[c];
      if (previous === -1) {
        rowLeft[c] -= 1;
        break;
      }
      added[c][previous] = 0;
      j = previous;
    }
  }
  return table.map((row, c) => row.map((value, j) => value + added[c][j]));
}

/**
 * Splits `0..n-1` into buckets of `sizes` (Σ sizes ≤ n; the rest is dropped). Without labels:
 * one seeded permutation cut into consecutive pieces. With labels: each class's indices are
 * shuffled and dealt out by {@link stratifiedCounts}; each bucket is then shuffled.
 */
export function allocateIndices(
  n: number,
  sizes: readonly number[],
  random: RandomGenerator,
  labels?: Int32Array,
): Int32Array[] {
  const used = sizes.reduce((a, b) => a + b, 0);
  const all = used < n ? [...sizes, n - used] : [...sizes];
  let buckets: Int32Array[];
  if (!labels) {
    const order = random.permutation(n);
    let start = 0;
    buckets = all.map((size) => order.slice(start, (start += size)));
  } else {
    const classes = labels.reduce((max, label) => Math.max(max, label), -1) + 1;
    const members: number[][] = Array.from({ length: classes }, () => []);
    for (let i = 0; i < n; i++) members[labels[i]].push(i);
    for (const list of members) random.shuffle(list);
    const table = stratifiedCounts(members.map((list) => list.length), all);
    const filled = all.map((size) => new Int32Array(size));
    const cursor = all.map(() => 0);
    members.forEach((list, c) => {
      let start = 0;
      table[c].forEach((count, j) => {
        for (let t = 0; t < count; t++) filled[j][cursor[j]++] = list[start + t];
        start += count;
      });
    });
    buckets = filled.map((bucket) => random.shuffle(bucket));
  }
  return buckets.slice(0, sizes.length);
}
