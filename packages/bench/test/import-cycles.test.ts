/**
 * No import cycle in packages/bench/src: every relative import that is loaded at run time (static,
 * `export … from`, and dynamic `import()`, which once hid the CLI's cycle) is an edge of the
 * module graph, and a depth-first walk finds any cycle. `import type` / `export type` statements
 * are erased by the compiler and load nothing, so they are not edges. The walker is checked on a
 * graph with a known cycle first.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Every `.ts` file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** The relative module specifiers a source text loads at run time, statically or dynamically. */
export function importSpecifiers(text: string): string[] {
  const fromClauses = [...text.matchAll(/\b(import|export)\s+(type\s)?[^;]*?\sfrom\s*["']([^"']+)["']/g)].filter((m) => m[2] === undefined).map((m) => m[3]);
  const bare = [...text.matchAll(/\bimport\s*["']([^"']+)["']/g), ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
  return [...fromClauses, ...bare].filter((s) => s.startsWith("."));
}

/** The graph of `files`: file → the source files it imports (`./x.js` resolves to `./x.ts`; other files, e.g. package.json, are not nodes). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(files.map((file) => [file, importSpecifiers(readFileSync(file, "utf8"))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")))
    .filter((target) => known.has(target))]));
}

/** The first cycle found (its nodes, the first repeated at the end), or undefined. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("import graph of packages/bench/src", () => {
  it("the walker reads every kind of import and finds a cycle, also one through a dynamic import", () => {
    const text = 'import { a, type A } from "./a.js";\nimport type { B } from "../b.js";\nexport { c } from "./c.js";\nexport type { C } from "./f.js";\nimport "./d.js";\n' +
      'const e = await import("./e.js");\nimport x from "node:fs";';
    expect(importSpecifiers(text).sort()).toEqual(["./a.js", "./c.js", "./d.js", "./e.js"]);
    expect(findCycle(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toBeUndefined();
    expect(findCycle(new Map([["cli", ["slice"]], ["slice", ["fractal"]], ["fractal", ["cli"]], ["other", ["cli"]]]))).toEqual(["cli", "slice", "fractal", "cli"]);
  });

  it("has no cycle", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(40);
    const graph = importGraph(files);
    // The CLI imports the experiments: the graph has edges, so an empty walk cannot pass.
    expect(graph.get(join(SRC, "cli.ts"))).toContain(join(SRC, "experiments", "registry.ts"));
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(SRC, f)).join(" → ")).toBeUndefined();
  });
});
