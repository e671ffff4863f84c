import type { Worker as NodeWorker } from "node:worker_threads";
import { gemmModule } from "./module";
import { ARGS, DONE, OP, SEQ, SLOT_INTS, STATE, WORKER_SOURCE } from "./worker-source";

/** Most worker threads the pool will start. */
export const MAX_WORKERS = 64;
/** How long the main thread waits for a new worker to instantiate the module. */
const START_TIMEOUT_MS = 10_000;
/** Polls of the DONE word before sleeping on it: the other slice usually finishes within microseconds. */
const SPIN = 20_000;

type WorkerCtor = typeof NodeWorker;

/** `node:worker_threads` where the runtime has it (Node ≥ 20.16), found without a static import. */
function workerCtor(): WorkerCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.("node:worker_threads") as { Worker?: WorkerCtor } | undefined;
  return mod?.Worker;
}

/**
 * Worker threads sharing the GEMM wasm memory. Started lazily and synchronously (the caller
 * blocks until they are ready), unref'd so they never keep the process alive.
 */
export class GemmPool {
  private readonly workers: NodeWorker[] = [];
  private readonly ctl = new Int32Array(new SharedArrayBuffer(MAX_WORKERS * SLOT_INTS * 4));
  private readonly seq: number[] = [];
  private broken = false;

  constructor(private readonly memory: WebAssembly.Memory) {}

  /** Starts workers until `count` are running; returns how many are usable (0 when threads are unavailable). */
  ensure(count: number): number {
    count = Math.min(count, MAX_WORKERS);
    if (this.broken) return 0;
    const Worker = workerCtor();
    if (Worker === undefined) {
      this.broken = true;
      return 0;
    }
    while (this.workers.length < count) {
      const slot = this.workers.length;
      const base = slot * SLOT_INTS;
      Atomics.store(this.ctl, base + STATE, 0);
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: gemmModule(), memory: this.memory, control: this.ctl.buffer, slot },
      });
      worker.unref();
      Atomics.wait(this.ctl, base + STATE, 0, START_TIMEOUT_MS);
      if (Atomics.load(this.ctl, base + STATE) !== 1) {
        void worker.terminate();
        this.broken = true;
        return 0;
      }
      this.workers.push(worker);
      this.seq.push(0);
    }
    return count;
  }

  /** Posts a kernel call to worker `slot` (op 0 = f32, 1 = f64; args as the wasm kernel takes them). */
  post(slot: number, op: number, args: readonly number[]): void {
    const base = slot * SLOT_INTS;
    this.ctl[base + OP] = op;
    for (let i = 0; i < args.length; i++) this.ctl[base + ARGS + i] = args[i];
    const seq = (this.seq[slot] = (this.seq[slot] + 1) | 0);
    Atomics.store(this.ctl, base + SEQ, seq);
    Atomics.notify(this.ctl, base + SEQ);
  }

  /** Blocks until worker `slot` finished its last posted call; throws if it failed. */
  wait(slot: number): void {
    const base = slot * SLOT_INTS;
    const seq = this.seq[slot];
    for (let i = 0; i < SPIN && Atomics.load(this.ctl, base + DONE) !== seq; i++);
    for (;;) {
      const done = Atomics.load(this.ctl, base + DONE);
      if (done === seq) break;
      Atomics.wait(this.ctl, base + DONE, done);
    }
    if (Atomics.load(this.ctl, base + STATE) !== 1) {
      this.broken = true;
      throw new Error("gemm worker failed");
    }
  }

  /** Number of running workers. */
  get size(): number {
    return this.workers.length;
  }
}
