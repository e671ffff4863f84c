/**
 * Honest native peers (issue 14): the environment a Python peer runs in, the machine's
 * floating-point peak from /proc/cpuinfo, and the check that flags a peer figure far below
 * that peak as suspect instead of comparing with it.
 *
 * Why: these machines set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for old OpenBLAS builds, and
 * they slow current ones; a peer linked against a reference BLAS runs 20× below the machine.
 * A ratio against such a figure says nothing about our engine, so it is not printed.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { readFileSync } from "node:fs";

// ---------------------------------------------------------------------------------------------
// The child environment

/** Variables removed from a Python peer's environment (that process only; the parent keeps them). */
export const SCRUBBED_ENV_VARS = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"] as const;

/** The thread-count variables a peer's BLAS and OpenMP runtime read at start-up. */
export const THREAD_ENV_VARS = ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] as const;

/**
 * A copy of `parent` for a peer process: without SCRUBBED_ENV_VARS, and with the thread
 * variables set to `threads` when given. `parent` itself is not changed.
 */
export function peerEnv(parent: NodeJS.ProcessEnv, threads?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  for (const name of SCRUBBED_ENV_VARS) delete env[name];
  if (threads !== undefined) for (const name of THREAD_ENV_VARS) env[name] = String(threads);
  return env;
}

/** Runs a peer process with `input` on stdin in the scrubbed environment; stderr is passed through. */
export function spawnPeer(
  command: string,
  args: readonly string[],
  input: string,
  options: { threads?: number; timeoutMs?: number; parentEnv?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    input,
    encoding: "utf8",
    env: peerEnv(options.parentEnv ?? process.env, options.threads),
    stdio: ["pipe", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 30 * 60_000,
  });
}

// ---------------------------------------------------------------------------------------------
// The machine's peak

export interface CpuInfo {
  model: string;
  /** Logical CPUs (`processor` entries). */
  logicalCpus: number;
  /** Physical cores: `cpu cores` × distinct `physical id`s (the logical count where absent). */
  physicalCores: number;
  /** Highest `cpu MHz` over the CPUs (the nominal clock under a hypervisor). */
  mhz: number;
  flags: Set<string>;
}

/** Reads the fields the peak needs from a Linux /proc/cpuinfo text; null when it has none. */
export function parseCpuinfo(text: string): CpuInfo | null {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  if (blocks.length === 0) return null;
  const field = (block: string, name: string): string | undefined => {
    const m = new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(block);
    return m?.[1].trim();
  };
  let mhz = 0;
  const packages = new Set<string>();
  let coresPerPackage = 0;
  for (const b of blocks) {
    mhz = Math.max(mhz, Number(field(b, "cpu MHz") ?? 0) || 0);
    packages.add(field(b, "physical id") ?? "0");
    coresPerPackage = Math.max(coresPerPackage, Number(field(b, "cpu cores") ?? 0) || 0);
  }
  const physical = coresPerPackage > 0 ? Math.min(blocks.length, coresPerPackage * packages.size) : blocks.length;
  return {
    model: field(blocks[0], "model name") ?? "unknown",
    logicalCpus: blocks.length,
    physicalCores: physical,
    mhz,
    flags: new Set((field(blocks[0], "flags") ?? "").split(/\s+/).filter(Boolean)),
  };
}

/** FMA instructions a core issues per cycle at its widest vector (two pipes on x86 cores since Haswell and Zen). */
export const FMA_UNITS_PER_CORE = 2;

export interface PeakEstimate {
  method: "cpuinfo-formula";
  model: string;
  physicalCores: number;
  ghz: number;
  /** float32 lanes of the widest vector the flags name (16 with avx512f, 8 with avx2/avx+fma, 4 otherwise). */
  lanesF32: number;
  fmaUnitsPerCore: number;
  /** 2 flops (multiply and add) × lanes × FMA units × GHz: one core's float32 peak. */
  perCoreGflopsF32: number;
  formula: string;
}

/**
 * The float32 FMA peak of one core from the CPU's flags and clock: GHz × FMA units × lanes × 2.
 * It is an upper bound where the vector units are narrower than the instruction set (Zen 4
 * runs AVX-512 on 256-bit units, some Xeons have one 512-bit FMA port) or the clock is below
 * the nominal one, and it is exceeded by the amount of any turbo above `cpu MHz`.
 */
export function estimatePeak(info: CpuInfo, fmaUnits = FMA_UNITS_PER_CORE): PeakEstimate | null {
  if (!(info.mhz > 0)) return null;
  const f = info.flags;
  const lanesF32 = f.has("avx512f") ? 16 : f.has("avx2") || f.has("avx") ? 8 : 4;
  const units = f.has("fma") || f.has("avx512f") ? fmaUnits : 1;
  const ghz = info.mhz / 1000;
  const perCore = ghz * units * lanesF32 * 2;
  return {
    method: "cpuinfo-formula",
    model: info.model,
    physicalCores: info.physicalCores,
    ghz,
    lanesF32,
    fmaUnitsPerCore: units,
    perCoreGflopsF32: perCore,
    formula: `${ghz.toFixed(3)} GHz × ${units} FMA/cycle × ${lanesF32} float32 lanes × 2 flops = ${perCore.toFixed(1)} GFLOP/s per core`,
  };
}

/** The machine's peak for `dtype` on `threads` threads (float64: half the lanes; threads beyond the physical cores add nothing). */
export function peakGflops(peak: PeakEstimate, dtype: "float32" | "float64", threads: number): number {
  const cores = Math.max(1, Math.min(threads, peak.physicalCores));
  return (peak.perCoreGflopsF32 * cores) / (dtype === "float64" ? 2 : 1);
}

/** The peak from this machine's /proc/cpuinfo, or null (not Linux, or no clock given). */
export function machinePeak(file = "/proc/cpuinfo"): PeakEstimate | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const info = parseCpuinfo(text);
  return info === null ? null : estimatePeak(info);
}

// ---------------------------------------------------------------------------------------------
// Suspect figures

/** A native peer's figure below this fraction of the machine's peak is suspect. */
export const SUSPECT_FRACTION = 0.1;

export interface SuspectFlag {
  /** The figure over the peak it was compared with. */
  fractionOfPeak: number;
  peakGflops: number;
  threads: number;
  reason: string;
}

/**
 * Whether `gflops`, measured on `threads` threads, is suspect against the peak: below
 * SUSPECT_FRACTION of it. Returns the flag, or null for a plausible figure (or no peak).
 */
export function suspectFlag(gflops: number, dtype: "float32" | "float64", threads: number, peak: PeakEstimate | null): SuspectFlag | null {
  if (peak === null || !Number.isFinite(gflops)) return null;
  const ref = peakGflops(peak, dtype, threads);
  const fraction = gflops / ref;
  if (fraction >= SUSPECT_FRACTION) return null;
  return {
    fractionOfPeak: fraction,
    peakGflops: ref,
    threads,
    reason: `${gflops.toPrecision(3)} GFLOP/s is ${(100 * fraction).toFixed(1)}% of the machine's ${dtype} peak on ${threads} ` +
      `thread${threads === 1 ? "" : "s"} (${ref.toFixed(0)} GFLOP/s), below ${100 * SUSPECT_FRACTION}%: a misconfigured ` +
      `or reference kernel, not a fair peer`,
  };
}

/** What a Python peer script prints as its last line of stdout. */
export interface PeerOutput {
  available: boolean;
  version?: string;
  threads?: number;
  python?: string;
  pythonVersion?: string;
  note?: string;
  config?: Record<string, unknown>;
  results?: Record<string, { samples: number[]; callsPerRep: number } | string>;
}
