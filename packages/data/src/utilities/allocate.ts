/**
 * Seeded assignment of sample indices to buckets of given sizes, optionally stratified.
 * Stratified allocation rounds the class × bucket table nₖ·sⱼ/n so that every row sums to
 * the class count, every column to the bucket size, and every cell is ⌊nₖsⱼ/n⌋ or that + 1
 * (a controlled rounding, built greedily as in the Gale–Ryser construction).
 */
import type { RandomGenerator } from "../random.js";

/** Class × bucket counts, each within 1 of nₖ·sⱼ/n, rows summing to class counts and columns to sizes. */
export function stratifiedCounts(classCounts: readonly number[], sizes: readonly number[]): number[][] {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const table = classCounts.map((count) => sizes.map((size) => Math.floor((count * size) / n)));
  const fraction = classCounts.map((count, c) => sizes.map((size, j) => (count * size) / n - table[c][j]));
  const rowLeft = classCounts.map((count, c) => count - table[c].reduce((a, b) => a + b, 0));
  const columnLeft = sizes.map((size, j) => size - table.reduce((sum, row) => sum + row[j], 0));
  const columns = sizes.map((_, j) => j).sort((a, b) => columnLeft[b] - columnLeft[a] || a - b);
  for (const j of columns) {
    const rows = classCounts
      .map((_, c) => c)
      .filter((c) => rowLeft[c] > 0)
      .sort((a, b) => rowLeft[b] - rowLeft[a] || fraction[b][j] - fraction[a][j] || a - b);
    for (let t = 0; t < columnLeft[j]; t++) {
      const c = rows[t];
      table[c][j] += 1;
      rowLeft[c] -= 1;
    }
  }
  return table;
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
