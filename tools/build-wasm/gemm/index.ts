// Entry of the GEMM wasm module (AssemblyScript). Rebuild with `pnpm --filter @fcn/tensor build:wasm`.
export { sgemm, sgemmWorkBytes } from "./f32";
export { dgemm, dgemmEx, dgemmWorkBytes } from "./f64";
export { dsymvUpper } from "./dsymv";
export { dgemvN, dgemvT } from "./dgemv";
export { dlaed4 } from "./dlaed4";
export { dlaed3 } from "./dlaed3";
