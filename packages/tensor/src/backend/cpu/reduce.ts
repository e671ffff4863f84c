import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized } from "./storage.js";
import type { ReducePrimitive } from "../../ops/primitives.js";
import { type Shape, stridesOf } from "../../shape.js";

interface Reducer {
  init: number;
  /** acc ⊕ v */
  step: (acc: number, v: number) => number;
}

const REDUCERS: Record<ReducePrimitive, Reducer> = {
  sum: { init: 0, step: (a, v) => a + v },
  prod: { init: 1, step: (a, v) => a * v },
  // NaN wins, as in PyTorch.
  max: { init: -Infinity, step: (a, v) => (v > a || v !== v ? v : a) },
  min: { init: Infinity, step: (a, v) => (v < a || v !== v ? v : a) },
};

/**
 * Reduces `axes` of x. Walks x in memory order; each element lands in the output slot
 * given by strides that are 0 on reduced axes. Sums accumulate in float64 (a Float64Array
 * scratch), so float32 sums do not drift with length.
 */
export function reduce(primitive: ReducePrimitive, x: TypedArray, shape: Shape, axes: readonly number[], outDtype: DType): TypedArray {
  const { init, step } = REDUCERS[primitive];
  const rank = shape.length;
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = keptShape.reduce((a, b) => a * b, 1);
  const acc = new Float64Array(outSize).fill(init);
  const n = x.length;
  if (n > 0) {
    const outStrides = stridesOf(keptShape).map((s, i) => (axes.includes(i) ? 0 : s));
    const inner = rank === 0 ? 1 : shape[rank - 1];
    const innerStride = rank === 0 ? 0 : outStrides[rank - 1];
    const idx = new Int32Array(Math.max(rank, 1));
    let po = 0;
    for (let base = 0; base < n; base += inner) {
      if (innerStride === 0) {
        let a = acc[po];
        for (let j = 0; j < inner; j++) a = step(a, x[base + j]);
        acc[po] = a;
      } else {
        for (let j = 0; j < inner; j++) acc[po + j] = step(acc[po + j], x[base + j]);
      }
      for (let d = rank - 2; d >= 0; d--) {
        idx[d]++;
        po += outStrides[d];
        if (idx[d] < shape[d]) break;
        po -= outStrides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
  const out = allocUninitialized(outDtype, outSize);
  out.set(acc);
  return out;
}

/** Index of the first max (or min) along `axis`. */
export function argReduce(isMax: boolean, x: TypedArray, shape: Shape, axis: number): Int32Array {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base];
      let at = 0;
      for (let k = 1; k < n && best === best; k++) {
        const v = x[base + k * inner];
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          at = k;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return out;
}
