import type { AdamHyper, FusedKernels, SgdHyper, Storage } from "../backend.js";
import type { GpuStorage } from "./buffers.js";
import { ENTRY_1D, FLAT_INDEX, groupsFor } from "./elementwise.js";
import type { NamedProgram, Runtime } from "./program.js";
import { f32Bits } from "./shapes.js";

const ADAM: NamedProgram = {
  name: "adam",
  key: "fused|adam",
  bindings: ["rw", "read", "rw", "rw"],
  uniforms: 8,
  names: ["p", "g", "m", "v"],
  types: ["f32", "f32", "f32", "f32"],
  // Uniforms: [n, β₁, β₂, ε, l2, decay, lr/c₁, √c₂] (floats as bits).
  body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let b1 = paramf(1u);
  let b2 = paramf(2u);
  let gi = g[i] + paramf(4u) * p[i];
  let mi = b1 * m[i] + (1.0 - b1) * gi;
  let vi = b2 * v[i] + (1.0 - b2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  p[i] = p[i] * paramf(5u) - (paramf(6u) * mi) / (sqrt(vi) / paramf(7u) + paramf(3u));
}`,
};

const SGD: NamedProgram = {
  name: "sgd",
  key: "fused|sgd",
  bindings: ["rw", "read", "rw"],
  uniforms: 8,
  names: ["p", "g", "b"],
  types: ["f32", "f32", "f32"],
  // Uniforms: [n, lr, μ, dampening, weight decay, nesterov, first step].
  body: `${ENTRY_1D} {
  ${FLAT_INDEX}
  if (i >= param(0u)) { return; }
  let mu = paramf(2u);
  var d = g[i] + paramf(4u) * p[i];
  if (mu != 0.0) {
    var bi = d;
    if (param(6u) == 0u) { bi = mu * b[i] + (1.0 - paramf(3u)) * d; }
    b[i] = bi;
    d = select(bi, d + mu * bi, param(5u) != 0u);
  }
  p[i] = p[i] - paramf(1u) * d;
}`,
};

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
      runtime.run(ADAM, [buf(param), buf(grad), buf(m), buf(v)], Uint32Array.from([n, ...floats.map(f32Bits)]), groupsFor(n));
    },
    sgd(param, grad, momentum, h: SgdHyper) {
      const n = param.size;
      if (n === 0) return;
      const meta = [n, f32Bits(h.lr), f32Bits(h.momentum), f32Bits(h.dampening), f32Bits(h.weightDecay), h.nesterov ? 1 : 0, h.firstStep ? 1 : 0];
      runtime.run(SGD, [buf(param), buf(grad), buf(momentum)], Uint32Array.from(meta), groupsFor(n));
    },
  };
}
