import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README mixed-precision example", () => {
  it("is the file examples/mixed-precision.ts, verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/mixed-precision.ts", import.meta.url), "utf8");
    expect(readme).toContain(example);
  });

  it("runs: the loss falls, no step is skipped, the scale stays 2^16", async () => {
    const { losses, scale, skipped } = await import("../examples/mixed-precision.js");
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    expect(scale).toBe(65536);
    expect(skipped).toBe(0);
  });
});
