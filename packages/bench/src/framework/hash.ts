/** Stable JSON (sorted keys) and the config hash that names a record's file. */
import { createHash } from "node:crypto";
import { ArgumentError } from "@fcn/tensor";
import type { Config, Json } from "./types.js";

/**
 * JSON with object keys sorted at every level, so equal configurations serialize equally.
 * Non-finite numbers are rejected: they have no JSON form.
 * @example stableStringify({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function stableStringify(value: Json | undefined): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ArgumentError(`stableStringify: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(",")}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`;
}

/**
 * sha256 (hex) of the stable JSON of `{experiment, config}`; the record's file name.
 * @example configHash("exp1", { seed: 101, family: "complete" }).length // 64
 */
export function configHash(experiment: string, config: Config): string {
  return createHash("sha256").update(stableStringify({ experiment, config: config as Json })).digest("hex");
}

/**
 * Shard of a hash for `--shard i/n`: the first 8 hex digits modulo n.
 * Deterministic and independent of the grid's order.
 */
export function shardOf(hash: string, count: number): number {
  return Number.parseInt(hash.slice(0, 8), 16) % count;
}

/** Parses `i/n` (0 ≤ i < n). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new ArgumentError(`--shard must look like i/n (e.g. 0/4), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count || !Number.isSafeInteger(count)) throw new ArgumentError(`--shard ${text}: need 0 ≤ i < n and n ≥ 1`);
  return { index, count };
}
