import type { ReducePrimitive } from "../../ops/primitives.js";
import { sizeOf, stridesOf } from "../../shape.js";
import type { TensorInfo } from "../backend.js";
import { elementFormat, wgslType } from "./elements.js";
import { ENTRY_1D, FLAT_INDEX, groupsFor } from "./elementwise.js";
import { type NamedProgram, grid } from "./program.js";
import { REDUCE_WGSL, typed } from "./snippets.js";

const TREE = 64;
/**
 * Reduced elements one workgroup takes. Past it the reduction runs in two passes
 * (partials, then a reduction of the partials), which keeps every invocation's loop
 * short: software rasterizers such as llvmpipe stop loops after 65535 iterations.
 */
export const CHUNK = 16384;

/**
 * Reduction over `axes`. Uniforms: [outSize, count, keptRank, reducedRank, chunks,
 * chunk, kept shape…, kept strides…, reduced shape…, reduced strides…]. Reductions of
 * more than 64 elements give each (output, chunk) a workgroup that strides over its
 * elements and combines in workgroup memory, writing y[output · chunks + chunk]; small
 * ones give each output one invocation. `outDtype` differs from x's only for float16,
 * whose two-pass partials stay float32 (one rounding, at the end, as on the CPU).
 */
export function reduceProgram(
  primitive: ReducePrimitive,
  x: TensorInfo,
  axes: readonly number[],
  outDtype = x.dtype,
): { program: NamedProgram; meta: Uint32Array; groups: [number, number, number]; chunks: number } {
  const strides = stridesOf(x.shape);
  const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const outSize = sizeOf(kept.map((i) => x.shape[i]));
  const count = sizeOf(axes.map((i) => x.shape[i]));
  const tree = count > TREE;
  const chunks = tree ? Math.max(1, Math.ceil(count / CHUNK)) : 1;
  const meta = [
    outSize,
    count,
    kept.length,
    axes.length,
    chunks,
    CHUNK,
    ...kept.map((i) => x.shape[i]),
    ...kept.map((i) => strides[i]),
    ...axes.map((i) => x.shape[i]),
    ...axes.map((i) => strides[i]),
  ];
  const T = wgslType(x.dtype);
  const { init, combine } = REDUCE_WGSL[primitive];
  // Offset of coordinate v over the axes whose shape starts at uniform index `at` (strides at `at + r`).
  const offsetFn = `fn offset_of(v: u32, r: u32, at: u32) -> u32 {
  var rem = v;
  var p = 0u;
  for (var d = r; d > 0u; d = d - 1u) {
    let dim = param(at + d - 1u);
    p = p + (rem % dim) * param(at + r + d - 1u);
    rem = rem / dim;
  }
  return p;
}
fn combine(a: ${T}, b: ${T}) -> ${T} { return ${typed(combine, x.dtype)}; }`;
  const setup = `let outSize = param(0u);
  let count = param(1u);
  let keptRank = param(2u);
  let redRank = param(3u);
  let redAt = 6u + 2u * keptRank;`;
  const body = tree
    ? `${offsetFn}
var<workgroup> part: array<${T}, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = wid.x + wid.y * nwg.x;
  ${setup}
  let chunks = param(4u);
  let o = g / chunks;
  if (o >= outSize) { return; }
  let base = offset_of(o, keptRank, 6u);
  let end = min(count, (g % chunks + 1u) * param(5u));
  var acc = ${typed(init, x.dtype)};
  for (var r = (g % chunks) * param(5u) + lid; r < end; r = r + ${TREE}u) {
    acc = combine(acc, load_x(base + offset_of(r, redRank, redAt)));
  }
  part[lid] = acc;
  workgroupBarrier();
  for (var s = ${TREE / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = combine(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
  if (lid == 0u) { store_y(g, part[0]); }
}`
    : `${offsetFn}
${ENTRY_1D} {
  ${FLAT_INDEX}
  let o = i;
  ${setup}
  if (o >= outSize) { return; }
  let base = offset_of(o, keptRank, 6u);
  var acc = ${typed(init, x.dtype)};
  for (var r = 0u; r < count; r = r + 1u) {
    acc = combine(acc, load_x(base + offset_of(r, redRank, redAt)));
  }
  store_y(o, acc);
}`;
  const program: NamedProgram = {
    name: primitive,
    key: `reduce|${primitive}|${tree}|${meta.length}`,
    bindings: ["read", "rw"],
    uniforms: meta.length,
    names: ["x", "y"],
    types: [elementFormat(x.dtype), elementFormat(outDtype)],
    body,
  };
  return { program, meta: Uint32Array.from(meta), groups: tree ? grid(outSize * chunks) : groupsFor(outSize), chunks };
}

/** Index of the first max (min) along one axis; NaN counts as the extreme. Uniforms: [outSize, n, inner]. */
export function argReduceProgram(isMax: boolean, x: TensorInfo, axis: number): { program: NamedProgram; meta: Uint32Array; groups: [number, number, number] } {
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outSize = sizeOf(x.shape) / Math.max(n, 1);
  const T = wgslType(x.dtype);
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let inner = param(2u);
  let base = (i / inner) * n * inner + i % inner;
  var best = load_x(base);
  var at = 0;
  for (var k = 1u; k < n; k = k + 1u) {
    if (isnan_${T}(best)) { break; }
    let v = load_x(base + k * inner);
    if (isnan_${T}(v) || v ${isMax ? ">" : "<"} best) {
      best = v;
      at = i32(k);
    }
  }
  store_y(i, at);
}`;
  const program: NamedProgram = {
    name: isMax ? "argmax" : "argmin",
    key: `arg|${isMax}`,
    bindings: ["read", "rw"],
    uniforms: 3,
    names: ["x", "y"],
    types: [elementFormat(x.dtype), "i32"],
    body,
  };
  return { program, meta: Uint32Array.from([outSize, n, inner]), groups: groupsFor(outSize) };
}

/**
 * Softmax (or log-softmax) along one axis, one invocation per line: m = max (NaN wins),
 * s = Σ e^(x − m), then e^(x − m)/s or x − m − log s. Uniforms: [lines, n, inner].
 */
export function softmaxProgram(log: boolean, x: TensorInfo, axis: number): { program: NamedProgram; meta: Uint32Array; groups: [number, number, number] } {
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const lines = n === 0 ? 0 : sizeOf(x.shape) / n;
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let n = param(1u);
  let inner = param(2u);
  let base = (i / inner) * n * inner + i % inner;
  var m = lowest_f32();
  for (var k = 0u; k < n; k = k + 1u) {
    let v = load_x(base + k * inner);
    if (v > m || isnan_f32(v)) { m = v; }
  }
  var s = 0.0;
  for (var k = 0u; k < n; k = k + 1u) { s = s + exp(load_x(base + k * inner) - m); }
  ${log ? "let shift = m + log(s);" : "let r = 1.0 / s;"}
  for (var k = 0u; k < n; k = k + 1u) {
    let at = base + k * inner;
    store_y(at, ${log ? "load_x(at) - shift" : "exp(load_x(at) - m) * r"});
  }
}`;
  const program: NamedProgram = {
    name: log ? "logSoftmax" : "softmax",
    key: `softmax|${log}`,
    bindings: ["read", "rw"],
    uniforms: 3,
    names: ["x", "y"],
    types: [elementFormat(x.dtype), elementFormat(x.dtype)],
    body,
  };
  return { program, meta: Uint32Array.from([lines, n, inner]), groups: groupsFor(lines) };
}
