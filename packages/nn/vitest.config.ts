import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@fcn/source"] },
  ssr: { resolve: { conditions: ["@fcn/source"] } },
  // Dawn's native warnings stay out of the output (tools/quiet-dawn.ts).
  test: { globalSetup: ["../../tools/quiet-dawn.ts"], include: ["src/**/*.test.ts", "test/**/*.test.ts"], testTimeout: 60_000 },
});
