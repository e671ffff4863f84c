import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { checkReadme, tsSnippets, typecheckSnippets } from "../../../tools/readme-snippets.js";

describe("README examples", () => {
  it.each(["quickstart.ts", "mixed-precision.ts"])("shows examples/%s verbatim", (file) => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(readFileSync(new URL(`../examples/${file}`, import.meta.url), "utf8"));
  });

  it("quickstart runs and fits the line it claims to fit", async () => {
    const { fitted } = await import("../examples/quickstart.js");
    expect(fitted.weight).toBeCloseTo(3, 2);
    expect(fitted.bias).toBeCloseTo(-1, 2);
  });

  it("mixed precision gives the dtypes it prints", async () => {
    const { dtypes } = await import("../examples/mixed-precision.js");
    expect(dtypes).toEqual(["float16", "float32", "float32"]);
  });
});

it("every ```ts block of the README type-checks on its own, imports included", () => {
  const { snippets, errors } = checkReadme(fileURLToPath(new URL("..", import.meta.url)));
  expect(snippets).toBeGreaterThan(0);
  expect(errors).toEqual([]);
}, 60_000);

it("a block that uses names it does not import fails the README check", () => {
  const markdown = "```ts\nconst gen = new Generator(0);\nconst y = relu(randn([2, 2], gen));\n```\n\n```ts\nimport { Generator, randn, " +
    "relu } from \"@fcn/tensor\";\n\nconst y = relu(randn([2, 2], new Generator(0)));\n```\n";
  const snippets = tsSnippets(markdown);
  expect(snippets.map((s) => s.line)).toEqual([2, 7]);
  const errors = typecheckSnippets(fileURLToPath(new URL("..", import.meta.url)), snippets);
  expect(errors.map((e) => e.line)).toEqual([2]);
  expect(errors[0].messages.join("\n")).toMatch(/TS2304 Cannot find name 'relu'/);
}, 60_000);
