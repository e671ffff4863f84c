/**
 * Issue 15, sweeps: checksummed records (legacy ones accepted), bad records named, moved aside
 * and re-run; merge that checks everything first; one lock per output folder; results.csv as
 * records land; report on a missing folder.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  acquireFolderLock, buildProgram, checkRecordText, configHash, csvWriter, FolderLockedError, MergeError, mergeResults, MissingFolderError, main,
  readRecords, readShardPlan, recordPath, runSweep, scanRecords, type StoredRecord, writeRecord,
} from "../src/index.js";
import { toyExperiment } from "./fixtures/toy.js";

const folders: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "fcn-records-"));
  folders.push(dir);
  return dir;
}
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});

const quiet = { onWarning: () => {} };
const toyFile = (out: string, x: number, seed = 1) => recordPath(out, "toy", configHash("toy", { x, seed, behaviour: x === 5 ? "throw" : x === 6 ? "nan" : "ok" }));
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as StoredRecord & Record<string, unknown>;
/** Every file under a folder with its content: what "untouched" compares. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name).slice(dir.length)] = readFileSync(join(entry.parentPath, entry.name), "utf8");
  }
  return out;
}
/** Rewrites a record file as a record written before checksums (same content, no checksum field). */
function makeLegacy(file: string): void {
  const { checksum: _dropped, ...legacy } = readJson(file);
  writeFileSync(file, `${JSON.stringify(legacy, null, 1)}\n`);
}

describe("checksums", () => {
  it("every record carries a sha256 checksum that verifies; any edit breaks it", async () => {
    const out = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    const file = toyFile(out, 3);
    const text = readFileSync(file, "utf8");
    expect(readJson(file).checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(checkRecordText(text)).toMatchObject({ ok: true, legacy: false });
    expect(checkRecordText(text.replace('"value": 3', '"value": 4'))).toMatchObject({ ok: false, reason: expect.stringMatching(/checksum mismatch/) });
  });

  it("legacy records (no checksum, fields and hash right) are accepted by resume, readRecords and merge, never moved or re-run", async () => {
    const out = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    for (const name of readdirSync(join(out, "toy"))) makeLegacy(join(out, "toy", name));
    const before = snapshot(join(out, "toy"));
    const calls: number[] = [];
    const warnings: string[] = [];
    const { skipped } = await runSweep([toyExperiment({ calls })], { mode: "quick", seeds: [1], out, workers: 1, resume: true, onWarning: (m) => warnings.push(m) });
    expect(calls).toEqual([]);
    expect(skipped).toBe(6);
    expect(warnings).toEqual([]);
    expect(snapshot(join(out, "toy"))).toEqual(before);
    const scan = scanRecords(out);
    expect(scan).toMatchObject({ bad: [], legacy: 6 });
    const merged = temp();
    expect(mergeResults([out], merged).copied).toBe(6);
    expect(scanRecords(merged)).toMatchObject({ bad: [], legacy: 6 });
    expect(existsSync(join(out, "toy", ".bad"))).toBe(false);
  });
});

describe("bad records", () => {
  // Each corruption of the record of x = 3, and the reason it must be reported with.
  const corruptions: [string, (text: string, file: string) => string, RegExp][] = [
    ["a truncated file", (t) => t.slice(0, Math.floor(t.length / 2)), /not valid JSON/],
    ["an empty file", () => "", /empty file/],
    ["a checksum mismatch", (t) => t.replace('"value": 3', '"value": 30'), /checksum mismatch/],
    ["a missing field (legacy)", (t) => { const { checksum: _c, status: _s, ...rest } = JSON.parse(t); return JSON.stringify(rest); }, /missing or invalid field: status/],
    [
      "a hash that does not match its config (legacy)",
      (t) => { const { checksum: _c, ...rest } = JSON.parse(t); return JSON.stringify({ ...rest, config: { ...rest.config, x: 4 } }); },
      /hash does not match its config/,
    ],
    ["a JSON array", () => "[1, 2]", /not a JSON object/],
  ];
  for (const [what, corrupt, reason] of corruptions) {
    it(`--resume names ${what}, moves it to .bad/ and runs it again`, async () => {
      const out = temp();
      await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
      const file = toyFile(out, 3);
      const bad = corrupt(readFileSync(file, "utf8"), file);
      writeFileSync(file, bad);
      const calls: number[] = [];
      const warnings: string[] = [];
      await runSweep([toyExperiment({ calls })], { mode: "quick", seeds: [1], out, workers: 1, resume: true, onWarning: (m) => warnings.push(m) });
      expect(calls).toEqual([3]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(file);
      expect(warnings[0]).toMatch(reason);
      const aside = join(out, "toy", ".bad", file.split("/").pop()!);
      expect(readFileSync(aside, "utf8")).toBe(bad);
      expect(checkRecordText(readFileSync(file, "utf8"))).toMatchObject({ ok: true, legacy: false });
      expect(scanRecords(out).bad).toEqual([]);
    });
  }

  it("readRecords (what report, run and merge read) names a bad record and moves it aside instead of a bare JSON error", async () => {
    const out = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    const file = toyFile(out, 2);
    writeFileSync(file, '{"hash": "');
    const told: string[] = [];
    const records = readRecords(out, undefined, (b) => told.push(`${b.path}: ${b.reason} → ${b.movedTo}`));
    expect(records).toHaveLength(5);
    expect(told).toEqual([expect.stringContaining(`${file}: not valid JSON`)]);
    expect(told[0]).toContain(join(out, "toy", ".bad"));
    expect(existsSync(file)).toBe(false);
  });

  it("fractalnet variant folders (*-configs) and hidden folders are not record folders", async () => {
    const out = temp();
    mkdirSync(join(out, "fractalnet-configs"));
    writeFileSync(join(out, "fractalnet-configs", "abc.json"), '{"columns": 2}\n');
    expect(scanRecords(out)).toMatchObject({ records: [], bad: [] });
    expect(existsSync(join(out, "fractalnet-configs", "abc.json"))).toBe(true);
  });

  it("report names a bad record, moves it aside and reports the rest", async () => {
    const out = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    const file = toyFile(out, 1);
    writeFileSync(file, readFileSync(file, "utf8").slice(0, 40));
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => { errors.push(String(chunk)); return true; });
    try {
      await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "report", "exp2", "--results", out, "--out", join(out, "report"), "--no-plots"]);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join("")).toContain(`bad record ${file}: not valid JSON`);
    expect(existsSync(join(out, "report", "README.md"))).toBe(true);
    expect(existsSync(file)).toBe(false);
  });
});

describe("merge", () => {
  async function shardFolders(count: number, only: number[] = Array.from({ length: count }, (_, i) => i), seeds = [1, 2, 3]): Promise<string[]> {
    const dirs: string[] = [];
    for (const index of only) {
      const dir = temp();
      await runSweep([toyExperiment()], { mode: "quick", seeds, out: dir, workers: 1, shard: { index, count }, ...quiet });
      dirs.push(dir);
    }
    return dirs;
  }

  it("records and the shard plan hold --shard i/n; a complete set merges", async () => {
    const dirs = await shardFolders(3);
    for (const [i, dir] of dirs.entries()) {
      for (const r of scanRecords(dir).records) expect(r.shard).toEqual({ index: i, count: 3 });
      expect(Object.keys(readShardPlan(dir).plan)).toEqual([`${i}/3`]);
    }
    const out = temp();
    const summary = mergeResults(dirs, out);
    expect(summary.copied).toBe(18);
    expect(summary.shards).toEqual([{ count: 3, present: [0, 1, 2], missing: [] }]);
    expect(Object.keys(readShardPlan(out).plan)).toEqual(["0/3", "1/3", "2/3"]);
  });

  it("refuses a missing shard with a typed error naming it, writing nothing; --allow-partial merges", async () => {
    const dirs = await shardFolders(3, [0, 2]);
    const out = join(temp(), "merged");
    const error = (() => { try { mergeResults(dirs, out); } catch (e) { return e; } })() as MergeError;
    expect(error).toBeInstanceOf(MergeError);
    expect(error.problems.shards).toEqual([{ count: 3, present: [0, 2], missing: [1] }]);
    expect(error.message).toMatch(/missing 1\/3/);
    expect(existsSync(out)).toBe(false);
    const partial = mergeResults(dirs, out, { allowPartial: true });
    expect(partial.shards[0].missing).toEqual([1]);
    expect(partial.copied).toBe(scanRecords(dirs[0]).records.length + scanRecords(dirs[1]).records.length);
  });

  it("refuses shards of different n, and a shard cut short (planned records missing)", async () => {
    const [a] = await shardFolders(2, [0]);
    const threes = await shardFolders(3);
    const mixed = (() => { try { mergeResults([a, ...threes], temp()); } catch (e) { return e; } })() as MergeError;
    expect(mixed.problems.mixedCounts).toEqual([2, 3]);
    const full = await shardFolders(3);
    const victim = scanRecords(full[0]).records[0];
    rmSync(recordPath(full[0], "toy", victim.hash));
    const out = temp();
    const cut = (() => { try { mergeResults(full, out); } catch (e) { return e; } })() as MergeError;
    expect(cut.problems.unfinished).toEqual([{ shard: "0/3", missing: [`toy/${victim.hash}`] }]);
    expect(snapshot(out)).toEqual({});
  });

  it("a conflict with a record already in --out leaves --out byte for byte untouched", async () => {
    const out = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    const other = temp();
    await runSweep([toyExperiment({ size: 4 })], { mode: "quick", seeds: [1, 2], out: other, workers: 1, ...quiet });
    const [first] = scanRecords(out).records;
    writeRecord(other, { ...first, metrics: { value: -1 } });
    const before = snapshot(out);
    const error = (() => { try { mergeResults([other], out); } catch (e) { return e; } })() as MergeError;
    expect(error.problems.conflicts).toEqual([{ experiment: "toy", hash: first.hash, sources: [recordPath(out, "toy", first.hash), recordPath(other, "toy", first.hash)] }]);
    expect(error.exitCode).toBe(2);
    expect(snapshot(out)).toEqual(before);
  });

  it("corrupt inputs are all named by path before anything is written; --allow-partial moves them aside and merges the rest", async () => {
    const a = temp();
    const b = temp();
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out: a, workers: 1, ...quiet });
    await runSweep([toyExperiment()], { mode: "quick", seeds: [2], out: b, workers: 1, ...quiet });
    writeFileSync(toyFile(a, 1), "{");
    writeFileSync(toyFile(b, 2, 2), "garbage");
    const out = temp();
    const error = (() => { try { mergeResults([a, b], out); } catch (e) { return e; } })() as MergeError;
    expect(error.problems.bad.map((x) => x.path).sort()).toEqual([toyFile(a, 1), toyFile(b, 2, 2)].sort());
    expect(error.message).toContain(toyFile(b, 2, 2));
    expect(snapshot(out)).toEqual({});
    expect(existsSync(toyFile(a, 1))).toBe(true); // a refused merge moves nothing
    const summary = mergeResults([a, b], out, { allowPartial: true });
    expect(summary.copied).toBe(10);
    expect(summary.bad.every((x) => x.movedTo?.includes(".bad"))).toBe(true);
    expect(existsSync(toyFile(a, 1))).toBe(false);
  });

  it("the CLI merge exits 2 on a conflict and 1 on a missing shard; results.csv is written on success", async () => {
    const dirs = await shardFolders(3, [0, 1]);
    const out = temp();
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "merge", ...dirs, "--out", out])).rejects.toThrow(/missing 2\/3/);
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "merge", ...dirs, "--out", out, "--allow-partial"]);
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(join(out, "results.csv"), "utf8").trim().split("\n").length).toBe(1 + scanRecords(out).records.length);
  });
});

describe("one lock per output folder", () => {
  it("a second sweep on the folder fails fast with a typed error naming the folder and the holder", async () => {
    const out = temp();
    const lock = acquireFolderLock(out);
    const calls: number[] = [];
    const error = await runSweep([toyExperiment({ calls })], { mode: "quick", seeds: [1], out, workers: 1, ...quiet }).catch((e) => e);
    expect(error).toBeInstanceOf(FolderLockedError);
    expect(error.message).toContain(out);
    expect(error.message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(calls).toEqual([]);
    lock.release();
    expect(existsSync(join(out, ".lock"))).toBe(false);
    await runSweep([toyExperiment({ calls })], { mode: "quick", seeds: [1], out, workers: 1, ...quiet });
    expect(calls).toHaveLength(6);
    expect(existsSync(join(out, ".lock"))).toBe(false);
  });

  it("a stale lock (dead pid on this host) is taken over with a message; another host's lock is not", async () => {
    const out = temp();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    writeFileSync(join(out, ".lock"), JSON.stringify({ pid: dead, host: hostname(), startedAt: "2020-01-01T00:00:00.000Z" }));
    const warnings: string[] = [];
    await runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`took over the stale lock .*pid ${dead}`))]);
    writeFileSync(join(out, ".lock"), JSON.stringify({ pid: dead, host: "elsewhere", startedAt: "2020-01-01T00:00:00.000Z" }));
    await expect(runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet })).rejects.toThrow(/locked by pid \d+ on elsewhere/);
  });

  it("is released when the sweep throws", async () => {
    const out = temp();
    const boom = runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet, onEvent: (e) => { if (e.type === "done") throw new Error("display failed"); } });
    await expect(boom).rejects.toThrow(/display failed/);
    expect(existsSync(join(out, ".lock"))).toBe(false);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`another process holds it until ${signal}, which releases it`, async () => {
      const out = temp();
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "--conditions=@fcn/source", join(import.meta.dirname, "fixtures", "hold-lock.ts"), out],
        { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
      );
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d: Buffer) => { if (d.toString().includes("locked")) resolve(); });
        child.on("exit", (code) => reject(new Error(`fixture exited with ${code}`)));
      });
      await expect(runSweep([toyExperiment()], { mode: "quick", seeds: [1], out, workers: 1, ...quiet })).rejects.toThrow(new RegExp(`locked by pid ${child.pid} .*hold-lock fixture`));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(existsSync(join(out, ".lock"))).toBe(false);
    }, 30_000);
  }

  it("an in-process sweep (--workers 1) hears Ctrl-C between runs: it stops, keeps its records and releases the lock", async () => {
    const out = temp();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@fcn/source", join(import.meta.dirname, "fixtures", "sweep-until-signal.ts"), out],
      { cwd: join(import.meta.dirname, ".."), stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(child);
    let printed = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    await new Promise<void>((resolve) => child.stdout!.on("data", (d: Buffer) => { printed += d.toString(); if (printed.includes("running")) resolve(); }));
    child.kill("SIGINT");
    expect(await exited).toBe("SIGINT");
    expect(printed).not.toContain("finished");
    expect(existsSync(join(out, ".lock"))).toBe(false);
    const kept = scanRecords(out);
    expect(kept.bad).toEqual([]);
    expect(kept.records.length).toBeGreaterThan(0);
    expect(kept.records.length).toBeLessThan(20);
  }, 30_000);
});

describe("results.csv and report", () => {
  it("results.csv is rewritten atomically as records land, not only at the end", async () => {
    const out = temp();
    const rowsSeen: number[] = [];
    const csvRows = () => (existsSync(join(out, "results.csv")) ? readFileSync(join(out, "results.csv"), "utf8").trim().split("\n").length - 1 : -1);
    await runSweep([toyExperiment({ onRun: () => rowsSeen.push(csvRows()) })], { mode: "quick", seeds: [1], out, workers: 1, csvIntervalMs: 0, ...quiet });
    expect(rowsSeen).toEqual([-1, 1, 2, 3, 4, 5]);
    expect(csvRows()).toBe(6);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("the CSV writer is throttled: at most one write per interval, the rest at flush", () => {
    const out = temp();
    let clock = 0;
    const writer = csvWriter(out, [], 5000, () => clock);
    const record = (hash: string) => ({
      hash,
      experiment: "toy",
      mode: "quick",
      config: { seed: 1 },
      seed: 1,
      status: "ok",
      metrics: {},
      wallTimeMs: 1,
      engine: {},
      machine: {},
      finishedAt: "",
    }) as unknown as StoredRecord;
    const rows = () => readFileSync(join(out, "results.csv"), "utf8").trim().split("\n").length - 1;
    writer.add(record("a"));
    expect(rows()).toBe(1);
    clock = 1000;
    writer.add(record("b"));
    writer.add(record("c"));
    expect(rows()).toBe(1);
    clock = 6000;
    writer.add(record("d"));
    expect(rows()).toBe(4);
    writer.add(record("e"));
    writer.flush();
    expect(rows()).toBe(5);
  });

  it("report --results <missing folder> is an error naming the folder, and writes no report", async () => {
    const missing = join(temp(), "no-such-results");
    const out = join(temp(), "report");
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "report", "--results", missing, "--out", out])).rejects.toThrow(MissingFolderError);
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "report", "--results", missing, "--out", out])).rejects.toThrow(missing);
    expect(existsSync(join(out, "README.md"))).toBe(false);
    const spy = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await main(["node", "fcn-bench", "report", "--results", missing, "--out", out]);
      expect(process.exitCode).toBe(1);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
  });
});
