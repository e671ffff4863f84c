import { ArgumentError } from "../../errors.js";
import { WASM_UNARY_MIN_MATH, WASM_UNARY_OPS, unaryWasmInto } from "./unary-wasm.js";

type FloatArray = Float32Array | Float64Array;

/**
 * out[i] = exp(x[i]) for float arrays of one type and length. Values equal `Math.exp` (float64) or
 * `Math.exp` rounded once to float32, bit for bit: the SIMD kernel evaluates fdlibm's algorithm.
 */
export function expInto(x: FloatArray, out: FloatArray): void {
  if (!(x instanceof Float32Array || x instanceof Float64Array)) throw new ArgumentError("expInto: x must be a Float32Array or Float64Array");
  if (x.constructor !== out.constructor) throw new ArgumentError(`expInto: out must be a ${x.constructor.name} like x, got ${out.constructor.name}`);
  if (out.length !== x.length) throw new ArgumentError(`expInto: out has ${out.length} elements, x has ${x.length}`);
  if (x.length >= WASM_UNARY_MIN_MATH) {
    unaryWasmInto(WASM_UNARY_OPS.exp!, x, out);
    return;
  }
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
}
