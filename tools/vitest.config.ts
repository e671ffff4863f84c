import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One run over every package, so `pnpm test` prints one summary (the root is the repository).
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    projects: [
      "packages/*",
      // Repository-level checks: the packed packages in an ESM and a CommonJS consumer (tools/consumer-test.mjs).
      { test: { name: "tools", include: ["tools/test/**/*.test.ts"] } },
    ],
    reporters: ["default", "./tools/summary-reporter.ts"],
  },
});
