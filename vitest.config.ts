import { defineConfig } from "vitest/config";

// One run over every package, so `pnpm test` prints one summary.
export default defineConfig({
  test: {
    projects: ["packages/*"],
    reporters: ["default", "./tools/summary-reporter.ts"],
  },
});
