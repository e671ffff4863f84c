import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

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
