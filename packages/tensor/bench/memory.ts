/**
 * `pnpm bench:memory` for @fcn/tensor: issue 14's "memory flat" targets. Heap growth after
 * forced garbage collection (with event-loop turns, so finalizers run) over 1M scalar-operand
 * ops in `tidy` — `tidy(() => tensor([1]).add(1))`, whose result nobody disposes — and over
 * 100k MLP 2→64→64→1 Adam steps in `tidy` (the speed benchmark's training case). Each target
 * is growth < 2 MB. Prints the report as JSON on stdout, MET/MISS lines on stderr; writes
 * nothing.
 *
 *   pnpm bench:memory            # 1M ops, 100k steps (minutes)
 *   pnpm bench:memory --quick    # 20k ops, 2k steps: a smoke run
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import os from "node:os";
import { ARRAY_OVERHEAD_BYTES, memory, tensor, tidy } from "../src/index";
import { MLP } from "./cases";
import { createMlp } from "./engines/ours";

setFlagsFromString("--expose-gc");
const forceGc = runInNewContext("gc") as () => void;

const TARGET_BYTES = 2 * 1024 * 1024;
const quick = process.argv.includes("--quick");
const log = (line: string) => process.stderr.write(`${line}\n`);

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    forceGc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return process.memoryUsage().heapUsed;
}

interface LoopResult {
  id: string;
  iterations: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  heapGrowthBytes: number;
  heapGrowthPerIterationBytes: number;
  liveTensorsGained: number;
  /** CPU pool at the end (bounded; part of the heap figure). */
  pooledArrays: number;
  pooledBytes: number;
  /** The wasm arena: bytes in live blocks gained, and bytes touched (its peak) gained, over the loop. */
  arenaLiveBytesGained: number;
  arenaTouchedBytesGained: number;
  microsecondsPerIteration: number;
  targetBytes: number;
  status: "MET" | "MISS";
}

/** Warms up, then measures heap and live tensors around `iterations` calls of `step`. */
async function measureLoop(id: string, iterations: number, step: () => unknown): Promise<LoopResult> {
  for (let i = 0; i < Math.min(2000, iterations / 10); i++) step();
  const heapBeforeBytes = await heapAfterGc();
  const tensorsBefore = memory().tensors;
  const arenaBefore = memory().storage.cpu!.arena!;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) step();
  const seconds = (performance.now() - start) / 1000;
  const heapAfterBytes = await heapAfterGc();
  const stats = memory().storage.cpu!;
  const heapGrowthBytes = heapAfterBytes - heapBeforeBytes;
  return {
    id,
    iterations,
    heapBeforeBytes,
    heapAfterBytes,
    heapGrowthBytes,
    heapGrowthPerIterationBytes: heapGrowthBytes / iterations,
    liveTensorsGained: memory().tensors - tensorsBefore,
    pooledArrays: stats.pooledArrays,
    pooledBytes: stats.pooledBytes,
    arenaLiveBytesGained: stats.arena!.liveBytes - arenaBefore.liveBytes,
    arenaTouchedBytesGained: stats.arena!.touchedBytes - arenaBefore.touchedBytes,
    microsecondsPerIteration: (seconds * 1e6) / iterations,
    targetBytes: TARGET_BYTES,
    // Flat means both: the JS heap, and the arena (which never shrinks, so any creep would stay).
    status: heapGrowthBytes < TARGET_BYTES && stats.arena!.touchedBytes - arenaBefore.touchedBytes < TARGET_BYTES ? "MET" : "MISS",
  };
}

/** Heap bytes one Float32Array(1) really takes (the figure behind ARRAY_OVERHEAD_BYTES). */
async function measureArrayOverhead(): Promise<number> {
  const n = 100_000;
  const before = await heapAfterGc();
  const arrays = Array.from({ length: n }, () => new Float32Array(1));
  const after = await heapAfterGc();
  return (after - before) / arrays.length - 4 - 4; // less the elements and the list slot
}

async function main(): Promise<void> {
  const scalarOps = quick ? 20_000 : 1_000_000;
  const mlpSteps = quick ? 2_000 : 100_000;
  log(`@fcn/tensor memory bench: ${scalarOps} scalar ops, ${mlpSteps} MLP steps${quick ? " (quick)" : ""}`);
  const scalar = await measureLoop("scalar-op-in-tidy", scalarOps, () => tidy(() => tensor([1]).add(1)));
  const mlp = createMlp(MLP);
  const training = await measureLoop("mlp-adam-step-in-tidy", mlpSteps, () => mlp.step());
  mlp.dispose();
  const report = {
    benchmark: "tensor-memory",
    quick,
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    arrayOverheadBytes: { assumed: ARRAY_OVERHEAD_BYTES, measured: await measureArrayOverhead() },
    results: [scalar, training],
  };
  for (const r of report.results) {
    log(
      `${r.status} ${r.id}: heap growth ${(r.heapGrowthBytes / 1024).toFixed(1)} KiB over ${r.iterations} ` +
        `(${r.heapGrowthPerIterationBytes.toFixed(2)} B/iteration; target < ${TARGET_BYTES / 1024 / 1024} MiB), ` +
        `live tensors gained ${r.liveTensorsGained}, pool ${r.pooledArrays} arrays / ${(r.pooledBytes / 1024).toFixed(1)} KiB, ` +
        `arena live ${r.arenaLiveBytesGained} B / touched ${r.arenaTouchedBytesGained} B gained, ` +
        `${r.microsecondsPerIteration.toFixed(2)} µs/iteration`,
    );
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
