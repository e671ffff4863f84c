import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@fcn/source"] },
  ssr: { resolve: { conditions: ["@fcn/source"] } },
  test: { include: ["test/**/*.test.ts"] },
});
