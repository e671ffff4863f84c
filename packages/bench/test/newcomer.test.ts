// What a new user runs into first: requiring the package, paths typed at the workspace root, a bare `run`, `--version`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildProgram, renderSvg } from "../src/index.js";
import { callerDirectory, callerPath } from "../src/framework/paths.js";
import manifest from "../package.json";

const SRC = join(import.meta.dirname, "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("require(\"@fcn/bench\") (CommonJS)", () => {
  it("no module imports vega or vega-lite statically: their top-level await would make require() fail with ERR_REQUIRE_ASYNC_MODULE", () => {
    const staticImport = /^\s*(import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']vega(-lite)?["']|^\s*import\s+["']vega(-lite)?["']|require\(\s*["']vega(-lite)?["']\s*\)/m;
    const offenders = sources(SRC).filter((file) => staticImport.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
  it("renderSvg loads them on demand and still renders", async () => {
    const svg = await renderSvg({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
      mark: "line",
      encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
    });
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("</svg>");
  });
});

describe("paths resolve against the caller's folder", () => {
  it("under the workspace's fcn-bench script, INIT_CWD (where pnpm was run) is the base", () => {
    const env = { INIT_CWD: "/home/me/fcn", npm_lifecycle_event: "fcn-bench" };
    expect(callerDirectory(env, "/home/me/fcn/packages/bench")).toBe(resolve("/home/me/fcn"));
    expect(callerPath("results/shard-1", env, "/home/me/fcn/packages/bench")).toBe(resolve("/home/me/fcn/results/shard-1"));
    expect(callerPath("/abs/out", env, "/home/me/fcn/packages/bench")).toBe(resolve("/abs/out"));
  });
  it("elsewhere (no INIT_CWD, or the package's own scripts) the current directory is the base", () => {
    expect(callerPath("results", {}, "/home/me/fcn/packages/bench")).toBe(resolve("/home/me/fcn/packages/bench/results"));
    expect(callerPath("../../docs/results", { INIT_CWD: "/home/me/fcn", npm_lifecycle_event: "standard" }, "/home/me/fcn/packages/bench")).toBe(resolve("/home/me/fcn/docs/results"));
  });

  const saved = { INIT_CWD: process.env.INIT_CWD, npm_lifecycle_event: process.env.npm_lifecycle_event };
  const dirs: string[] = [];
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  it("the CLI's path options and merge inputs use it", async () => {
    const caller = mkdtempSync(join(tmpdir(), "fcn-caller-"));
    dirs.push(caller);
    process.env.INIT_CWD = caller;
    process.env.npm_lifecycle_event = "fcn-bench";
    // A missing results folder is named in the error: the name shows where it was looked for.
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "report", "exp2", "--results", "nowhere", "--no-plots"])).rejects.toThrow(join(caller, "nowhere"));
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "merge", "shard-1", "--out", "merged"])).rejects.toThrow(join(caller, "shard-1"));
  });
});

describe("run and --version", () => {
  it("a bare run starts nothing: it asks for ids or all and lists them", async () => {
    await expect(buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "run", "--dry-run"])).rejects.toThrow(/name the experiments to run, or all; valid experiments: exp1, exp2/);
  });
  it("run all still plans every experiment", async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await buildProgram({ embedded: true }).parseAsync(["node", "fcn-bench", "run", "all", "--dry-run"]);
    } finally {
      process.stdout.write = write;
    }
    expect(new Set(lines.join("").split("\n").filter(Boolean).map((l) => l.split(" ")[0])).size).toBeGreaterThan(10);
  });
  it("--version prints the package's version", async () => {
    let printed = "";
    const program = buildProgram({ embedded: true }).configureOutput({ writeOut: (text) => { printed += text; } });
    await expect(program.parseAsync(["node", "fcn-bench", "--version"])).rejects.toMatchObject({ code: "commander.version" });
    expect(printed.trim()).toBe(manifest.version);
  });
});
