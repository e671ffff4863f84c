import type { DType } from "../../dtype.js";
import type { Shape } from "../../shape.js";
import type { NamedProgram } from "./program.js";
import { MATMUL_PREAMBLE, matmulGeometry } from "./matmul-batch.js";

/** Output tile edge per workgroup, k-tile depth, and invocations per axis (8×8, 4×4 outputs each). */
const TILE = 32;
const DEPTH = 32;
const THREADS = 8;

type Form = "ab" | "atb" | "abt";

/**
 * The float32 matmul with every global load and store a vec4 (four elements): for AB and
 * AᵀB the inner product runs as fma on vec4 rows of B; for ABᵀ, where both operands are
 * contiguous along K, as dot products of vec4 rows. Needs N divisible by 4 and the
 * contiguous axis of A divisible by 4 (K for AB and ABᵀ, M for AᵀB); returns null
 * otherwise (and for AᵀBᵀ), and the scalar kernel in matmul.ts runs instead.
 *
 * Uniforms: [M, N, K, batchRank, batch shape…, A batch strides…, B batch strides…], the
 * strides in vec4 units. Dispatch: (⌈N/32⌉, ⌈M/32⌉, batches).
 */
export function matmulVec4Program(
  dtype: DType,
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  transposeA: boolean,
  transposeB: boolean,
): { program: NamedProgram; meta: Uint32Array; groups: [number, number, number] } | null {
  if (dtype !== "float32" || (transposeA && transposeB)) return null;
  const form: Form = transposeA ? "atb" : transposeB ? "abt" : "ab";
  const r = outShape.length;
  const [m, n] = [outShape[r - 2], outShape[r - 1]];
  const k = transposeA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  if (n % 4 !== 0 || (form === "atb" ? m % 4 !== 0 : k % 4 !== 0) || k === 0) return null;
  const { batches, meta } = matmulGeometry(aShape, bShape, outShape, transposeA, 4);
  // Sizes that fill whole tiles need no edge checks (as tfjs's "fit" variants).
  const fit = m % TILE === 0 && n % TILE === 0 && k % DEPTH === 0;
  const program: NamedProgram = {
    name: "matmul",
    key: `matmul4|${form}|${fit}|${meta.length}`,
    bindings: ["read", "read", "rw"],
    uniforms: meta.length,
    names: ["a", "b", "c"],
    types: ["vec4f", "vec4f", "vec4f"],
    body: source(form, fit),
  };
  return { program, meta: Uint32Array.from(meta), groups: [Math.ceil(n / TILE), Math.ceil(m / TILE), batches] };
}

/** Tile loads: each invocation stages 4 vec4 of A and 4 of B per k-tile, zero past the edges. */
const LOADS: Record<Form, { a: string; b: string }> = {
  // A [M, K]: rows of the tile × k/4.   B [K, N]: k × n/4.
  ab: {
    a: `let gm = row0 + tr; let gk = k0 + lid.x * 4u;
        As[tr][lid.x] = select(zero, load_a(aOff + (gm * K + gk) / 4u), gm < M && gk < K);`,
    b: `let gk = k0 + tr; let gn = col0 + lid.x * 4u;
        Bs[tr][lid.x] = select(zero, load_b(bOff + (gk * N + gn) / 4u), gk < K && gn < N);`,
  },
  // A [K, M]: k × m/4 of the tile.
  atb: {
    a: `let gk = k0 + tr; let gm = row0 + lid.x * 4u;
        As[tr][lid.x] = select(zero, load_a(aOff + (gk * M + gm) / 4u), gk < K && gm < M);`,
    b: `let gk = k0 + tr; let gn = col0 + lid.x * 4u;
        Bs[tr][lid.x] = select(zero, load_b(bOff + (gk * N + gn) / 4u), gk < K && gn < N);`,
  },
  // B [N, K]: columns of the tile × k/4.
  abt: {
    a: `let gm = row0 + tr; let gk = k0 + lid.x * 4u;
        As[tr][lid.x] = select(zero, load_a(aOff + (gm * K + gk) / 4u), gm < M && gk < K);`,
    b: `let gn = col0 + tr; let gk = k0 + lid.x * 4u;
        Bs[tr][lid.x] = select(zero, load_b(bOff + (gn * K + gk) / 4u), gn < N && gk < K);`,
  },
};

/** The inner product over one k-tile into acc[i] (row lid.y·4 + i, columns lid.x·4 … +3). */
const PRODUCT: Record<Form, string> = {
  ab: `for (var k4 = 0u; k4 < ${DEPTH / 4}u; k4 = k4 + 1u) {
      let b0 = Bs[k4 * 4u][lid.x]; let b1 = Bs[k4 * 4u + 1u][lid.x];
      let b2 = Bs[k4 * 4u + 2u][lid.x]; let b3 = Bs[k4 * 4u + 3u][lid.x];
      for (var i = 0u; i < 4u; i = i + 1u) {
        let av = As[lid.y * 4u + i][k4];
        acc[i] = fma(b3, vec4<f32>(av.w), fma(b2, vec4<f32>(av.z), fma(b1, vec4<f32>(av.y), fma(b0, vec4<f32>(av.x), acc[i]))));
      }
    }`,
  atb: `for (var kk = 0u; kk < ${DEPTH}u; kk = kk + 1u) {
      let bv = Bs[kk][lid.x];
      let av = As[kk][lid.y];
      acc[0] = fma(bv, vec4<f32>(av.x), acc[0]);
      acc[1] = fma(bv, vec4<f32>(av.y), acc[1]);
      acc[2] = fma(bv, vec4<f32>(av.z), acc[2]);
      acc[3] = fma(bv, vec4<f32>(av.w), acc[3]);
    }`,
  abt: `for (var k4 = 0u; k4 < ${DEPTH / 4}u; k4 = k4 + 1u) {
      let b0 = Bs[lid.x * 4u][k4]; let b1 = Bs[lid.x * 4u + 1u][k4];
      let b2 = Bs[lid.x * 4u + 2u][k4]; let b3 = Bs[lid.x * 4u + 3u][k4];
      for (var i = 0u; i < 4u; i = i + 1u) {
        let av = As[lid.y * 4u + i][k4];
        acc[i] = acc[i] + vec4<f32>(dot(av, b0), dot(av, b1), dot(av, b2), dot(av, b3));
      }
    }`,
};

function source(form: Form, fit: boolean): string {
  // Workgroup tiles, in vec4: A and B each 32 rows × 8 vec4.
  const unchecked = (load: string) => load.replace(/select\(zero, (load_[ab]\(.*\)), [^;]*\);/, "$1;");
  const { a, b } = fit ? { a: unchecked(LOADS[form].a), b: unchecked(LOADS[form].b) } : LOADS[form];
  return `
var<workgroup> As: array<array<vec4<f32>, ${TILE / 4}>, ${TILE}>;
var<workgroup> Bs: array<array<vec4<f32>, ${TILE / 4}>, ${TILE}>;
@compute @workgroup_size(${THREADS}, ${THREADS}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  ${MATMUL_PREAMBLE}
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  let zero = vec4<f32>(0.0);
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${DEPTH}u) {
    for (var r = 0u; r < 4u; r = r + 1u) {
      let tr = lid.y * 4u + r;
      {
        ${a}
      }
      {
        ${b}
      }
    }
    workgroupBarrier();
    ${PRODUCT[form]}
    workgroupBarrier();
  }
  let cOff = wid.z * M * (N / 4u);
  let gn = col0 + lid.x * 4u;
  for (var i = 0u; i < 4u; i = i + 1u) {
    let row = row0 + lid.y * 4u + i;
    ${fit ? "" : "if (row < M && gn < N) "}{ store_c(cOff + row * (N / 4u) + gn / 4u, acc[i]); }
  }
}`;
}
