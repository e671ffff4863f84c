import type { AdamHyper, SgdHyper } from "../backend/backend.js";
import { noGrad } from "../autograd/mode.js";
import { DTypeError, DeviceError, ShapeError, ArgumentError, formatShape } from "../errors.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";
import { assertTensor } from "./validate.js";

export type { AdamHyper, SgdHyper };

// Validation runs every step for every parameter, so it allocates nothing.
function checkState(op: string, param: Tensor, names: readonly string[], tensors: readonly Tensor[]): void {
  if (!isFloat(param.dtype)) throw new DTypeError(`${op}: parameter must be float, got ${param.dtype}`);
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (!shapesEqual(t.shape, param.shape)) throw new ShapeError(`${op}: ${names[i]} ${formatShape(t.shape)} does not match parameter ${formatShape(param.shape)}`);
    if (t.dtype !== param.dtype) throw new DTypeError(`${op}: ${names[i]} is ${t.dtype}, parameter is ${param.dtype}`);
    if (t.backend !== param.backend) throw new DeviceError(`${op}: ${names[i]} is on '${t.device}', parameter on '${param.device}'`);
  }
}

function checkFinite(op: string, name: string, value: number): void {
  if (!Number.isFinite(value)) throw new ArgumentError(`${op}: ${name} must be finite, got ${value}`);
}

const ADAM_STATE = ["grad", "m", "v"] as const;
const SGD_STATE = ["grad", "momentumBuffer"] as const;

/**
 * The updates write `param` and the state in place. A storage may be shared (`assign`
 * adopts its value's storage, `detach` and `reshape` make views), so a tensor that shares
 * one first gets a private copy: the step must not change the other tensors.
 */
function ensureExclusive(...tensors: Tensor[]): void {
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
  assertTensor(param, "adamUpdate", "param");
  assertTensor(grad, "adamUpdate", "grad");
  assertTensor(m, "adamUpdate", "m");
  assertTensor(v, "adamUpdate", "v");
  checkState("adamUpdate", param, ADAM_STATE, [grad, m, v]);
  checkFinite("adamUpdate", "lr", hyper.lr);
  checkFinite("adamUpdate", "beta1", hyper.beta1);
  checkFinite("adamUpdate", "beta2", hyper.beta2);
  checkFinite("adamUpdate", "eps", hyper.eps);
  checkFinite("adamUpdate", "weightDecay", hyper.weightDecay);
  if (!Number.isInteger(hyper.step) || hyper.step < 1) throw new ArgumentError(`adamUpdate: step must be an integer ≥ 1, got ${hyper.step}`);
  ensureExclusive(param, m, v);
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
  assertTensor(param, "sgdUpdate", "param");
  assertTensor(grad, "sgdUpdate", "grad");
  assertTensor(momentumBuffer, "sgdUpdate", "momentumBuffer");
  checkState("sgdUpdate", param, SGD_STATE, [grad, momentumBuffer]);
  checkFinite("sgdUpdate", "lr", hyper.lr);
  checkFinite("sgdUpdate", "momentum", hyper.momentum);
  checkFinite("sgdUpdate", "dampening", hyper.dampening);
  checkFinite("sgdUpdate", "weightDecay", hyper.weightDecay);
  ensureExclusive(param, momentumBuffer);
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
