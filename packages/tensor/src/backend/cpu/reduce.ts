import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized } from "./storage.js";
import type { ReducePrimitive } from "../../ops/primitives.js";
import { type Shape, stridesOf } from "../../shape.js";
import { reduceWasm } from "./reduce-wasm.js";
import { argReduceWasm } from "./argreduce-wasm.js";

/** Initial value and update `a = a ⊕ v` of each reduction, as code snippets. */
const REDUCERS: Record<ReducePrimitive, { init: string; step: string }> = {
  sum: { init: "0", step: "a += v;" },
  prod: { init: "1", step: "a *= v;" },
  // NaN wins, as in PyTorch.
  max: { init: "-Infinity", step: "if (v > a || v !== v) a = v;" },
  min: { init: "Infinity", step: "if (v < a || v !== v) a = v;" },
};

type ReduceLoop = (x: TypedArray, acc: Float64Array, shape: Shape, outStrides: number[]) => void;
const loops = new Map<string, ReduceLoop>();

/**
 * The loop for one reduction and input type, generated like the elementwise loops so the
 * update is inlined. It walks x row by row (the last axis innermost); when the last axis is
 * reduced a row folds into one accumulator register, otherwise it updates a row of slots.
 */
function loopFor(primitive: ReducePrimitive, x: TypedArray): ReduceLoop {
  const key = primitive + x.constructor.name;
  let loop = loops.get(key);
  if (loop) return loop;
  const { step } = REDUCERS[primitive];
  const body = `// ${key}
    const rank = shape.length;
    const n = x.length;
    if (n === 0) return;
    const inner = rank === 0 ? 1 : shape[rank - 1];
    const innerStride = rank === 0 ? 0 : outStrides[rank - 1];
    const idx = new Int32Array(Math.max(rank, 1));
    let po = 0;
    for (let base = 0; base < n; base += inner) {
      if (innerStride === 0) {
        let a = acc[po];
        for (let j = 0; j < inner; j++) { const v = x[base + j]; ${step} }
        acc[po] = a;
      } else {
        for (let j = 0; j < inner; j++) { let a = acc[po + j]; const v = x[base + j]; ${step} acc[po + j] = a; }
      }
      for (let d = rank - 2; d >= 0; d--) {
        idx[d]++;
        po += outStrides[d];
        if (idx[d] < shape[d]) break;
        po -= outStrides[d] * shape[d];
        idx[d] = 0;
      }
    }`;
  loop = new Function("x", "acc", "shape", "outStrides", body) as ReduceLoop;
  loops.set(key, loop);
  return loop;
}

/**
 * Reduces `axes` of x. Each element lands in the output slot given by strides that are 0
 * on reduced axes. Accumulators are float64 (a scratch array the size of the output), so
 * float32 sums do not drift with length.
 */
export function reduce(primitive: ReducePrimitive, x: TypedArray, shape: Shape, axes: readonly number[], outDtype: DType): TypedArray {
  // The SIMD kernels give the same results where they apply (see reduce-wasm.ts).
  const simd = reduceWasm(primitive, x, shape, axes, outDtype);
  if (simd !== null) return simd;
  // Merge neighbouring axes that are both reduced or both kept: fewer, longer rows.
  const merged: number[] = [];
  const reduced: boolean[] = [];
  shape.forEach((d, i) => {
    const r = axes.includes(i);
    if (merged.length > 0 && reduced[reduced.length - 1] === r) merged[merged.length - 1] *= d;
    else {
      merged.push(d);
      reduced.push(r);
    }
  });
  const keptShape = merged.map((d, i) => (reduced[i] ? 1 : d));
  const outSize = keptShape.reduce((a, b) => a * b, 1);
  const acc = new Float64Array(outSize).fill(Number(REDUCERS[primitive].init));
  const outStrides = stridesOf(keptShape).map((st, i) => (reduced[i] ? 0 : st));
  loopFor(primitive, x)(x, acc, merged, outStrides);
  const out = allocUninitialized(outDtype, outSize);
  out.set(acc);
  return out;
}

/** Index of the first max (or min) along `axis`. */
export function argReduce(isMax: boolean, x: TypedArray, shape: Shape, axis: number): Int32Array {
  const simd = argReduceWasm(isMax, x, shape, axis); // the same indices (see argreduce-wasm.ts)
  if (simd !== null) return simd;
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
