import { defineConfig, defaultClientConditions } from "vite";

/**
 * The page imports @fcn/* from their TypeScript sources (the "@fcn/source" export condition), as
 * the packages' tests do: no `pnpm build` of the libraries is needed first, and CI (which runs
 * `pnpm test` without a build) builds the page from the same sources it tests.
 * The base path comes from `--base` or PLAYGROUND_BASE (default "./": relative URLs, so the built
 * folder works at any path of any static host).
 */
const conditions = ["@fcn/source", ...defaultClientConditions];

export default defineConfig({
  base: process.env.PLAYGROUND_BASE ?? "./",
  resolve: { conditions },
  worker: { format: "es" },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
