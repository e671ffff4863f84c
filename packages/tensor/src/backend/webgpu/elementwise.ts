import { broadcastStrides, shapesEqual, sizeOf } from "../../shape.js";
import type { OutputInfo, TensorInfo } from "../backend.js";
import { elementFormat } from "./elements.js";
import { type NamedProgram, grid } from "./program.js";

export const WORKGROUP = 64;

/** The flat invocation index of a 1-D dispatch laid out by `grid` (WGSL). */
export const FLAT_INDEX = `let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;`;
export const ENTRY_1D = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>)`;

/** Workgroups for one invocation per element. */
export const groupsFor = (n: number) => grid(Math.ceil(n / WORKGROUP));

/**
 * One elementwise program from the template: operand `k` is read as `v{k}` (its layout
 * letter: `f` same shape as the output, read at i; `s` a single element; `b` broadcast,
 * read through strides in the uniforms), then `store_y(i, expr)`.
 *
 * Uniforms: [n, rank, outShape…, strides of operand 0…, strides of operand 1…, …].
 */
export function elementwiseProgram(name: string, expr: string, inputs: readonly TensorInfo[], out: OutputInfo): { program: NamedProgram; meta: Uint32Array } {
  const rank = out.shape.length;
  const n = sizeOf(out.shape);
  const layout = inputs.map((x) => (x.storage.size === n && shapesEqual(x.shape, out.shape) ? "f" : x.storage.size === 1 ? "s" : "b")).join("");
  const types = [...inputs.map((x) => elementFormat(x.dtype)), elementFormat(out.dtype)];
  const meta = [n, rank, ...out.shape];
  for (const x of inputs) meta.push(...broadcastStrides(x.shape, out.shape));
  const offsets = inputs.map((_, k) => `var p${k} = 0u;`).join(" ");
  const walk = layout.includes("b")
    ? `var rem = i;
  for (var d = rank; d > 0u; d = d - 1u) {
    let c = rem % param(1u + d);
    rem = rem / param(1u + d);
    ${inputs.map((_, k) => (layout[k] === "b" ? `p${k} = p${k} + c * param(1u + rank * ${k + 1}u + d);` : "")).join(" ")}
  }`
    : "";
  const loads = inputs.map((_, k) => `let v${k} = load_x${k}(${layout[k] === "f" ? "i" : `p${k}`});`).join(" ");
  const body = `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let rank = param(1u);
  ${offsets}
  ${walk}
  ${loads}
  store_y(i, ${expr});
}`;
  const program: NamedProgram = {
    name,
    key: `ew|${name}|${expr}|${layout}|${types.join(",")}|${meta.length}`,
    bindings: [...inputs.map(() => "read" as const), "rw"],
    uniforms: meta.length,
    names: [...inputs.map((_, k) => `x${k}`), "y"],
    types,
    body,
  };
  return { program, meta: Uint32Array.from(meta) };
}
