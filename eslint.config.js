// ESLint for the whole repository: `pnpm lint` (CI runs it before the tests). Why these rules,
// and which ones are left off with how many places they would flag: docs/linting.md.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores([
    "**/dist/",
    "**/coverage/",
    "**/.turbo/",
    "packages/*/results*/",
    "packages/playground/test-artifacts/",
    // AssemblyScript, compiled by asc to WebAssembly: its builtins (i32, f64x2, load, store) are not TypeScript's.
    "tools/build-wasm/{elementwise,gemm}/",
  ]),
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a binding kept on purpose (a skipped argument, a destructured field left out).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "object-shorthand": "error",
      // Prose belongs in wrapped string pieces, not in one code line.
      "max-len": ["error", { code: 200, ignoreUrls: true }],
    },
  },
  {
    // Generated: embedded data sets and the base64 WebAssembly.
    files: ["packages/data/src/real/embedded/**", "packages/tensor/src/backend/cpu/gemm/wasm-bytes.ts"],
    rules: { "max-len": "off" },
  },
  {
    // Type-aware rules, for the mistakes only types reveal: promises that are dropped or passed where nothing
    // awaits them (fit, data() and the WebGPU reads are async), thrown non-errors, switches that miss a case.
    // Files each package's (or tools/) tsconfig.json includes; build and test configs are linted without types.
    files: ["packages/*/{src,test,test-browser,bench,examples}/**/*.ts", "tools/*.ts", "tools/test/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/prefer-promise-reject-errors": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
    },
  },
);
