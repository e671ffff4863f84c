import { type DType, type TypedArray } from "../../dtype.js";
import { allocUninitialized } from "./storage.js";
import type { BinaryPrimitive, ComparePrimitive, UnaryPrimitive } from "../../ops/primitives.js";
import { type Shape, broadcastStrides, shapesEqual } from "../../shape.js";
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

// Unary plus turns the boolean into 0/1 without a branch.
export const COMPARE_SNIPPETS: Record<ComparePrimitive, string> = {
  equal: "+(v0 === v1)",
  notEqual: "+(v0 !== v1)",
  less: "+(v0 < v1)",
  lessEqual: "+(v0 <= v1)",
  greater: "+(v0 > v1)",
  greaterEqual: "+(v0 >= v1)",
};

export const WHERE_SNIPPET = "(v0 !== 0 ? v1 : v2)";
export const COPY_SNIPPET = "v0";

type Loop = (inputs: TypedArray[], out: TypedArray, outShape: Shape, strides: number[][]) => void;

/** Compiled loops per expression, then per layout-and-dtypes key. */
const cache = new Map<string, Map<string, Loop>>();

/**
 * Compiles the loop for one (expression, layout, dtypes) combination. Keying on dtypes
 * keeps each loop monomorphic. `layout` has one letter per input: `f` full (same shape
 * as the output, read at i), `s` scalar (read once); or, for broadcasting, `1` (contiguous
 * along the last axis), `0` (repeated along it) or `n` (other stride along it).
 */
function compile(expr: string, layout: string, key: string): Loop {
  const names = Array.from(layout, (_, k) => k);
  const load = names.map((k) => `const a${k} = inputs[${k}];`).join("\n");
  let body: string;
  if (!/[01n]/.test(layout)) {
    const at = (i: string) => `{ ${names.filter((k) => layout[k] === "f").map((k) => `const v${k} = a${k}[${i}];`).join(" ")} out[${i}] = ${expr}; }`;
    // Unrolled by four: V8 does not vectorize, and this halves the loop overhead per element.
    body = `${load}
    ${names.filter((k) => layout[k] === "s").map((k) => `const v${k} = a${k}[0];`).join(" ")}
    const n = out.length;
    let i = 0;
    for (; i + 3 < n; i += 4) { ${at("i")} ${at("i + 1")} ${at("i + 2")} ${at("i + 3")} }
    for (; i < n; i++) ${at("i")}`;
  } else {
    const read = (k: number, j = "j") => (layout[k] === "1" ? `a${k}[p${k} + ${j}]` : layout[k] === "0" ? `a${k}[p${k}]` : `a${k}[p${k} + (${j}) * t${k}]`);
    const step = (j: string) =>
      `{ ${names.filter((k) => layout[k] !== "0").map((k) => `const v${k} = ${read(k, j)};`).join(" ")} out[base + ${j}] = ${expr}; }`;
    // Walks the output row by row; inputs advance by their broadcast strides.
    body = `${load}
    const r = outShape.length;
    const n = out.length;
    if (n === 0) return;
    const inner = r === 0 ? 1 : outShape[r - 1];
    ${names.map((k) => `const s${k} = strides[${k}]; const t${k} = r === 0 ? 0 : s${k}[r - 1]; let p${k} = 0;`).join("\n")}
    const idx = new Int32Array(Math.max(r, 1));
    for (let base = 0; base < n; base += inner) {
      ${names.filter((k) => layout[k] === "0").map((k) => `const v${k} = ${read(k)};`).join(" ")}
      let j = 0;
      for (; j + 3 < inner; j += 4) { ${[0, 1, 2, 3].map((u) => step(`j + ${u}`)).join(" ")} }
      for (; j < inner; j++) ${step("j")}
      for (let d = r - 2; d >= 0; d--) {
        idx[d]++;
        ${names.map((k) => `p${k} += s${k}[d];`).join(" ")}
        if (idx[d] < outShape[d]) break;
        ${names.map((k) => `p${k} -= s${k}[d] * outShape[d];`).join(" ")}
        idx[d] = 0;
      }
    }`;
  }
  // The key in the source keeps V8 from sharing one compiled (and then polymorphic) body
  // between dtypes: identical source strings share their feedback.
  return new Function("erf", `return function loop(inputs, out, outShape, strides) {\n// ${key}\n${body}\n};`)(erf) as Loop;
}

function typeCode(a: TypedArray): string {
  return a instanceof Float32Array ? "f" : a instanceof Float64Array ? "d" : a instanceof Int32Array ? "i" : "b";
}

/** Runs `expr` over broadcast inputs into a new array of `dtype` and `outShape`. */
export function elementwise(expr: string, inputs: { data: TypedArray; shape: Shape }[], outShape: Shape, dtype: DType): TypedArray {
  let size = 1;
  for (let i = 0; i < outShape.length; i++) size *= outShape[i];
  const out = allocUninitialized(dtype, size);
  let layout = "";
  let broadcast = false;
  for (let k = 0; k < inputs.length; k++) {
    const x = inputs[k];
    if (x.data.length === 1) layout += "s";
    else if (x.data.length === size && shapesEqual(x.shape, outShape)) layout += "f";
    else {
      broadcast = true;
      layout += "?";
    }
  }
  let strides: number[][] = [];
  if (broadcast) {
    strides = inputs.map((x) => broadcastStrides(x.shape, outShape));
    const last = outShape.length - 1;
    layout = strides.map((st) => (last < 0 || st[last] === 0 ? "0" : st[last] === 1 ? "1" : "n")).join("");
  }
  let key = layout + typeCode(out);
  for (let k = 0; k < inputs.length; k++) key += typeCode(inputs[k].data);
  let perExpr = cache.get(expr);
  if (!perExpr) cache.set(expr, (perExpr = new Map()));
  let loop = perExpr.get(key);
  if (!loop) perExpr.set(key, (loop = compile(expr, layout, key)));
  loop(inputs.map((x) => x.data), out, outShape, strides);
  return out;
}
