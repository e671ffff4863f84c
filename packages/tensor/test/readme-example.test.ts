import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README example", () => {
  it("is the file examples/quickstart.ts, verbatim", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/quickstart.ts", import.meta.url), "utf8");
    expect(readme).toContain(example);
  });

  it("runs and fits the line it claims to fit", async () => {
    const { fitted } = await import("../examples/quickstart.js");
    expect(fitted.weight).toBeCloseTo(3, 2);
    expect(fitted.bias).toBeCloseTo(-1, 2);
  });

  it("shows examples/mixed-precision.ts verbatim, and its dtypes are what it prints", async () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const example = readFileSync(new URL("../examples/mixed-precision.ts", import.meta.url), "utf8");
    expect(readme).toContain(example);
    const { dtypes } = await import("../examples/mixed-precision.js");
    expect(dtypes).toEqual(["float16", "float32", "float32"]);
  });
});
