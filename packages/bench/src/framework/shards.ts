/**
 * What each shard of a sweep planned: `<out>/.shards.json` maps "i/n" to the sorted keys
 * ("experiment/hash") of the configurations that `run --shard i/n` was to write there. With it,
 * `merge` knows a shard that ran but produced no records (a small grid) from one that never
 * ran, and a shard cut short from a finished one.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ShardTag } from "./record.js";
import { writeFileAtomic } from "./store.js";

/** Name of the plan file in a result folder. */
export const SHARD_PLAN_FILE = ".shards.json";

/** "i/n" → planned "experiment/hash" keys. */
export type ShardPlan = Record<string, string[]>;

/** The text form of a shard: "i/n". */
export const shardLabel = (shard: ShardTag): string => `${shard.index}/${shard.count}`;

/** Parses "i/n" (0 ≤ i < n), or undefined. */
export function parseShardLabel(label: string): ShardTag | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(label);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return Number.isSafeInteger(count) && count >= 1 && index < count ? { index, count } : undefined;
}

/** A folder's shard plan; `problem` says why an existing plan file could not be used. */
export function readShardPlan(folder: string): { plan: ShardPlan; problem?: string } {
  const file = join(folder, SHARD_PLAN_FILE);
  if (!existsSync(file)) return { plan: {} };
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return { plan: {}, problem: "not a JSON object" };
    const plan: ShardPlan = {};
    for (const [label, keys] of Object.entries(value)) {
      if (!parseShardLabel(label) || !Array.isArray(keys) || keys.some((k) => typeof k !== "string")) return { plan: {}, problem: `bad entry "${label}"` };
      plan[label] = keys as string[];
    }
    return { plan };
  } catch (error) {
    return { plan: {}, problem: `unreadable: ${(error as Error).message}` };
  }
}

/** The union of plans (keys of one shard from several folders joined). */
export function unionPlans(plans: readonly ShardPlan[]): ShardPlan {
  const union = new Map<string, Set<string>>();
  for (const plan of plans) for (const [label, keys] of Object.entries(plan)) union.set(label, new Set([...(union.get(label) ?? []), ...keys]));
  return Object.fromEntries([...union].sort(([a], [b]) => (a < b ? -1 : 1)).map(([label, keys]) => [label, [...keys].sort()]));
}

/** Writes a folder's plan atomically (the caller holds the folder's lock). */
export function writeShardPlan(folder: string, plan: ShardPlan): void {
  writeFileAtomic(join(folder, SHARD_PLAN_FILE), `${JSON.stringify(plan, null, 1)}\n`);
}

/** Adds what one shard planned to the folder's plan (an unreadable plan file is replaced). */
export function recordShardPlan(folder: string, shard: ShardTag, keys: readonly string[]): void {
  writeShardPlan(folder, unionPlans([readShardPlan(folder).plan, { [shardLabel(shard)]: [...keys] }]));
}
