/**
 * Typed errors of result folders: each names the folder and says what is wrong, so a sweep
 * never fails with a bare JSON parse error or a silent partial result.
 */
import { FcnError } from "@fcn/tensor";

/** A results folder that does not exist (or is not a folder). */
export class MissingFolderError extends FcnError {
  constructor(readonly command: string, readonly folder: string) {
    super(`${command}: no results folder ${folder}`);
  }
}

/** Who holds a folder's lock (the JSON content of `<folder>/.lock`). */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command?: string;
}

/** Another process (or another sweep of this one) is writing to the folder. */
export class FolderLockedError extends FcnError {
  constructor(readonly folder: string, readonly holder: LockHolder | undefined, hint: string) {
    super(`${folder} is locked by ${holder ? `pid ${holder.pid} on ${holder.host} since ${holder.startedAt}${holder.command ? ` (${holder.command})` : ""}` : "an unreadable lock file"}; ${hint}`);
  }
}

/** The shards of one count: which indices ran (a record or a plan says so) and which did not. */
export interface MissingShards {
  readonly count: number;
  readonly missing: readonly number[];
  readonly present: readonly number[];
}

/** A shard that ran but whose planned records are not all there (cut short, or records bad). */
export interface UnfinishedShard {
  /** "i/n". */
  readonly shard: string;
  /** Planned "experiment/hash" keys with no good record. */
  readonly missing: readonly string[];
}

/** One record found with other metrics under the same hash. */
export interface MergeConflict {
  readonly experiment: string;
  readonly hash: string;
  readonly sources: readonly string[];
}

/** Why `merge` refused: everything found in one pass, nothing written to `--out`. */
export class MergeError extends FcnError {
  /** 2 when records conflict (as before), 1 otherwise. */
  readonly exitCode: number;
  constructor(
    readonly out: string,
    readonly problems: {
      readonly missingFolders: readonly string[];
      readonly bad: readonly { path: string; reason: string }[];
      readonly conflicts: readonly MergeConflict[];
      readonly shards: readonly MissingShards[];
      readonly unfinished: readonly UnfinishedShard[];
      readonly mixedCounts: readonly number[];
    },
  ) {
    const lines: string[] = [];
    for (const folder of problems.missingFolders) lines.push(`no such folder: ${folder}`);
    for (const b of problems.bad.slice(0, 20)) lines.push(`bad record ${b.path}: ${b.reason}`);
    if (problems.bad.length > 20) lines.push(`… and ${problems.bad.length - 20} more bad records`);
    for (const c of problems.conflicts.slice(0, 20)) lines.push(`conflict: ${c.experiment}/${c.hash} differs between ${c.sources.join(" and ")}`);
    if (problems.conflicts.length > 20) lines.push(`… and ${problems.conflicts.length - 20} more conflicts`);
    if (problems.mixedCounts.length) lines.push(`records come from different shard counts: ${problems.mixedCounts.map((n) => `i/${n}`).join(", ")}`);
    for (const s of problems.shards) {
      const names = (indices: readonly number[]) => indices.map((i) => `${i}/${s.count}`).join(", ");
      lines.push(`incomplete shards of ${s.count}: missing ${names(s.missing)} (have ${names(s.present) || "none"})`);
    }
    for (const u of problems.unfinished) lines.push(`shard ${u.shard} unfinished: ${u.missing.length} planned record${u.missing.length > 1 ? "s" : ""} missing (${u.missing.slice(
      0,
      3,
    ).join(", ")}${u.missing.length > 3 ? ", …" : ""}); ` +
      `rerun it with --resume`);
    const partial = problems.bad.length + problems.shards.length + problems.unfinished.length + problems.mixedCounts.length > 0 && problems.missingFolders.length + problems.conflicts.length === 0;
    super(`merge into ${out} refused, nothing written:\n  ${lines.join("\n  ")}${partial ? "\n  (--allow-partial merges what is there; bad records are then moved aside)" : ""}`);
    this.exitCode = problems.conflicts.length ? 2 : 1;
  }
}
