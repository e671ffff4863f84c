import { type DType, type TypedArray, allocArray } from "../../dtype.js";
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from "../../ops/primitives.js";
import { type Shape, shapesEqual } from "../../shape.js";
import { broadcastStrides } from "./broadcast.js";
import { erf } from "./erf.js";

/**
 * Elementwise kernels are generated from one loop template and a table of expression
 * snippets (v0, v1, v2 are the operands), then cached: each op gets its own monomorphic
 * loop, which V8 compiles to tight machine code.
 */
export const UNARY_SNIPPETS: Record<UnaryPrimitive, string> = {
  neg: "-v0",
  exp: "Math.exp(v0)",
  log: "Math.log(v0)",
  sqrt: "Math.sqrt(v0)",
  abs: "Math.abs(v0)",
  sign: "(v0 > 0 ? 1 : v0 < 0 ? -1 : v0)",
  sin: "Math.sin(v0)",
  cos: "Math.cos(v0)",
  tanh: "Math.tanh(v0)",
  // Two branches so exp never overflows.
  sigmoid: "(v0 >= 0 ? 1 / (1 + Math.exp(-v0)) : Math.exp(v0) / (1 + Math.exp(v0)))",
  relu: "(v0 < 0 ? 0 : v0)",
  erf: "erf(v0)",
};

export const BINARY_SNIPPETS: Record<BinaryPrimitive, string> = {
  add: "v0 + v1",
  sub: "v0 - v1",
  mul: "v0 * v1",
  div: "v0 / v1",
  pow: "Math.pow(v0, v1)",
  // NaN propagates, as in PyTorch.
  maximum: "(v0 > v1 || v0 !== v0 ? v0 : v1)",
  minimum: "(v0 < v1 || v0 !== v0 ? v0 : v1)",
};

export const COMPARE_SNIPPETS: Record<ComparePrimitive, string> = {
  equal: "(v0 === v1 ? 1 : 0)",
  notEqual: "(v0 !== v1 ? 1 : 0)",
  less: "(v0 < v1 ? 1 : 0)",
  lessEqual: "(v0 <= v1 ? 1 : 0)",
  greater: "(v0 > v1 ? 1 : 0)",
  greaterEqual: "(v0 >= v1 ? 1 : 0)",
};

export const WHERE_SNIPPET = "(v0 !== 0 ? v1 : v2)";
export const COPY_SNIPPET = "v0";

type Loop = (inputs: TypedArray[], out: TypedArray, outShape: Shape, strides: number[][]) => void;

const cache = new Map<string, { contiguous: Loop; strided: Loop }>();

function compile(arity: number, expr: string): { contiguous: Loop; strided: Loop } {
  const key = `${arity}:${expr}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const names = Array.from({ length: arity }, (_, k) => k);
  const load = names.map((k) => `const a${k} = inputs[${k}];`).join("\n");
  const contiguousBody = `${load}
    const n = out.length;
    for (let i = 0; i < n; i++) {
      ${names.map((k) => `const v${k} = a${k}[i];`).join(" ")}
      out[i] = ${expr};
    }`;
  // Walks the output row by row; inputs advance by their broadcast strides.
  const stridedBody = `${load}
    const r = outShape.length;
    const n = out.length;
    if (n === 0) return;
    const inner = r === 0 ? 1 : outShape[r - 1];
    ${names.map((k) => `const s${k} = strides[${k}]; const t${k} = r === 0 ? 0 : s${k}[r - 1]; let p${k} = 0;`).join("\n")}
    const idx = new Int32Array(Math.max(r, 1));
    for (let base = 0; base < n; base += inner) {
      for (let j = 0; j < inner; j++) {
        ${names.map((k) => `const v${k} = a${k}[p${k} + j * t${k}];`).join(" ")}
        out[base + j] = ${expr};
      }
      for (let d = r - 2; d >= 0; d--) {
        idx[d]++;
        ${names.map((k) => `p${k} += s${k}[d];`).join(" ")}
        if (idx[d] < outShape[d]) break;
        ${names.map((k) => `p${k} -= s${k}[d] * outShape[d];`).join(" ")}
        idx[d] = 0;
      }
    }`;
  const factory = (body: string) => new Function("erf", `return function (inputs, out, outShape, strides) {\n${body}\n};`)(erf) as Loop;
  const loops = { contiguous: factory(contiguousBody), strided: factory(stridedBody) };
  cache.set(key, loops);
  return loops;
}

/** Runs `expr` over broadcast inputs into a new array of `dtype` and `outShape`. */
export function elementwise(expr: string, inputs: { data: TypedArray; shape: Shape }[], outShape: Shape, dtype: DType): TypedArray {
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = allocArray(dtype, size);
  const loops = compile(inputs.length, expr);
  const arrays = inputs.map((x) => x.data);
  if (inputs.every((x) => shapesEqual(x.shape, outShape))) loops.contiguous(arrays, out, outShape, []);
  else loops.strided(arrays, out, outShape, inputs.map((x) => broadcastStrides(x.shape, outShape)));
  return out;
}
