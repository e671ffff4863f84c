/** Products with m·n·k below this run in plain JS (measured crossover, see docs/gemm.md). */
export const SMALL_FLOPS = 4096;
/** Products with m·n·k at or above this are split across threads. */
export const THREAD_FLOPS = 64 * 64 * 64 * 4;

/** min(2, available cores); 1 where the runtime cannot say. */
export function defaultThreads(): number {
  const os = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return Math.min(2, os?.availableParallelism?.() ?? 1);
}
