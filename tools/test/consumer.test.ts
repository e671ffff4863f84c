import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const script = fileURLToPath(new URL("../consumer-test.mjs", import.meta.url));

// Builds and packs the published packages, installs the tarballs outside the workspace and runs
// an ESM and a CommonJS consumer of them (tools/consumer-test.mjs); about 2 minutes on 2 cores.
it("the packed packages install, type-check without skipLibCheck and run as ESM and as CommonJS", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [script], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`consumer test failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
  });
  for (const line of ["consumer ok (esm)", "testing kits ok (esm)", "consumer ok (cjs)", "testing kits ok (cjs)", "out-node10/consumer.js: consumer ok (cjs)"]) {
    expect(stdout).toContain(line);
  }
}, 600_000);
