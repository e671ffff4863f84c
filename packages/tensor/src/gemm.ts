/**
 * The CPU backend's matrix multiply on plain arrays, for libraries that keep their own
 * row-major matrices (eigensolvers, Kronecker algebra): C = op(A)·op(B) written into C, with
 * no tensors, no copies of A and B, and the same WebAssembly SIMD kernels and threads.
 *
 * @example
 * import { gemmF64 } from "@fcn/tensor/gemm";
 * const c = new Float64Array(m * n);
 * gemmF64(a, b, c, m, n, k, false, true); // C = A·Bᵀ
 *
 * `withF64Workspace` keeps whole float64 matrices in the kernels' WebAssembly memory for the
 * length of a callback, where gemm (sub-matrices, C =/+=/−=), symmetric and general
 * matrix-vector products run on them without copies.
 */
export { gemmF32, gemmF64, setGemmThreads } from "./backend/cpu/gemm/index.js";
export { withF64Workspace, f64WorkspaceFits, type F64Workspace, type F64WorkspaceOptions, type GemmUpdate } from "./backend/cpu/gemm/workspace.js";
