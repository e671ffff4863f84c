/**
 * Result folders: `<out>/<experiment>/<hash>.json`, one record per run, written atomically
 * (temporary file + rename) so a crash never leaves a half-written record.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import type { RunRecord } from "./types.js";

/** Path of a record's file. */
export function recordPath(out: string, experiment: string, hash: string): string {
  return join(out, experiment, `${hash}.json`);
}

/** Writes text atomically: to `<file>.<pid>.<random>.tmp`, then rename over the target. */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Writes a record atomically, creating its experiment folder. */
export function writeRecord(out: string, record: RunRecord): string {
  const folder = join(out, record.experiment);
  mkdirSync(folder, { recursive: true });
  const file = recordPath(out, record.experiment, record.hash);
  writeFileAtomic(file, `${JSON.stringify(record, null, 1)}\n`);
  return file;
}

/** Whether a completed record exists (what `--resume` skips). */
export function hasRecord(out: string, experiment: string, hash: string): boolean {
  return existsSync(recordPath(out, experiment, hash));
}

/** Experiment folders present in a result folder. */
export function experimentFolders(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** Reads every record of one experiment (or of all), sorted by hash; temporary files are ignored. */
export function readRecords(out: string, experiment?: string): RunRecord[] {
  const folders = experiment ? [experiment] : experimentFolders(out);
  const records: RunRecord[] = [];
  for (const folder of folders) {
    const path = join(out, folder);
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path).filter((n) => n.endsWith(".json")).sort()) {
      records.push(JSON.parse(readFileSync(join(path, name), "utf8")) as RunRecord);
    }
  }
  return records;
}

/** Outcome of {@link mergeResults}. */
export interface MergeSummary {
  readonly copied: number;
  /** Same hash in several inputs with the same metrics: kept once. */
  readonly duplicates: number;
  /** Same hash with different metrics (or status): the first is kept, the others listed. */
  readonly conflicts: { experiment: string; hash: string; sources: string[] }[];
}

/**
 * Combines result folders into `out`. Records are keyed by (experiment, hash); a hash seen twice
 * is a duplicate (identical metrics) or a conflict (different metrics), both reported.
 */
export function mergeResults(inputs: readonly string[], out: string): MergeSummary {
  const seen = new Map<string, { metrics: string; source: string }>();
  const conflicts: MergeSummary["conflicts"] = [];
  let copied = 0;
  let duplicates = 0;
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`merge: no such folder: ${input}`);
    for (const experiment of experimentFolders(input)) {
      for (const name of readdirSync(join(input, experiment)).filter((n) => n.endsWith(".json")).sort()) {
        const source = join(input, experiment, name);
        const record = JSON.parse(readFileSync(source, "utf8")) as RunRecord;
        const key = `${experiment}/${record.hash}`;
        const fingerprint = JSON.stringify([record.status, record.metrics]);
        const previous = seen.get(key);
        if (previous) {
          if (previous.metrics === fingerprint) duplicates++;
          else conflicts.push({ experiment, hash: record.hash, sources: [previous.source, source] });
          continue;
        }
        seen.set(key, { metrics: fingerprint, source });
        mkdirSync(join(out, experiment), { recursive: true });
        const target = join(out, experiment, name);
        if (source !== target) copyFileSync(source, target);
        copied++;
      }
    }
  }
  return { copied, duplicates, conflicts };
}
