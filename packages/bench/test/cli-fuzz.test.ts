/**
 * Fuzz suite of the CLI's argument parsing (issue 15): random argv for run, report, merge, verify
 * and list through buildProgram({ embedded: true }). Every failure must be a clean error with a
 * message (commander's, ours, or a typed FcnError), never a TypeError, an undefined access or a
 * JSON SyntaxError. Nothing long runs: `run` always has --dry-run; report, merge and verify only
 * see temporary folders of a tiny toy experiment. Seeded; 1,000 runs.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import fc from "fast-check";
import { FcnError } from "@fcn/tensor";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildProgram, runSweep } from "../src/index.js";
import { toyExperiment } from "./fixtures/toy.js";

let root: string;
const paths: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "fcn-cli-fuzz-"));
  for (const index of [0, 1]) {
    paths[`shard${index}`] = join(root, `shard-${index}`);
    await runSweep([toyExperiment({ size: 3 })], { mode: "quick", seeds: [1], out: paths[`shard${index}`], workers: 1, shard: { index, count: 2 }, onWarning: () => {} });
  }
  paths.empty = join(root, "empty");
  mkdirSync(paths.empty);
  paths.file = join(root, "a-file");
  writeFileSync(paths.file, "not a folder");
  paths.missing = join(root, "missing");
  paths.reportOut = join(root, "report");
  paths.mergeOut = join(root, "merged");
  paths.mergeOut2 = join(root, "merged-2");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Tokens any command may meet: junk that is never an option that writes somewhere. */
const junk = () => fc.oneof(
  fc.constantFrom("--", "-", "-h", "--help", "--json", "--unknown", "-x", "", " ", "=", "NaN", "-1", "1e309", "0/0", "__proto__", "constructor", "toString", "exp2", "exp99", "toy", "all,exp2"),
  fc.string({ maxLength: 8 }).filter((s) => !s.startsWith("-")),
);
const pair = (option: string, values: readonly string[]) => fc.constantFrom(...values).map((v) => [option, v]);
const folder = () => fc.constantFrom(paths.shard0, paths.shard1, paths.empty, paths.file, paths.missing);

const runArgs = () => fc.array(fc.oneof(
  junk().map((t) => [t]),
  pair("--mode", ["quick", "standard", "full", "fast", ""]),
  pair("--seeds", ["1", "1,2", "a", "", "1e400", ",", "-3", "9007199254740993", "1.5"]),
  pair("--reading", ["swissRollLabels=arms", "x=y", "=", "kroneckerFactors=k", "bad", "kroneckerFactors=", "kroneckerFactors=k,zz"]),
  pair("--backend", ["cpu", "webgpu", "tpu", ""]),
  pair("--workers", ["0", "1", "2", "x", "-1", "1.5", "1e9"]),
  pair("--shard", ["0/1", "1/3", "3/3", "x", "0/0", "-1/2", "1/2/3", " 1/2", "99999999999999999999/1"]),
  fc.constantFrom(["--resume"], ["--json"], ["exp2"], ["exp5"], ["exp99"]),
), { maxLength: 6 }).map((parts) => ["run", "--dry-run", ...parts.flat()]);

const reportArgs = () => fc.tuple(folder(), fc.array(fc.oneof(
  junk().map((t) => [t]),
  folder().map((f) => ["--results", f]),
  pair("--command", ["pnpm bench", "", "--out"]),
  fc.constantFrom(["--no-plots"], ["exp2"], ["exp99"], ["--out", paths.reportOut]),
), { maxLength: 5 })).map(([results, parts]) => ["report", "--out", paths.reportOut, "--no-plots", "--results", results, ...parts.flat()]);

const verifyArgs = () => fc.tuple(folder(), fc.array(fc.oneof(
  junk().map((t) => [t]),
  folder().map((f) => ["--results", f]),
  pair("--sample", ["0", "1", "x", "-2", "1e3", ""]),
), { maxLength: 5 })).map(([results, parts]) => ["verify", "--results", results, ...parts.flat()]);

// A bare "--out" comes only last (a missing value): anywhere else it would take the next token as a folder.
const mergeArgs = () => fc.tuple(fc.array(folder(), { maxLength: 3 }), fc.array(fc.oneof(
  junk().map((t) => [t]),
  fc.constantFrom(["--allow-partial"], ["--out", paths.mergeOut2]),
), { maxLength: 4 }), fc.boolean()).map(([dirs, parts, bareOut]) => ["merge", ...dirs, "--out", paths.mergeOut, ...parts.flat(), ...(bareOut ? ["--out"] : [])]);

const listArgs = () => fc.array(junk(), { maxLength: 3 }).map((parts) => ["list", ...parts]);

/** An error a user can act on: commander's, a typed FcnError, or a plain Error with a message. */
function isClean(error: unknown): boolean {
  if (!(error instanceof Error) || error.message.trim() === "") return false;
  if (/undefined|Cannot read prop|is not a function|Unexpected token/.test(error.message)) return false;
  return error instanceof CommanderError || error instanceof FcnError || Object.getPrototypeOf(error) === Error.prototype;
}

describe("CLI argument fuzz", () => {
  it("every failure of random argv is a clean error with a message", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const failures = new Map<string, number>();
    const here = readdirSync(process.cwd()).sort();
    try {
      await fc.assert(fc.asyncProperty(
        fc.oneof(
          { weight: 30, arbitrary: runArgs() },
          { weight: 25, arbitrary: reportArgs() },
          { weight: 20, arbitrary: verifyArgs() },
          { weight: 20, arbitrary: mergeArgs() },
          { weight: 2, arbitrary: listArgs() },
          { weight: 3, arbitrary: fc.array(junk(), { minLength: 1, maxLength: 3 }) },
        ),
        async (argv) => {
          const error = await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", ...argv]).then(() => undefined, (e: unknown) => e);
          process.exitCode = undefined;
          if (error === undefined) return;
          const name = (error as Error).constructor?.name ?? typeof error;
          failures.set(name, (failures.get(name) ?? 0) + 1);
          if (!isClean(error)) throw new Error(`unclean failure for ${JSON.stringify(argv)}: ${(error as Error)?.stack ?? String(error)}`);
        },
      ), { numRuns: 1000, seed: 1505 });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(readdirSync(process.cwd()).sort()).toEqual(here); // nothing written outside the temporary folders
    // The fuzz reaches the typed errors, not only commander's.
    expect([...failures.keys()]).toEqual(expect.arrayContaining(["CommanderError", "MissingFolderError", "MergeError"]));
  }, 120_000);
});
