import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { checkReadme } from "../../../tools/readme-snippets.js";

describe("README examples", () => {
  it.each(["quickstart.ts", "mixed-precision.ts"])("shows examples/%s verbatim", (file) => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(readFileSync(new URL(`../examples/${file}`, import.meta.url), "utf8"));
  });

  it("quickstart runs and gives the parameter counts and accuracies it claims", async () => {
    const { results } = await import("../examples/quickstart.js");
    expect(results.circulator.learned).toBe(325);
    expect(results.hsn.learned).toBe(897);
    expect(results.hsn.effective).toBe(660);
    expect(results.dense.learned).toBe(4417);
    for (const r of Object.values(results)) expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it("mixed precision runs: the loss falls, no step is skipped, the scale stays 2^16", async () => {
    const { losses, scale, skipped } = await import("../examples/mixed-precision.js");
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    expect(scale).toBe(65536);
    expect(skipped).toBe(0);
  });
});

it("every ```ts block of the README type-checks on its own, imports included", () => {
  const { snippets, errors } = checkReadme(fileURLToPath(new URL("..", import.meta.url)));
  expect(snippets).toBeGreaterThan(0);
  expect(errors).toEqual([]);
}, 60_000);
