/** Products with m·n·k below this run in plain JS (measured crossover, see docs/gemm.md). */
export const SMALL_FLOPS = 256;
/**
 * Products with m·n·k at or above this (e.g. 128×128×256) are split across threads: below it the
 * worker's wake-up (~10-20 µs) and the halved cache blocks eat the gain (see docs/gemm.md).
 */
export const THREAD_FLOPS = 1 << 22;

/** min(2, available cores); 1 where the runtime cannot say. */
export function defaultThreads(): number {
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return Math.min(2, os?.availableParallelism?.() ?? 1);
}
