import type { DType } from "../../dtype.js";
import { DTypeError } from "../../errors.js";
import type { AdamHyper, FusedKernels, SgdHyper, Storage } from "../backend.js";
import type { GpuStorage } from "./buffers.js";
import type { ElementFormat } from "./elements.js";
import { ENTRY_1D, FLAT_INDEX, groupsFor } from "./elementwise.js";
import type { NamedProgram, Runtime } from "./program.js";
import { f32Bits } from "./shapes.js";

/** Adam over one parameter; float16 state is updated in f32 and rounded where it is stored. */
export function adamProgram(format: ElementFormat): NamedProgram {
  return {
    name: "adam",
    key: "fused|adam",
    bindings: ["rw", "read", "rw", "rw"],
    uniforms: 8,
    names: ["p", "g", "m", "v"],
    types: [format, format, format, format],
    // Uniforms: [n, β₁, β₂, ε, l2, decay, lr/c₁, √c₂] (floats as bits).
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let b1 = paramf(1u);
  let b2 = paramf(2u);
  let pi = load_p(i);
  let gi = load_g(i) + paramf(4u) * pi;
  let mi = b1 * load_m(i) + (1.0 - b1) * gi;
  let vi = b2 * load_v(i) + (1.0 - b2) * gi * gi;
  store_m(i, mi);
  store_v(i, vi);
  store_p(i, pi * paramf(5u) - (paramf(6u) * mi) / (sqrt(vi) / paramf(7u) + paramf(3u)));
}`,
  };
}

/** SGD with momentum over one parameter (float16 as in adamProgram). */
export function sgdProgram(format: ElementFormat): NamedProgram {
  return {
    name: "sgd",
    key: "fused|sgd",
    bindings: ["rw", "read", "rw"],
    uniforms: 8,
    names: ["p", "g", "b"],
    types: [format, format, format],
    // Uniforms: [n, lr, μ, dampening, weight decay, nesterov, first step].
    body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let mu = paramf(2u);
  let pi = load_p(i);
  var d = load_g(i) + paramf(4u) * pi;
  if (mu != 0.0) {
    var bi = d;
    if (param(6u) == 0u) { bi = mu * load_b(i) + (1.0 - paramf(3u)) * d; }
    store_b(i, bi);
    d = select(bi, d + mu * bi, param(5u) != 0u);
  }
  store_p(i, pi - paramf(1u) * d);
}`,
  };
}

const PROGRAMS = {
  adam: { float32: adamProgram("f32"), float16: adamProgram("f16") },
  sgd: { float32: sgdProgram("f32"), float16: sgdProgram("f16") },
};

/** The program for a parameter's dtype (the op layer only passes float parameters, float64 never reaches WebGPU). */
function forDtype(programs: { float32: NamedProgram; float16: NamedProgram }, dtype: DType): NamedProgram {
  if (dtype === "float16") return programs.float16;
  if (dtype === "float32") return programs.float32;
  throw new DTypeError(`webgpu fused optimizer step: parameter dtype ${dtype} is not supported; use float32 or float16`);
}

const buf = (s: Storage) => (s as GpuStorage).buffer;

/** In-place Adam/SGD steps (one dispatch per parameter), mirroring the CPU's fused loops. */
export function gpuFused(runtime: Runtime): FusedKernels {
  return {
    adam(param, grad, m, v, h: AdamHyper) {
      const n = param.size;
      if (n === 0) return;
      const c1 = 1 - h.beta1 ** h.step;
      const c2 = 1 - h.beta2 ** h.step;
      const floats = [h.beta1, h.beta2, h.eps, h.decoupled ? 0 : h.weightDecay, h.decoupled ? 1 - h.lr * h.weightDecay : 1, h.lr / c1, Math.sqrt(c2)];
      runtime.run(forDtype(PROGRAMS.adam, param.dtype), [buf(param), buf(grad), buf(m), buf(v)], Uint32Array.from([n, ...floats.map(f32Bits)]), groupsFor(n));
    },
    sgd(param, grad, momentum, h: SgdHyper) {
      const n = param.size;
      if (n === 0) return;
      const meta = [n, f32Bits(h.lr), f32Bits(h.momentum), f32Bits(h.dampening), f32Bits(h.weightDecay), h.nesterov ? 1 : 0, h.firstStep ? 1 : 0];
      runtime.run(forDtype(PROGRAMS.sgd, param.dtype), [buf(param), buf(grad), buf(momentum)], Uint32Array.from(meta), groupsFor(n));
    },
  };
}
