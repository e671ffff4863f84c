/** Reading what a Python peer script printed: its last stdout line as JSON, then each case's samples. */
import { type CaseSpec, type EngineResult, summarize, toEngineResult } from "../harness";
import type { PeerOutput } from "../peers";

/** The peer's report (its last line of stdout), or null when that line is not JSON. */
export function readPeerOutput<T extends PeerOutput>(stdout: string): T | null {
  try {
    return JSON.parse(stdout.trim().split("\n").pop() ?? "") as T;
  } catch {
    return null;
  }
}

/** Each case's result: timed samples summarized, the peer's own reason for skipping, or "missing". */
export function peerResults(cases: readonly CaseSpec[], out: PeerOutput): Record<string, EngineResult | string> {
  const results: Record<string, EngineResult | string> = {};
  for (const c of cases) {
    const raw = out.results?.[c.id];
    if (raw === undefined) results[c.id] = "missing";
    else if (typeof raw === "string") results[c.id] = raw;
    else results[c.id] = toEngineResult(c, summarize(raw.samples, raw.callsPerRep));
  }
  return results;
}
