import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts", "src/gemm.ts", "src/kernels.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // One shared chunk, so `@fcn/tensor`, `@fcn/tensor/testing`, `@fcn/tensor/gemm` and `@fcn/tensor/kernels` use
  // the same engine instance (and gemm worker pool) in CommonJS too.
  splitting: true,
  external: ["fast-check"],
});
