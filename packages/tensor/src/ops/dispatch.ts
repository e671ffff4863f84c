import type { TensorInfo } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { isGradEnabled } from "../autograd/mode.js";
import { type DType, isFloat } from "../dtype.js";
import { hostArray } from "./hostArray.js";
import { attachNode } from "../lifetime.js";
import { checkAllocation } from "../allocation.js";
import { DeviceError, formatShape } from "../errors.js";
import type { Shape } from "../shape.js";
import { Tensor } from "../tensor.js";
import { type PrimitiveAttrs, type PrimitiveName, isDifferentiable } from "./primitives.js";

/**
 * Runs one primitive on its inputs' backend and records it on the tape when a gradient
 * may be needed. Output shape and dtype are decided by the calling op (shared by all
 * backends); the kernel only fills the storage.
 */
export function apply<P extends PrimitiveName>(
  primitive: P,
  inputs: readonly Tensor[],
  attrs: PrimitiveAttrs[P],
  shape: Shape,
  dtype: DType,
): Tensor {
  const backend = inputs[0].backend;
  for (let i = 1; i < inputs.length; i++) {
    if (inputs[i].backend !== backend) {
      throw new DeviceError(
        `${primitive}: inputs are on different devices (${inputs.map((t) => `${t.device} ${formatShape(t.shape)}`).join(", ")}); move them with .to(device)`,
      );
    }
  }
  let out: Tensor;
  if (primitive === "reshape") {
    const storage = inputs[0].storage;
    storage.refCount++;
    out = new Tensor(storage, shape, dtype);
  } else {
    // Every kernel output on every backend passes here: refuse impossible shapes before allocating.
    checkAllocation(primitive, shape);
    // A tensor is its own TensorInfo (storage, shape, dtype): no object per input per op.
    const infos = inputs as readonly TensorInfo[] as TensorInfo[];
    const kernel = backend.kernels[primitive as Exclude<P, "reshape">] as (i: TensorInfo[], o: { shape: Shape; dtype: DType }, a: unknown) => import("../backend/backend.js").Storage;
    out = new Tensor(kernel(infos, { shape, dtype }, attrs), shape, dtype);
  }
  if (isGradEnabled() && isFloat(dtype) && isDifferentiable(primitive)) {
    for (const t of inputs) {
      if (t.requiresGrad) {
        out.requiresGrad = true;
        attachNode(out, { primitive, inputs, attrs });
        break;
      }
    }
  }
  return out;
}

/** A tensor from host values on the default device (or `like`'s device). */
export function fromHost(data: ArrayLike<number>, shape: Shape, dtype: DType, like?: Tensor): Tensor {
  checkAllocation("fromHost", shape);
  const backend = like ? like.backend : getBackend();
  const array = hostArray(backend, dtype, data.length, "fromHost");
  array.set(data);
  return new Tensor(backend.upload(array, dtype), shape, dtype);
}

/** Turns a number operand into a scalar tensor of `like`'s dtype and device (weak typing). */
export function asTensor(value: Tensor | number, like: Tensor): Tensor {
  if (typeof value !== "number") return value;
  const dtype = like.dtype === "bool" ? (Number.isInteger(value) ? "int32" : "float32") : like.dtype === "int32" && !Number.isInteger(value) ? "float32" : like.dtype;
  return fromHost([value], [], dtype, like);
}
