import type { DType } from "../../dtype.js";
import type { Shape } from "../../shape.js";
import { elementFormat, wgslType } from "./elements.js";
import type { NamedProgram } from "./program.js";
import { MATMUL_PREAMBLE, matmulGeometry } from "./matmul-batch.js";

/** Output tile edge (per workgroup), k-tile depth, and outputs per invocation per axis. */
const TILE = 32;
const DEPTH = 16;
const PER = 4;
const THREADS = TILE / PER;

/**
 * Batched C = op(A)·op(B), tiled in workgroup memory: each 8×8 workgroup computes a
 * 32×32 block of C, each invocation a 4×4 sub-block, walking K in steps of 16 with the
 * A and B tiles staged in workgroup memory. The transposed forms change only how the
 * tiles are loaded (each load walks memory contiguously), so AᵀB and ABᵀ cost what AB does.
 *
 * Uniforms: [M, N, K, batchRank, batch shape…, A batch strides…, B batch strides…]
 * (strides in elements, broadcast axes 0). Dispatch: (⌈N/32⌉, ⌈M/32⌉, batches).
 */
export function matmulProgram(
  dtype: DType,
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  transposeA: boolean,
  transposeB: boolean,
): { program: NamedProgram; meta: Uint32Array; groups: [number, number, number] } {
  const T = wgslType(dtype);
  const { m, n, batches, meta } = matmulGeometry(aShape, bShape, outShape, transposeA);
  // Tile loads: 512 elements each, 8 per invocation; the fast index follows memory order.
  const loadA = transposeA
    ? `let mm = e % ${TILE}u; let kk = e / ${TILE}u; let gm = row0 + mm; let gk = k0 + kk;
      if (gm < M && gk < K) { v = load_a(aOff + gk * M + gm); }`
    : `let kk = e % ${DEPTH}u; let mm = e / ${DEPTH}u; let gm = row0 + mm; let gk = k0 + kk;
      if (gm < M && gk < K) { v = load_a(aOff + gm * K + gk); }`;
  const loadB = transposeB
    ? `let kk = e % ${DEPTH}u; let nn = e / ${DEPTH}u; let gn = col0 + nn; let gk = k0 + kk;
      if (gn < N && gk < K) { v = load_b(bOff + gn * K + gk); }`
    : `let nn = e % ${TILE}u; let kk = e / ${TILE}u; let gn = col0 + nn; let gk = k0 + kk;
      if (gn < N && gk < K) { v = load_b(bOff + gk * N + gn); }`;
  const body = `
var<workgroup> As: array<array<${T}, ${TILE}>, ${DEPTH}>;
var<workgroup> Bs: array<array<${T}, ${TILE}>, ${DEPTH}>;
@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  ${MATMUL_PREAMBLE}
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  let tid = lid.y * ${THREADS}u + lid.x;
  var acc: array<array<${T}, ${PER}>, ${PER}>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${DEPTH}u) {
    for (var q = 0u; q < ${(TILE * DEPTH) / (THREADS * THREADS)}u; q = q + 1u) {
      let e = tid + q * ${THREADS * THREADS}u;
      var v = ${T}(0);
      ${loadA}
      As[kk][mm] = v;
    }
    for (var q = 0u; q < ${(TILE * DEPTH) / (THREADS * THREADS)}u; q = q + 1u) {
      let e = tid + q * ${THREADS * THREADS}u;
      var v = ${T}(0);
      ${loadB}
      Bs[kk][nn] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${DEPTH}u; kk = kk + 1u) {
      var av: array<${T}, ${PER}>;
      var bv: array<${T}, ${PER}>;
      for (var t = 0u; t < ${PER}u; t = t + 1u) {
        av[t] = As[kk][lid.y + t * ${THREADS}u];
        bv[t] = Bs[kk][lid.x + t * ${THREADS}u];
      }
      for (var ii = 0u; ii < ${PER}u; ii = ii + 1u) {
        for (var jj = 0u; jj < ${PER}u; jj = jj + 1u) {
          acc[ii][jj] = acc[ii][jj] + av[ii] * bv[jj];
        }
      }
    }
    workgroupBarrier();
  }
  let cOff = wid.z * M * N;
  for (var ii = 0u; ii < ${PER}u; ii = ii + 1u) {
    let row = row0 + lid.y + ii * ${THREADS}u;
    for (var jj = 0u; jj < ${PER}u; jj = jj + 1u) {
      let col = col0 + lid.x + jj * ${THREADS}u;
      if (row < M && col < N) { store_c(cOff + row * N + col, acc[ii][jj]); }
    }
  }
}`;
  const program: NamedProgram = {
    name: "matmul",
    key: `matmul|${transposeA}|${transposeB}|${meta.length}`,
    bindings: ["read", "read", "rw"],
    uniforms: meta.length,
    names: ["a", "b", "c"],
    types: [elementFormat(dtype), elementFormat(dtype), elementFormat(dtype)],
    body,
  };
  return { program, meta: Uint32Array.from(meta), groups: [Math.ceil(n / TILE), Math.ceil(m / TILE), batches] };
}
