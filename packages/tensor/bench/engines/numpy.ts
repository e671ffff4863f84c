/**
 * The optional NumPy peer of the threaded matmul: runs bench/numpy_bench.py in the scrubbed
 * environment of bench/peers.ts with its BLAS thread variables set to the requested count,
 * and records NumPy's BLAS configuration.
 */
import { fileURLToPath } from "node:url";
import { type CaseSpec, type EngineResult, type MeasureOptions, type PeerInfo } from "../harness";
import { type PeerOutput, spawnPeer } from "../peers";
import { peerResults, readPeerOutput } from "./peerOutput";
import { findTorchPython } from "./torch";

const SCRIPT = fileURLToPath(new URL("../numpy_bench.py", import.meta.url));

export interface NumpyRun {
  info: PeerInfo;
  results: Record<string, EngineResult | string>;
}


/** Times the matmul cases in NumPy on `threads` BLAS threads; a missing numpy gives `available: false`. */
export function runNumpy(cases: readonly CaseSpec[], options: MeasureOptions, settings: { threads: number; log: (s: string) => void }): NumpyRun {
  const { python, tried } = findTorchPython("numpy");
  const none = (note: string, py?: string): NumpyRun => ({ info: { available: false, note, ...(py ? { python: py } : {}) }, results: Object.fromEntries(cases.map((c) => [c.id, "skipped"])) });
  if (python === null) return none(`no python3 with numpy found (tried ${tried.join(", ")})`);
  settings.log(`NumPy (${settings.threads} thread${settings.threads === 1 ? "" : "s"}): ${python} ${SCRIPT}`);
  const r = spawnPeer(python, [SCRIPT], JSON.stringify({ cases, options, threads: settings.threads }), { threads: settings.threads });
  if (r.error) return none(`NumPy run failed: ${r.error.message}`, python);
  if (r.status !== 0) return none(`NumPy run failed: exit status ${r.status}`, python);
  const out = readPeerOutput<PeerOutput>(r.stdout);
  if (out === null) return none("NumPy run failed: unreadable output", python);
  if (!out.available) return none(out.note ?? "numpy unavailable", python);
  return { info: { available: true, version: out.version, threads: out.threads, python, pythonVersion: out.pythonVersion, config: out.config }, results: peerResults(cases, out) };
}
