/**
 * CPU kernels on plain arrays, for libraries that run their own loops over row-major buffers
 * (eigensolvers, Kronecker algebra, streaming attention): the backend's WebAssembly SIMD gemm and
 * its elementwise exp, with no tensors and no autograd.
 *
 * @example
 * import { expInto, gemmF32 } from "@fcn/tensor/kernels";
 * const w = new Float32Array(logits.length);
 * expInto(logits, w); // w[i] = exp(logits[i]), as Math.exp rounded to float32
 */
export { gemmF32, gemmF64, setGemmThreads } from "./backend/cpu/gemm/index.js";
export { expInto } from "./backend/cpu/array-kernels.js";
