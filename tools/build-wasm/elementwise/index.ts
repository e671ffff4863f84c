// Entry of the elementwise wasm module (AssemblyScript). Rebuild with `pnpm --filter @fcn/tensor build:wasm`.
export { binary } from "./binary";
