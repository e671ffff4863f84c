import type { DType, TypedArray } from "../../dtype.js";
import type { Shape } from "../../shape.js";
import { allocUninitialized } from "./storage.js";
import { softmaxWasm } from "./softmax-wasm.js";

/**
 * Softmax or log-softmax along `axis`: for each line, m = max, s = Σ e^(x − m), then
 * y = e^(x − m) / s or y = x − m − log s. Accumulates in float64.
 */
export function softmax(x: TypedArray, shape: Shape, axis: number, dtype: DType, log: boolean): TypedArray {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const n = shape[axis];
  if (inner === 1) {
    // Along the last axis: the wasm SIMD kernel gives the same bits (softmax-wasm.ts).
    const fast = softmaxWasm(x, outer, n, dtype, log);
    if (fast !== null) return fast;
  }
  const out = allocUninitialized(dtype, x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner];
        if (v > m || v !== v) m = v;
      }
      let s = 0;
      if (log) {
        for (let k = 0; k < n; k++) s += Math.exp(x[base + k * inner] - m);
        const shift = m + Math.log(s);
        for (let k = 0; k < n; k++) out[base + k * inner] = x[base + k * inner] - shift;
      } else {
        // One exp per element: keep e^(x − m) in out, then scale by 1/s.
        for (let k = 0; k < n; k++) {
          const e = Math.exp(x[base + k * inner] - m);
          out[base + k * inner] = e;
          s += e;
        }
        const r = 1 / s;
        for (let k = 0; k < n; k++) out[base + k * inner] *= r;
      }
    }
  }
  return out;
}
