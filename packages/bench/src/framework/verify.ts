/**
 * Reruns a sample of stored records with the current code and compares them value for value:
 * the check that a report "reruns record for record" from the command printed at its top.
 * Measured quantities (times, throughput, memory) are left out: they depend on the machine.
 */
import { ArgumentError } from "@fcn/tensor";
import { executeConfig } from "./execute.js";
import type { Experiment, Metrics, RunRecord } from "./types.js";

/** Words that mark a metric as a measurement of the machine rather than of the computation. */
const MEASURED_WORDS = new Set(["seconds", "second", "ms", "mb", "bytes", "throughput", "wall"]);

/** Whether a metric is a machine measurement (left out of the comparison): snake_case or camelCase words. */
export function isMeasuredMetric(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => MEASURED_WORDS.has(w));
}

/** One metric that came out differently. */
export interface Mismatch {
  readonly experiment: string;
  readonly hash: string;
  readonly metric: string;
  readonly stored: unknown;
  readonly rerun: unknown;
}

/** What {@link verifyRecords} found. */
export interface VerifyResult {
  readonly checked: number;
  readonly identical: number;
  readonly mismatches: readonly Mismatch[];
}

/** The metrics of two runs that differ, measured ones left out; arrays compare element by element. */
export function differingMetrics(stored: Metrics, rerun: Metrics): string[] {
  const names = new Set([...Object.keys(stored), ...Object.keys(rerun)]);
  return [...names].filter((name) => !isMeasuredMetric(name) && JSON.stringify(stored[name]) !== JSON.stringify(rerun[name])).sort();
}

/**
 * `count` records spread evenly over the hash-sorted successful records (deterministic, so two
 * people verifying the same folder rerun the same records).
 */
export function sampleRecords(records: readonly RunRecord[], count: number): RunRecord[] {
  const ok = records.filter((r) => r.status === "ok").sort((a, b) => `${a.experiment}/${a.hash}`.localeCompare(`${b.experiment}/${b.hash}`));
  if (count >= ok.length) return ok;
  return Array.from({ length: count }, (_, i) => ok[Math.floor((i * ok.length) / count)]);
}

/** Reruns each record's configuration in-process and compares the metrics. */
export async function verifyRecords(experiments: readonly Experiment[], records: readonly RunRecord[], onChecked?: (record: RunRecord, differing: string[]) => void): Promise<VerifyResult> {
  const mismatches: Mismatch[] = [];
  let identical = 0;
  for (const record of records) {
    const experiment = experiments.find((e) => e.id === record.experiment);
    if (!experiment) throw new ArgumentError(`verify: record ${record.experiment}/${record.hash} belongs to no selected experiment`);
    const again = await executeConfig(experiment, record.config, record.mode);
    const differing = again.status !== record.status ? ["status"] : differingMetrics(record.metrics, again.metrics);
    for (const metric of differing) {
      mismatches.push({
        experiment: record.experiment,
        hash: record.hash,
        metric,
        stored: metric === "status" ? record.status : record.metrics[metric],
        rerun: metric === "status" ? again.status : again.metrics[metric],
      });
    }
    if (differing.length === 0) identical++;
    onChecked?.(record, differing);
  }
  return { checked: records.length, identical, mismatches };
}
