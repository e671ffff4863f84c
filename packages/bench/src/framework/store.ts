/**
 * Result folders: `<out>/<experiment>/<hash>.json`, one record per run, written atomically
 * (temporary file + rename) so a crash never leaves a half-written record. Every read checks
 * the record (see record.ts); a bad one is named and moved to `<out>/<experiment>/.bad/`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { checkRecordText, sealRecord, type StoredRecord } from "./record.js";
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

/** Writes a record atomically with its checksum, creating its experiment folder. */
export function writeRecord(out: string, record: StoredRecord): string {
  const folder = join(out, record.experiment);
  mkdirSync(folder, { recursive: true });
  const file = recordPath(out, record.experiment, record.hash);
  writeFileAtomic(file, `${JSON.stringify(sealRecord(record), null, 1)}\n`);
  return file;
}

/** Whether a record file exists (it may still be bad: see {@link checkRecordFile}). */
export function hasRecord(out: string, experiment: string, hash: string): boolean {
  return existsSync(recordPath(out, experiment, hash));
}

/** A record file that failed its check, and where it was moved. */
export interface BadRecord {
  readonly path: string;
  readonly reason: string;
  /** Where it went (`<experiment folder>/.bad/<name>`); absent when it was not moved. */
  readonly movedTo?: string;
}

/**
 * Folders of a result folder that hold records: hidden folders and `*-configs` folders (the
 * variant files of `fractalnet generate`, by default `results/fractalnet-configs`) are not.
 */
export function experimentFolders(out: string): string[] {
  if (!existsSync(out) || !statSync(out).isDirectory()) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith(".") && !d.name.endsWith("-configs"))
    .map((d) => d.name).sort();
}

/** A record's file name: the sha256 (hex) of its experiment and config, then `.json`. */
const RECORD_FILE = /^[0-9a-f]{64}\.json$/;

/**
 * The record files of an experiment folder, sorted. Only hash-named `.json` files count, so a
 * folder that is not a records folder (`--out .` by mistake) has none and nothing in it is moved.
 */
function recordFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).filter((d) => (d.isFile() || d.isSymbolicLink()) && RECORD_FILE.test(d.name)).map((d) => d.name).sort();
}

/** Moves a bad record to `<its folder>/.bad/<name>` (never over an earlier one); returns where. */
export function moveAside(path: string): string | undefined {
  const folder = join(path, "..", ".bad");
  try {
    mkdirSync(folder, { recursive: true });
    let target = join(folder, basename(path));
    for (let i = 1; existsSync(target); i++) target = join(folder, `${basename(path)}.${i}`);
    renameSync(path, target);
    return target;
  } catch {
    return undefined; // gone meanwhile (another reader moved it)
  }
}

/** Outcome of checking one record file. */
export type RecordFileCheck =
  | { readonly state: "missing" }
  | { readonly state: "ok"; readonly record: StoredRecord; readonly legacy: boolean }
  | { readonly state: "bad"; readonly bad: BadRecord };

/** Reads and checks one record file; `moveBad` moves a bad one aside. Never throws for content. */
export function checkRecordFile(path: string, expected: { experiment?: string; hash?: string }, moveBad: boolean): RecordFileCheck {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    return { state: "bad", bad: { path, reason: `unreadable: ${(error as Error).message}` } };
  }
  const check = checkRecordText(text, expected);
  if (check.ok) return { state: "ok", record: check.record, legacy: check.legacy };
  const movedTo = moveBad ? moveAside(path) : undefined;
  return { state: "bad", bad: { path, reason: check.reason, ...(movedTo ? { movedTo } : {}) } };
}

/** What {@link scanRecords} found. */
export interface RecordScan {
  /** Good records (legacy ones included), sorted by experiment folder and hash. */
  readonly records: StoredRecord[];
  readonly bad: BadRecord[];
  /** How many good records carry no checksum (written before checksums existed). */
  readonly legacy: number;
}

/** Reads and checks every record of one experiment (or of all); bad ones are moved aside unless `moveBad` is false. */
export function scanRecords(out: string, options: { experiment?: string; moveBad?: boolean } = {}): RecordScan {
  const folders = options.experiment ? [options.experiment] : experimentFolders(out);
  const records: StoredRecord[] = [];
  const bad: BadRecord[] = [];
  let legacy = 0;
  for (const folder of folders) {
    const path = join(out, folder);
    if (!existsSync(path) || !statSync(path).isDirectory()) continue;
    for (const name of recordFiles(path)) {
      const check = checkRecordFile(join(path, name), { experiment: folder, hash: name.slice(0, -".json".length) }, options.moveBad !== false);
      if (check.state === "ok") {
        records.push(check.record);
        if (check.legacy) legacy++;
      } else if (check.state === "bad") {
        bad.push(check.bad);
      }
    }
  }
  return { records, bad, legacy };
}

/** How a bad record is told by default: one line on stderr. */
export function describeBadRecord(bad: BadRecord): string {
  return `bad record ${bad.path}: ${bad.reason}${bad.movedTo ? `; moved to ${bad.movedTo}` : ""}`;
}

/**
 * Reads the good records of one experiment (or of all), sorted by hash. Bad ones are moved
 * aside and told to `onBad` (default: a line on stderr); temporary files are ignored.
 */
export function readRecords(out: string, experiment?: string, onBad: (bad: BadRecord) => void = (b) => process.stderr.write(`fcn-bench: ${describeBadRecord(b)}\n`)): RunRecord[] {
  const scan = scanRecords(out, { experiment });
  for (const b of scan.bad) onBad(b);
  return scan.records;
}
