import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// Vitest workers start without --expose-gc; a fresh context created after the flag is set
// sees `gc` (the flag is read when a context is made).
setFlagsFromString("--expose-gc");
const forceGc = runInNewContext("gc") as () => void;

/** Full collections with event-loop turns between them, so FinalizationRegistry callbacks run. */
export async function collectGarbage(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    forceGc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** V8 heap in use after a full collection. */
export async function heapAfterGc(): Promise<number> {
  await collectGarbage();
  return process.memoryUsage().heapUsed;
}
