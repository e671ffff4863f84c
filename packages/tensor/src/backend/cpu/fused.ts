import type { AdamHyper, FusedKernels, SgdHyper, Storage } from "../backend.js";
import type { CpuStorage } from "./storage.js";
import { roundToHalf } from "../../half.js";
import { adamStepConstants, adamWasm, sgdWasm } from "./optim-wasm.js";

const arr = (s: Storage) => (s as CpuStorage).data;

/** float16 buffers are updated in float32, then rounded back to half. */
function roundHalves(...storages: Storage[]): void {
  for (const s of storages) if (s.dtype === "float16") roundToHalf(arr(s) as Float32Array);
}

/** In-place optimizer steps over TypedArrays, one loop per parameter. */
export const cpuFused: FusedKernels = {
  adam(param: Storage, grad: Storage, m: Storage, v: Storage, h: AdamHyper): void {
    const p = arr(param);
    const g = arr(grad);
    const mm = arr(m);
    const vv = arr(v);
    // The SIMD kernel gives the same bits (optim-wasm.ts); small or mixed-type arrays stay here.
    if (adamWasm(p, g, mm, vv, h)) return roundHalves(param, m, v);
    const { beta1, beta2, eps } = h;
    const { l2, stepSize, sqrtC2, decay } = adamStepConstants(h);
    for (let i = 0; i < p.length; i++) {
      // PyTorch's Adam: m̂ = m/c₁, v̂ = v/c₂, p −= lr·m̂/(√v̂ + ε)
      const gi = g[i] + l2 * p[i];
      const mi = beta1 * mm[i] + (1 - beta1) * gi;
      const vi = beta2 * vv[i] + (1 - beta2) * gi * gi;
      mm[i] = mi;
      vv[i] = vi;
      p[i] = p[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
    roundHalves(param, m, v);
  },
  sgd(param: Storage, grad: Storage, momentum: Storage, h: SgdHyper): void {
    const p = arr(param);
    const g = arr(grad);
    const b = arr(momentum);
    if (sgdWasm(p, g, b, h)) return roundHalves(param, momentum);
    const { lr, momentum: mu, dampening, nesterov, weightDecay, firstStep } = h;
    for (let i = 0; i < p.length; i++) {
      let d = g[i] + weightDecay * p[i];
      if (mu !== 0) {
        const bi = firstStep ? d : mu * b[i] + (1 - dampening) * d;
        b[i] = bi;
        d = nesterov ? d + mu * bi : bi;
      }
      p[i] -= lr * d;
    }
    roundHalves(param, momentum);
  },
};
