/**
 * What makes a record file trustworthy: a checksum over its content, the fields every record
 * has, and a hash that matches its config. Records written before checksums existed ("legacy")
 * are accepted when everything else holds.
 */
import { createHash } from "node:crypto";
import { configHash, shardOf, stableStringify } from "./hash.js";
import { MODES, type Json, type RunRecord } from "./types.js";

/** `--shard i/n` of the sweep that wrote a record. */
export interface ShardTag {
  readonly index: number;
  readonly count: number;
}

/** A record as stored: the run's record, the shard that produced it, and its checksum. */
export type StoredRecord = RunRecord & {
  /** sha256 (hex) of the stable JSON of the record without this field; absent in legacy records. */
  readonly checksum?: string;
  /** The `--shard i/n` of the sweep that wrote it; absent in unsharded runs and legacy records. */
  readonly shard?: ShardTag;
};

/** Outcome of {@link checkRecordText}. */
export type RecordCheck =
  | { readonly ok: true; readonly record: StoredRecord; readonly legacy: boolean }
  | { readonly ok: false; readonly reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** sha256 of the stable JSON of the record without `checksum` (throws on non-finite numbers). */
export function recordChecksum(record: StoredRecord): string {
  const { checksum: _ignored, ...rest } = record;
  return createHash("sha256").update(stableStringify(rest as unknown as Json)).digest("hex");
}

/** The record with its checksum (computed on the JSON form, so what is read back verifies). */
export function sealRecord(record: StoredRecord): StoredRecord {
  const plain = JSON.parse(JSON.stringify(record)) as StoredRecord;
  return { ...plain, checksum: recordChecksum(plain) };
}

// Fields every record has, with the check each must pass.
const REQUIRED: readonly [string, (v: unknown) => boolean][] = [
  ["hash", (v) => typeof v === "string" && HEX64.test(v)],
  ["experiment", (v) => typeof v === "string" && v.length > 0],
  ["mode", (v) => (MODES as readonly unknown[]).includes(v)],
  ["config", (v) => isObject(v) && typeof v.seed === "number"],
  ["seed", (v) => typeof v === "number"],
  ["status", (v) => v === "ok" || v === "failed"],
  ["metrics", isObject],
  ["wallTimeMs", (v) => typeof v === "number"],
  ["engine", isObject],
  ["machine", isObject],
  ["finishedAt", (v) => typeof v === "string"],
];

function isShard(v: unknown): v is ShardTag {
  return isObject(v) && Number.isSafeInteger(v.index) && Number.isSafeInteger(v.count) && (v.count as number) >= 1 && (v.index as number) >= 0 && (v.index as number) < (v.count as number);
}

/**
 * Checks the text of a record file. `expected` is what its place says: the experiment of its
 * folder and the hash of its file name. Never throws; a bad record gets a reason.
 */
export function checkRecordText(text: string, expected: { experiment?: string; hash?: string } = {}): RecordCheck {
  if (text.trim() === "") return { ok: false, reason: "empty file" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (truncated?): ${(error as Error).message}` };
  }
  if (!isObject(value)) return { ok: false, reason: `not a JSON object but ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}` };
  const wrong = REQUIRED.filter(([name, valid]) => !valid(value[name])).map(([name]) => name);
  if (value.error !== undefined && typeof value.error !== "string") wrong.push("error");
  if (value.shard !== undefined && !isShard(value.shard)) wrong.push("shard");
  if (value.checksum !== undefined && !(typeof value.checksum === "string" && HEX64.test(value.checksum))) wrong.push("checksum");
  if (wrong.length) return { ok: false, reason: `missing or invalid field${wrong.length > 1 ? "s" : ""}: ${wrong.join(", ")}` };
  const record = value as unknown as StoredRecord;
  if (expected.experiment !== undefined && record.experiment !== expected.experiment) {
    return { ok: false, reason: `experiment is "${record.experiment}" but the record lies in folder "${expected.experiment}"` };
  }
  if (expected.hash !== undefined && record.hash !== expected.hash) return { ok: false, reason: `file name says hash ${expected.hash}, the record says ${record.hash}` };
  let checksum: string;
  try {
    if (configHash(record.experiment, record.config) !== record.hash) return { ok: false, reason: "hash does not match its config" };
    checksum = recordChecksum(record);
  } catch (error) {
    return { ok: false, reason: `holds a value JSON cannot represent: ${(error as Error).message}` };
  }
  if (record.shard && shardOf(record.hash, record.shard.count) !== record.shard.index) {
    return { ok: false, reason: `shard ${record.shard.index}/${record.shard.count} does not hold this hash` };
  }
  if (record.checksum === undefined) return { ok: true, record, legacy: true };
  if (record.checksum !== checksum) return { ok: false, reason: "checksum mismatch (the file changed after it was written)" };
  return { ok: true, record, legacy: false };
}
