import type { CaseSpec, EngineName, PeerInfo } from "../harness";

/** A case made ready on one engine: `run` does one call (inputs already in place). */
export interface Prepared {
  run: () => void;
  dispose: () => void;
}

/** An in-process engine (ours and the tfjs backends). */
export interface Engine {
  name: EngineName;
  /** Loads the engine; `available: false` (with a note) skips it. */
  init(): Promise<PeerInfo>;
  /** Sets up one case, or says (a string) why the engine cannot run it. */
  prepare(spec: CaseSpec): Promise<Prepared | string>;
}
