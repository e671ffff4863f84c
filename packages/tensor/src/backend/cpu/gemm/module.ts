import {
  ELEMENTWISE_WASM, ELEMENTWISE_WASM_RELAXED, GEMM_WASM_RELAXED, GEMM_WASM_RELAXED_UNSHARED, GEMM_WASM_SIMD, GEMM_WASM_SIMD_UNSHARED,
} from "./wasm-bytes";

/** Exports of the GEMM wasm module; pointers are byte offsets into the shared memory. */
export interface GemmExports {
  sgemm: GemmKernel;
  dgemm: GemmKernel;
  sgemmWorkBytes(): number;
  dgemmWorkBytes(): number;
  /** dgemm with leading dimensions and an update mode; see {@link GemmKernelEx}. */
  dgemmEx: GemmKernelEx;
  /** y = A·x, A len×len symmetric, upper triangle read (rows ld apart). */
  dsymvUpper(a: number, ld: number, len: number, x: number, y: number): void;
  /** y[i] += alpha·Σⱼ A[i, j]·x[j], A m×n (rows lda apart). */
  dgemvN(a: number, lda: number, m: number, n: number, x: number, y: number, alpha: number): void;
  /** y[j] += alpha·Σᵢ A[i, j]·x[i], A m×n (rows lda apart). */
  dgemvT(a: number, lda: number, m: number, n: number, x: number, y: number, alpha: number): void;
  /** Root i of 1 + ρ Σⱼ wⱼ²/(δⱼ − λ) = 0 (k poles), δⱼ − λ written to delta; scratch: 2 float64. */
  dlaed4(poles: number, w: number, k: number, rho: number, wsq: number, i: number, delta: number, scratch: number): number;
  /** The update's eigenvectors from dlaed4's deltas: row i of U at u, entry j at column pos[j]; work: k float64. */
  dlaed3(delta: number, poles: number, w: number, k: number, pos: number, u: number, work: number): void;
}

/**
 * Computes rows i0..i1, columns j0..j1 of C = op(A)·op(B) in wasm memory (k > 0);
 * booleans are passed as 0/1.
 */
export type GemmKernel = (
  a: number, b: number, c: number, m: number, n: number, k: number, ta: number, tb: number,
  i0: number, i1: number, j0: number, j1: number, work: number,
) => void;

/**
 * {@link GemmKernel} on sub-matrices: lda, ldb, ldc are the elements between stored rows of A, B
 * and C; update 0: C = op(A)·op(B), 1: C += op(A)·op(B), −1: C −= op(A)·op(B).
 */
export type GemmKernelEx = (
  a: number, b: number, c: number, m: number, n: number, k: number, ta: number, tb: number,
  i0: number, i1: number, j0: number, j1: number, work: number, lda: number, ldb: number, ldc: number, update: number,
) => void;

/** Maximum size of the shared memory in 64 KiB pages (the module declares 65536). */
export const MAX_PAGES = 32768;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * True when relaxed SIMD (fused multiply-add) can be used. Node 20's V8 has it behind
 * `--experimental-wasm-relaxed-simd`; that flag only widens what wasm validation accepts, so
 * it is switched on at run time (set FCN_GEMM_NO_RELAXED=1 to keep the plain-SIMD build).
 */
function relaxedAvailable(bytes: Uint8Array<ArrayBuffer>): boolean {
  if (WebAssembly.validate(bytes)) return true;
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  if (proc?.env?.FCN_GEMM_NO_RELAXED === "1") return false;
  const v8 = proc?.getBuiltinModule?.("node:v8") as { setFlagsFromString?: (f: string) => void } | undefined;
  if (v8?.setFlagsFromString === undefined) return false;
  v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
  return WebAssembly.validate(bytes);
}

interface NodeProcessLike {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
}

let compiled: WebAssembly.Module | undefined;

/** Which build {@link gemmModule} compiled: "relaxed" (fused multiply-add) or "simd". */
export let gemmVariant: "relaxed" | "simd" | undefined;

/** The compiled module, built once on first use and shared with worker threads. */
export function gemmModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const relaxed = decode(GEMM_WASM_RELAXED);
    const useRelaxed = relaxedAvailable(relaxed);
    gemmVariant = useRelaxed ? "relaxed" : "simd";
    compiled = new WebAssembly.Module(useRelaxed ? relaxed : decode(GEMM_WASM_SIMD));
  }
  return compiled;
}

/** Instantiates the module over `memory` (which must be shared and come from {@link MAX_PAGES}). */
export function instantiateGemm(memory: WebAssembly.Memory): GemmExports {
  const instance = new WebAssembly.Instance(gemmModule(), { env: { memory } });
  return instance.exports as unknown as GemmExports;
}

const compiledVariants = new Map<string, WebAssembly.Module>();

/** Compiles once the build of `name` in the variant {@link gemmModule} chose (relaxed or plain SIMD). */
function sameVariant(name: string, relaxed: string, plain: string): WebAssembly.Module {
  let module = compiledVariants.get(name);
  if (module === undefined) {
    gemmModule();
    module = new WebAssembly.Module(decode(gemmVariant === "relaxed" ? relaxed : plain));
    compiledVariants.set(name, module);
  }
  return module;
}

/**
 * The same kernels built for an unshared memory (the CPU arena's), in the variant {@link gemmModule}
 * chose, so a product computes the same bits in either: same source, same multiply-add.
 */
export function unsharedGemmModule(): WebAssembly.Module {
  return sameVariant("gemm-unshared", GEMM_WASM_RELAXED_UNSHARED, GEMM_WASM_SIMD_UNSHARED);
}

/**
 * The elementwise module, compiled once for every instance (the copying drivers' and the arena's),
 * in the variant the gemm chose: relaxed SIMD fuses fast math mode's multiply-adds and changes
 * nothing in the exact kernels, which use no relaxed operation.
 */
export function elementwiseModule(): WebAssembly.Module {
  return sameVariant("elementwise", ELEMENTWISE_WASM_RELAXED, ELEMENTWISE_WASM);
}
