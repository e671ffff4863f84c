/**
 * The optional PyTorch CPU peer: runs bench/torch_bench.py once for all cases with a python3
 * that can `import torch` ($FCN_BENCH_PYTHON, /usr/bin/python3, then python3 on PATH).
 * `tools/install-bench-peers.sh` installs Debian's python3-torch. The child runs in the
 * scrubbed environment of bench/peers.ts (no OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, thread
 * variables set to the requested count) and reports its kernel configuration.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MLP, mlpData, mlpInit } from "../cases";
import { type CaseSpec, type EngineResult, type MeasureOptions, type PeerInfo } from "../harness";
import { type PeerOutput, peerEnv, spawnPeer } from "../peers";
import { peerResults, readPeerOutput } from "./peerOutput";

const SCRIPT = fileURLToPath(new URL("../torch_bench.py", import.meta.url));

/** The first candidate interpreter that imports `module` (torch by default), or null. */
export function findTorchPython(module = "torch"): { python: string | null; tried: string[] } {
  const candidates = [process.env.FCN_BENCH_PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string => Boolean(c));
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    tried.push(python);
    const r = spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore", timeout: 60_000, env: peerEnv(process.env) });
    if (r.status === 0) return { python, tried };
  }
  return { python: null, tried };
}

export interface TorchRun {
  info: PeerInfo;
  results: Record<string, EngineResult | string>;
  checks: Record<string, unknown>;
}

interface TorchOutput extends PeerOutput {
  checks?: Record<string, unknown>;
}

/** Times every case in PyTorch; a missing torch gives `available: false` and a note. */
export function runTorch(cases: readonly CaseSpec[], options: MeasureOptions, settings: { threads?: number; checkSteps: number; log: (s: string) => void }): TorchRun {
  const { python, tried } = findTorchPython();
  if (python === null) {
    const note = `no python3 with torch found (tried ${tried.join(", ")}); run tools/install-bench-peers.sh`;
    return { info: { available: false, note }, results: Object.fromEntries(cases.map((c) => [c.id, "skipped: torch missing"])), checks: {} };
  }
  const data = mlpData(MLP.batch);
  const init = mlpInit(MLP.layers);
  const request = {
    cases,
    options,
    threads: settings.threads,
    checkSteps: settings.checkSteps,
    mlp: {
      x: Array.from(data.x),
      y: Array.from(data.y),
      weights: init.weights.map((w) => Array.from(w)),
      biases: init.biases.map((b) => Array.from(b)),
    },
  };
  settings.log(`PyTorch: ${python} ${SCRIPT}`);
  const r = spawnPeer(python, [SCRIPT], JSON.stringify(request), { threads: settings.threads });
  const failed = (why: string): TorchRun => ({
    info: { available: false, python, note: `PyTorch run failed: ${why}` },
    results: Object.fromEntries(cases.map((c) => [c.id, "failed"])),
    checks: {},
  });
  if (r.error) return failed(r.error.message);
  if (r.status !== 0) return failed(`exit status ${r.status}`);
  const out = readPeerOutput<TorchOutput>(r.stdout);
  if (out === null) return failed("unreadable output");
  if (!out.available) return { info: { available: false, python, note: out.note }, results: {}, checks: {} };
  return {
    info: { available: true, version: out.version, threads: out.threads, python, pythonVersion: out.pythonVersion, config: out.config },
    results: peerResults(cases, out),
    checks: out.checks ?? {},
  };
}
