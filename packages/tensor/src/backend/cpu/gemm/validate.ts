import { ArgumentError, ShapeError } from "../../../errors";

/** Float32Array or Float64Array: the element types the GEMM kernels take. */
export type FloatArray = Float32Array | Float64Array;

function checkDim(op: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new ArgumentError(`${op}: ${name} must be a non-negative integer, got ${v}`);
  }
}

/** The message is built only on failure: this runs on every product, and strings are garbage. */
function checkLength(op: string, name: string, arr: FloatArray, rows: number, cols: number): void {
  if (arr.length < rows * cols) {
    throw new ShapeError(`${op}: ${name} has ${arr.length} elements, needs ${rows * cols} for [${rows}, ${cols}]`);
  }
}

/** Throws unless m, n, k are sizes and a, b, c hold at least m·k, k·n, m·n elements. */
export function validateGemm(
  op: string, a: FloatArray, b: FloatArray, c: FloatArray,
  m: number, n: number, k: number, transA: boolean, transB: boolean,
): void {
  checkDim(op, "m", m);
  checkDim(op, "n", n);
  checkDim(op, "k", k);
  checkLength(op, "a", a, transA ? k : m, transA ? m : k);
  checkLength(op, "b", b, transB ? n : k, transB ? k : n);
  checkLength(op, "c", c, m, n);
}
