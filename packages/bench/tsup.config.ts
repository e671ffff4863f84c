import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    shims: true,
  },
  {
    // The executable and the worker-thread entry it starts: ESM files beside index.js.
    entry: { cli: "src/bin.ts", worker: "src/framework/worker.ts" },
    format: ["esm"],
    sourcemap: true,
    target: "es2022",
    splitting: true,
  },
]);
