/**
 * Fuzz suite of the record store (issue 15): random and mutated record files never hang, never
 * let an untyped error out of checkRecordText / readRecords / resume / merge, and every bad one
 * is named by path. Seeded; 1,000 runs each.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRecordText, MergeError, mergeResults, readRecords, recordPath, runSweep, scanRecords, sealRecord, type StoredRecord } from "../src/index.js";
import { toyExperiment } from "./fixtures/toy.js";

const RUNS = 1000;
let root: string;
let good: string; // the text of a good record (x = 1, seed 1)
let hash: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "fcn-records-fuzz-"));
  const out = join(root, "seed");
  const { records } = await runSweep([toyExperiment({ size: 1 })], { mode: "quick", seeds: [1], out, workers: 1, onWarning: () => {} });
  hash = records[0].hash;
  good = readFileSync(recordPath(out, "toy", hash), "utf8");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The record with a fresh checksum (an edit that forges one), or as it is where sealing fails. */
function resealed(record: Record<string, unknown>): unknown {
  try {
    return sealRecord(record as unknown as StoredRecord);
  } catch {
    return record;
  }
}

/** Mutations of a good record's text: byte-level damage, field-level edits (resealed or not), or anything at all. */
const mutations = (): fc.Arbitrary<string> => fc.oneof(
  fc.nat().map((n) => good.slice(0, n % (good.length + 1))), // truncation
  fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 12 })).map(([at, cut, insert]) => { const i = at % (good.length + 1); return good.slice(0, i) + insert + good.slice(i + cut); }),
  fc.tuple(
    fc.constantFrom("hash", "experiment", "mode", "config", "seed", "status", "metrics", "wallTimeMs", "engine", "machine", "finishedAt", "error", "checksum", "shard"),
    fc.option(fc.jsonValue(), { nil: undefined }),
    fc.boolean(),
  )
    .map(([field, value, reseal]) => {
      const edited: Record<string, unknown> = { ...JSON.parse(good), [field]: value };
      if (value === undefined) delete edited[field];
      return JSON.stringify(reseal ? resealed(edited) : edited);
    }),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.constant(good),
  fc.constant(good.replace(/,\n "checksum": "[0-9a-f]+"/, "")), // legacy
);

/** Checks what a store function says about a file, given what checkRecordText says about its text. */
function expectNamed(text: string, bad: readonly { path: string; reason: string }[], file: string): void {
  const check = checkRecordText(text, { experiment: "toy", hash });
  if (check.ok) expect(bad).toEqual([]);
  else expect(bad).toEqual([expect.objectContaining({ path: file, reason: check.reason })]);
}

describe("record store fuzz", () => {
  it("checkRecordText never throws: each text is a good record (its hash matching its config) or a bad one with a reason", () => {
    fc.assert(fc.property(fc.oneof(mutations(), fc.string({ unit: "binary", maxLength: 200 })), (text) => {
      const check = checkRecordText(text, { experiment: "toy", hash });
      if (check.ok) {
        expect(check.record.hash).toBe(hash);
        expect(check.legacy).toBe(check.record.checksum === undefined);
      } else {
        expect(check.reason.length).toBeGreaterThan(0);
      }
    }), { numRuns: RUNS * 2, seed: 1501 });
  }, 60_000);

  it("readRecords returns the good records and names (and moves aside) each bad file", () => {
    const out = join(root, "read");
    const file = recordPath(out, "toy", hash);
    mkdirSync(join(out, "toy"), { recursive: true });
    fc.assert(fc.property(mutations(), (text) => {
      writeFileSync(file, text);
      const told: { path: string; reason: string }[] = [];
      const records = readRecords(out, undefined, (b) => told.push(b));
      expectNamed(text, told, file);
      expect(records.length + told.length).toBe(1);
      expect(existsSync(file)).toBe(told.length === 0);
      if (told.length) rmSync(join(out, "toy", ".bad"), { recursive: true });
    }), { numRuns: RUNS, seed: 1502 });
  }, 60_000);

  it("--resume skips a good (or legacy) record and re-runs a bad one after moving it aside; nothing escapes", async () => {
    const out = join(root, "resume");
    const file = recordPath(out, "toy", hash);
    await fc.assert(fc.asyncProperty(mutations(), async (text) => {
      rmSync(join(out, "toy", ".bad"), { recursive: true, force: true });
      mkdirSync(join(out, "toy"), { recursive: true });
      writeFileSync(file, text);
      const calls: number[] = [];
      const warnings: string[] = [];
      await runSweep([toyExperiment({ size: 1, calls })], { mode: "quick", seeds: [1], out, workers: 1, resume: true, csvIntervalMs: 60_000, onWarning: (m) => warnings.push(m) });
      const wasGood = checkRecordText(text, { experiment: "toy", hash }).ok;
      expect(calls).toEqual(wasGood ? [] : [1]);
      expect(warnings).toHaveLength(wasGood ? 0 : 1);
      if (!wasGood) expect(warnings[0]).toContain(file);
      expect(checkRecordText(readFileSync(file, "utf8"), { experiment: "toy", hash }).ok).toBe(true);
      expect(existsSync(join(out, ".lock"))).toBe(false);
    }), { numRuns: RUNS, seed: 1503 });
  }, 60_000);

  it("merge of mutated inputs either merges or throws MergeError naming every bad file, leaving --out untouched", () => {
    const a = join(root, "merge-a");
    const b = join(root, "merge-b");
    const out = join(root, "merge-out");
    for (const dir of [a, b]) mkdirSync(join(dir, "toy"), { recursive: true });
    fc.assert(fc.property(mutations(), mutations(), fc.boolean(), (textA, textB, allowPartial) => {
      rmSync(out, { recursive: true, force: true });
      for (const [dir, text] of [[a, textA], [b, textB]] as const) {
        rmSync(join(dir, "toy", ".bad"), { recursive: true, force: true });
        writeFileSync(recordPath(dir, "toy", hash), text);
      }
      const checks = [textA, textB].map((t) => checkRecordText(t, { experiment: "toy", hash }));
      let outcome: unknown;
      try {
        outcome = mergeResults([a, b], out, { allowPartial });
      } catch (error) {
        outcome = error;
      }
      const badPaths = [a, b].filter((_, i) => !checks[i].ok).map((dir) => recordPath(dir, "toy", hash));
      if (outcome instanceof Error) {
        expect(outcome).toBeInstanceOf(MergeError);
        const problems = (outcome as MergeError).problems;
        expect(problems.bad.map((x) => x.path)).toEqual(badPaths);
        for (const path of badPaths) expect(outcome.message).toContain(path);
        expect(existsSync(out)).toBe(false);
      } else {
        expect(badPaths.length === 0 || allowPartial).toBe(true);
        expect(scanRecords(out).bad).toEqual([]);
      }
    }), { numRuns: RUNS, seed: 1504 });
  }, 60_000);

  it("pathological texts (deep nesting, numbers beyond float64, trailing bytes) are bad records, not crashes", () => {
    const base = JSON.parse(good) as Record<string, unknown>;
    const { checksum: _c, ...legacy } = base;
    const texts = [
      "[".repeat(100_000) + "]".repeat(100_000),
      JSON.stringify({ ...legacy, metrics: { deep: 0 } }).replace('"deep":0', `"deep":${"[".repeat(50_000)}${"]".repeat(50_000)}`),
      JSON.stringify({ ...legacy, metrics: { big: 0 } }).replace('"big":0', '"big":1e999'),
      JSON.stringify({ ...legacy, config: { ...(legacy.config as object), x: 1 } }).replace('"x":1', '"x":1e999'),
      `${good}\u0000`,
    ];
    for (const text of texts) {
      const check = checkRecordText(text, { experiment: "toy", hash });
      expect(check.ok).toBe(false);
    }
  }, 60_000);
});
