/**
 * `merge`: the union of result folders. Everything is checked before anything is written — every
 * record of every input and of `--out`, conflicts, and the completeness of the shards — so a
 * refused merge leaves `--out` as it was and names every problem at once.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { stableStringify } from "./hash.js";
import { MergeError, type MergeConflict, type MissingShards, type UnfinishedShard } from "./errors.js";
import { acquireFolderLock } from "./lock.js";
import type { StoredRecord } from "./record.js";
import { SHARD_PLAN_FILE, parseShardLabel, readShardPlan, unionPlans, writeShardPlan, type ShardPlan } from "./shards.js";
import { moveAside, recordPath, scanRecords, writeFileAtomic, type BadRecord } from "./store.js";
import type { Json } from "./types.js";

/** Options of {@link mergeResults}. */
export interface MergeOptions {
  /** Merge although shards are missing, come from different counts, or records are bad (those are moved aside and left out). */
  readonly allowPartial?: boolean;
  /** Take `<out>/.lock` for the merge (default true; false when the caller holds it). */
  readonly lock?: boolean;
  /** Told when a stale lock is taken over. */
  readonly onMessage?: (message: string) => void;
}

/** Outcome of {@link mergeResults}. */
export interface MergeSummary {
  readonly copied: number;
  /** Same hash in several inputs (or already in `out`) with the same metrics: kept once. */
  readonly duplicates: number;
  /** Always empty: a conflict refuses the merge ({@link MergeError}); kept for callers that list them. */
  readonly conflicts: MergeConflict[];
  /** Bad records left out and moved aside (only with `allowPartial`). */
  readonly bad: BadRecord[];
  /** Shards found, per count: which indices are present (and missing, with `allowPartial`). */
  readonly shards: MissingShards[];
  /** Shards whose planned records are not all there (only with `allowPartial`). */
  readonly unfinished: UnfinishedShard[];
}

interface Candidate {
  readonly record: StoredRecord;
  readonly source: string;
  readonly fingerprint: string;
}

// What a conflict compares: the outcome, not the machine, time or checksum.
const fingerprint = (r: StoredRecord) => stableStringify([r.status, r.metrics] as unknown as Json);

/**
 * Which shards ran (a record carries the tag, or a plan lists the shard), per count; which are
 * missing; which ran without all their planned records; and whether counts differ.
 */
function shardCompleteness(records: ReadonlyMap<string, Candidate>, plan: ShardPlan) {
  const byCount = new Map<number, Set<number>>();
  const add = (index: number, count: number) => byCount.set(count, (byCount.get(count) ?? new Set()).add(index));
  for (const { record } of records.values()) if (record.shard) add(record.shard.index, record.shard.count);
  for (const label of Object.keys(plan)) {
    const shard = parseShardLabel(label);
    if (shard) add(shard.index, shard.count);
  }
  const shards: MissingShards[] = [...byCount].sort((a, b) => a[0] - b[0]).map(([count, present]) => ({
    count, present: [...present].sort((a, b) => a - b), missing: Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i)),
  }));
  const unfinished: UnfinishedShard[] = Object.entries(plan)
    .map(([shard, keys]) => ({ shard, missing: keys.filter((k) => !records.has(k)) }))
    .filter((u) => u.missing.length > 0);
  return { shards, unfinished, mixedCounts: shards.length > 1 ? shards.map((s) => s.count) : [] };
}

/**
 * Combines result folders into `out`. Records are keyed by (experiment, hash): the same outcome
 * twice is a duplicate (kept once); another outcome is a conflict, which refuses the merge.
 * Refuses (throws {@link MergeError}, writing nothing) on a missing input folder, a conflict,
 * and — unless `allowPartial` — bad records or an incomplete set of shards: some i of n that
 * neither a record nor a shard plan (`.shards.json`, written by `run --shard`) shows, records
 * of different n, or a shard whose planned records are not all there. Records are written atomically, as read.
 */
export function mergeResults(inputs: readonly string[], out: string, options: MergeOptions = {}): MergeSummary {
  const lock = options.lock === false ? undefined : acquireFolderLock(out, { onMessage: options.onMessage, command: "merge" });
  try {
    return mergeLocked(inputs, out, options);
  } finally {
    lock?.release();
  }
}

function mergeLocked(inputs: readonly string[], out: string, options: MergeOptions): MergeSummary {
  const missingFolders = inputs.filter((i) => !existsSync(i) || !statSync(i).isDirectory());
  const bad: BadRecord[] = [];
  const plans: ShardPlan[] = [];
  const conflicts: MergeConflict[] = [];
  const kept = new Map<string, Candidate>();
  const toCopy: Candidate[] = [];
  let duplicates = 0;
  // Existing records of `out` come first: merging never replaces one.
  const folders = [out, ...inputs.filter((i) => !missingFolders.includes(i) && resolve(i) !== resolve(out))];
  for (const [n, folder] of folders.entries()) {
    const scan = scanRecords(folder, { moveBad: false });
    bad.push(...scan.bad);
    const { plan, problem } = readShardPlan(folder);
    if (problem) bad.push({ path: join(folder, SHARD_PLAN_FILE), reason: problem });
    plans.push(plan);
    for (const record of scan.records) {
      const key = `${record.experiment}/${record.hash}`;
      const candidate = { record, source: recordPath(folder, record.experiment, record.hash), fingerprint: fingerprint(record) };
      const previous = kept.get(key);
      if (!previous) {
        kept.set(key, candidate);
        if (n > 0) toCopy.push(candidate);
      } else if (previous.fingerprint === candidate.fingerprint) {
        duplicates++;
      } else {
        conflicts.push({ experiment: record.experiment, hash: record.hash, sources: [previous.source, candidate.source] });
      }
    }
  }
  const plan = unionPlans(plans);
  const { shards, unfinished, mixedCounts } = shardCompleteness(kept, plan);
  const incomplete = shards.filter((s) => s.missing.length > 0);
  const partial = bad.length > 0 || incomplete.length > 0 || unfinished.length > 0 || mixedCounts.length > 0;
  if (missingFolders.length || conflicts.length || (partial && !options.allowPartial)) {
    throw new MergeError(out, { missingFolders, bad, conflicts, shards: incomplete, unfinished, mixedCounts });
  }
  const moved = bad.map((b): BadRecord => {
    const movedTo = moveAside(b.path);
    return movedTo ? { ...b, movedTo } : b;
  });
  for (const c of toCopy) {
    mkdirSync(join(out, c.record.experiment), { recursive: true });
    // The checked record as read (its field order kept, so its checksum still holds).
    writeFileAtomic(recordPath(out, c.record.experiment, c.record.hash), `${JSON.stringify(c.record, null, 1)}\n`);
  }
  // The merged folder keeps what each shard planned, so a later merge into it can still check.
  if (Object.keys(plan).length) writeShardPlan(out, plan);
  return { copied: toCopy.length, duplicates, conflicts: [], bad: moved, shards, unfinished };
}
