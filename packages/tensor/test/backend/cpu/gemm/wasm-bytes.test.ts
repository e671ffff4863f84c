import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const builder = fileURLToPath(new URL("../../../../../../tools/build-wasm/build.mjs", import.meta.url));

describe("wasm-bytes.ts", () => {
  it("is what the AssemblyScript sources build to", () => {
    // asc output is deterministic; --check rebuilds both variants and compares the generated file.
    const out = execFileSync(process.execPath, [builder, "--check"], { encoding: "utf8" });
    expect(out).toContain("up to date");
  }, 120_000);
});
