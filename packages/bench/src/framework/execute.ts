/** Runs one configuration and turns the outcome (metrics, a throw, or a NaN) into a record. */
import { activateDevice, backendOf, deactivateDevice } from "./device.js";
import { configHash } from "./hash.js";
import { ENGINE_VERSIONS, machineInfo } from "./machine.js";
import type { Config, Experiment, Metrics, Mode, RunRecord } from "./types.js";

/** The first metric that is not finite (NaN or ±Infinity, also inside arrays), or undefined. */
export function nonFiniteMetric(metrics: Metrics): string | undefined {
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === "number" && !Number.isFinite(value)) return `${name} = ${value}`;
    if (Array.isArray(value)) {
      const at = value.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
      if (at >= 0) return `${name}[${at}] = ${value[at]}`;
    }
  }
  return undefined;
}

/**
 * Runs `experiment.run(config)` and returns its record. Never throws for a failing run: the error
 * (or the first non-finite metric) is stored with status "failed" so a sweep goes on.
 */
export async function executeConfig(
  experiment: Experiment, config: Config, mode: Mode, progress: (fraction: number) => void = () => {},
): Promise<RunRecord> {
  const hash = configHash(experiment.id, config);
  const started = performance.now();
  let metrics: Metrics = {};
  let error: string | undefined;
  const backend = backendOf(config);
  try {
    const adapter = await activateDevice(backend);
    metrics = await experiment.run(config, { mode, progress, backend, ...(adapter === undefined ? {} : { adapter }) });
    const bad = nonFiniteMetric(metrics);
    if (bad !== undefined) error = `non-finite metric: ${bad}`;
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  } finally {
    deactivateDevice();
  }
  const wallTimeMs = performance.now() - started;
  const safeMetrics = error === undefined ? metrics : sanitize(metrics);
  return {
    hash, experiment: experiment.id, mode, config, seed: config.seed,
    status: error === undefined ? "ok" : "failed",
    metrics: safeMetrics,
    ...(error === undefined ? {} : { error }),
    wallTimeMs, engine: ENGINE_VERSIONS, machine: machineInfo(), finishedAt: new Date().toISOString(),
  };
}

// Non-finite numbers become strings in a failed record so JSON keeps them.
function sanitize(metrics: Metrics): Metrics {
  const out: Metrics = {};
  for (const [k, v] of Object.entries(metrics)) {
    if (typeof v === "number" && !Number.isFinite(v)) out[k] = String(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (Number.isFinite(x) ? x : Number.NaN)).map((x) => (Number.isNaN(x) ? 0 : x));
    else out[k] = v;
  }
  return out;
}
