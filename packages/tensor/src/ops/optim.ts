import type { AdamHyper, SgdHyper } from "../backend/backend.js";
import { noGrad } from "../autograd/mode.js";
import { DTypeError, DeviceError, ShapeError, ArgumentError, formatShape } from "../errors.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";

export type { AdamHyper, SgdHyper };

function checkState(op: string, param: Tensor, tensors: Record<string, Tensor>): void {
  if (!isFloat(param.dtype)) throw new DTypeError(`${op}: parameter must be float, got ${param.dtype}`);
  for (const [name, t] of Object.entries(tensors)) {
    if (!shapesEqual(t.shape, param.shape)) throw new ShapeError(`${op}: ${name} ${formatShape(t.shape)} does not match parameter ${formatShape(param.shape)}`);
    if (t.dtype !== param.dtype) throw new DTypeError(`${op}: ${name} is ${t.dtype}, parameter is ${param.dtype}`);
    if (t.backend !== param.backend) throw new DeviceError(`${op}: ${name} is on '${t.device}', parameter on '${param.device}'`);
  }
}

function checkFinite(op: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isFinite(v)) throw new ArgumentError(`${op}: ${name} must be finite, got ${v}`);
  }
}

/**
 * The updates write `param` and the state in place. A storage may be shared (`assign`
 * adopts its value's storage, `detach` and `reshape` make views), so a tensor that shares
 * one first gets a private copy: the step must not change the other tensors.
 */
function ensureExclusive(tensors: readonly Tensor[]): void {
  for (const t of tensors) {
    if (t.storage.refCount > 1) {
      const copy = noGrad(() => t.mul(1));
      t.assign(copy);
      copy.dispose();
    }
  }
}

/**
 * One Adam (or AdamW, with `decoupled`) step, in place on `param`, `m` and `v`:
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂/(√v̂ + ε). Uses the backend's
 * fused kernel when it has one.
 */
export function adamUpdate(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, hyper: AdamHyper): void {
  checkState("adamUpdate", param, { grad, m, v });
  checkFinite("adamUpdate", { ...hyper, decoupled: 0 });
  if (!Number.isInteger(hyper.step) || hyper.step < 1) throw new ArgumentError(`adamUpdate: step must be an integer ≥ 1, got ${hyper.step}`);
  ensureExclusive([param, m, v]);
  const fused = param.backend.fused;
  if (fused) return fused.adam(param.storage, grad.storage, m.storage, v.storage, hyper);
  noGrad(() => {
    const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = hyper;
    const g = decoupled || weightDecay === 0 ? grad : grad.add(param.mul(weightDecay));
    m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
    v.assign(v.mul(beta2).add(g.mul(g).mul(1 - beta2)));
    const update = m.div(1 - beta1 ** step).div(v.div(1 - beta2 ** step).sqrt().add(eps)).mul(lr);
    const decayed = decoupled && weightDecay !== 0 ? param.mul(1 - lr * weightDecay) : param;
    param.assign(decayed.sub(update));
  });
}

/** One SGD step with optional momentum, dampening, Nesterov and weight decay, in place. */
export function sgdUpdate(param: Tensor, grad: Tensor, momentumBuffer: Tensor, hyper: SgdHyper): void {
  checkState("sgdUpdate", param, { grad, momentumBuffer });
  checkFinite("sgdUpdate", { ...hyper, nesterov: 0, firstStep: 0 });
  ensureExclusive([param, momentumBuffer]);
  const fused = param.backend.fused;
  if (fused) return fused.sgd(param.storage, grad.storage, momentumBuffer.storage, hyper);
  noGrad(() => {
    const { lr, momentum, dampening, nesterov, weightDecay, firstStep } = hyper;
    let d = weightDecay === 0 ? grad : grad.add(param.mul(weightDecay));
    if (momentum !== 0) {
      const b = firstStep ? d : momentumBuffer.mul(momentum).add(d.mul(1 - dampening));
      momentumBuffer.assign(b);
      d = nesterov ? d.add(b.mul(momentum)) : b;
    }
    param.assign(param.sub(d.mul(lr)));
  });
}
