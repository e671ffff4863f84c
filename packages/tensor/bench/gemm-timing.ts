/** Small timing helpers shared by the GEMM benchmarks. */

/** Seconds per call of `fn`: best of `rounds` rounds, each repeating fn for at least `minMs` (after one warm-up call). */
export function secondsPerCall(fn: () => void, minMs = 150, rounds = 5): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let now: number;
    do {
      fn();
      calls++;
      now = performance.now();
    } while (now - start < minMs);
    best = Math.min(best, (now - start) / 1e3 / calls);
  }
  return best;
}

/** GFLOP/s of an m×k · k×n product taking `seconds` (2·m·n·k flops). */
export function gflops(m: number, n: number, k: number, seconds: number): number {
  return (2 * m * n * k) / seconds / 1e9;
}

/** Deterministic uniform(-1, 1) fill (LCG), so every run multiplies the same numbers. */
export function randomFill<T extends Float32Array | Float64Array>(arr: T, seed = 1): T {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2147483648 - 1;
  }
  return arr;
}
