import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The browser test only (`pnpm test:browser`); `pnpm test` never includes test-browser/.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  resolve: { conditions: ["@fcn/source"] },
  ssr: { resolve: { conditions: ["@fcn/source"] } },
  test: {
    include: ["test-browser/**/*.browser.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
