import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { isFloat } from "../dtype.js";
import { zerosLike } from "../ops/creation.js";

/**
 * `valueAndGrad(f)(...xs)` evaluates f at fresh leaf copies of `xs` and returns the value
 * with ∂f/∂xᵢ for every input (zeros where f does not depend on xᵢ). f must return a scalar.
 *
 * @example
 * const { value, grads } = valueAndGrad((x) => x.mul(x).sum())(tensor([1, 2]));
 * grads[0].arraySync(); // [2, 4]
 */
export function valueAndGrad(f: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  return (...inputs) => {
    const leaves = inputs.map((x, i) => {
      if (!isFloat(x.dtype)) throw new ArgumentError(`valueAndGrad: input ${i} is ${x.dtype}; only float inputs can be differentiated`);
      return x.detach().requireGrad();
    });
    const value = f(...leaves);
    if (value.requiresGrad) value.backward();
    const grads = leaves.map((leaf) => leaf.grad ?? zerosLike(leaf));
    for (const leaf of leaves) leaf.grad = null;
    return { value: value.detach(), grads };
  };
}

/** `grad(f)(...xs)`: the gradients of scalar f with respect to each input. */
export function grad(f: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...inputs) => vg(...inputs).grads;
}
