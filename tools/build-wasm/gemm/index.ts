// Entry of the GEMM wasm module (AssemblyScript). Rebuild with `pnpm --filter @fcn/tensor build:wasm`.
export { sgemm, sgemmWorkBytes } from "./f32";
export { dgemm, dgemmWorkBytes } from "./f64";
