/**
 * Control block shared by the main thread and the GEMM workers: one slot of SLOT_INTS Int32
 * per worker (128 bytes apart, so two workers never share a cache line).
 */
export const SLOT_INTS = 32;
/** Task generation posted by the main thread. */
export const SEQ = 0;
/** Generation the worker finished last. */
export const DONE = 1;
/** 0 while starting, 1 ready, -1 failed. */
export const STATE = 2;
/** 0: sgemm, 1: dgemm, 2: dgemmEx. */
export const OP = 3;
/** First of the 13 kernel arguments (a, b, c, m, n, k, ta, tb, i0, i1, j0, j1, work), then lda, ldb, ldc, update for dgemmEx. */
export const ARGS = 4;

/**
 * Source of a GEMM worker, run with `new Worker(source, { eval: true })` so that it needs no file
 * on disk (works from TS sources and from the bundled dist alike). It instantiates the shared
 * module over the shared memory, then sleeps on its SEQ word and runs each posted slice.
 */
export const WORKER_SOURCE = `
"use strict";
const { workerData } = require("node:worker_threads");
const { module, memory, control, slot } = workerData;
const ctl = new Int32Array(control);
const base = slot * ${SLOT_INTS};
// Read before signalling ready: the first task may be posted the moment STATE becomes 1.
let seen = Atomics.load(ctl, base + ${SEQ});
let ex;
try {
  ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  Atomics.store(ctl, base + ${STATE}, 1);
} catch (e) {
  Atomics.store(ctl, base + ${STATE}, -1);
}
Atomics.notify(ctl, base + ${STATE});
while (ex !== undefined) {
  Atomics.wait(ctl, base + ${SEQ}, seen);
  const seq = Atomics.load(ctl, base + ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  const a = base + ${ARGS};
  const op = ctl[base + ${OP}];
  const f = op === 0 ? ex.sgemm : op === 1 ? ex.dgemm : ex.dgemmEx;
  try {
    f(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6], ctl[a + 7],
      ctl[a + 8], ctl[a + 9], ctl[a + 10], ctl[a + 11], ctl[a + 12], ctl[a + 13], ctl[a + 14], ctl[a + 15], ctl[a + 16]);
  } catch (e) {
    Atomics.store(ctl, base + ${STATE}, -1);
  }
  Atomics.store(ctl, base + ${DONE}, seq);
  Atomics.notify(ctl, base + ${DONE});
}
`;
