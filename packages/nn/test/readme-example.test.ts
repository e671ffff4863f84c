import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README example", () => {
  it("is the file examples/quickstart.ts, verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/quickstart.ts", import.meta.url), "utf8");
    expect(readme).toContain(example);
  });

  it("runs and gives the parameter counts and accuracies it claims", async () => {
    const { results } = await import("../examples/quickstart.js");
    expect(results.circulator.learned).toBe(325);
    expect(results.hsn.learned).toBe(897);
    expect(results.hsn.effective).toBe(660);
    expect(results.dense.learned).toBe(4417);
    for (const r of Object.values(results)) expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
