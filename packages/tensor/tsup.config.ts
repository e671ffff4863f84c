import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // One shared chunk, so `@fcn/tensor` and `@fcn/tensor/testing` use the same engine
  // instance in CommonJS too.
  splitting: true,
  external: ["fast-check"],
});
