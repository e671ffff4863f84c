import { defineProject } from "vitest/config";

// The end-to-end test builds the page, serves it and drives it in Chromium: one file, long timeouts.
export default defineProject({
  resolve: { conditions: ["@fcn/source"] },
  ssr: { resolve: { conditions: ["@fcn/source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
