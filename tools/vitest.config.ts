import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One run over every package, so `pnpm test` prints one summary (the root is the repository).
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    projects: ["packages/*"],
    reporters: ["default", "./tools/summary-reporter.ts"],
  },
});
