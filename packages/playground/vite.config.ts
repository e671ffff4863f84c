import { fileURLToPath } from "node:url";
import { defineConfig, defaultClientConditions } from "vite";

/**
 * The page imports @fcn/* from their TypeScript sources (the "@fcn/source" export condition), as
 * the packages' tests do: no `pnpm build` of the libraries is needed first, and CI (which runs
 * `pnpm test` without a build) builds the page from the same sources it tests.
 * Node built-ins imported by the libraries' file I/O resolve to src/node-stub.ts (never called here).
 * The base path comes from `--base` or PLAYGROUND_BASE (default "./": relative URLs, so the built
 * folder works at any path of any static host).
 */
const conditions = ["@fcn/source", ...defaultClientConditions];
const nodeStub = fileURLToPath(new URL("./src/node-stub.ts", import.meta.url));
const alias = [{ find: /^node:(fs|fs\/promises|path)$/, replacement: nodeStub }];

export default defineConfig({
  base: process.env.PLAYGROUND_BASE ?? "./",
  resolve: { conditions, alias },
  worker: { format: "es" },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
