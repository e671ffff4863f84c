import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import { keep, tidy } from "../memory.js";
import { onesLike } from "../ops/creation.js";
import { add } from "../ops/elementwise.js";
import { apply } from "../ops/dispatch.js";
import type { Tensor } from "../tensor.js";
import { shapesEqual } from "../shape.js";
import { noGrad, withGrad } from "./mode.js";
import { withAutocast } from "../autocast.js";
import { cast } from "../ops/elementwise.js";
import { type Rule, rules } from "./rules.js";
import type { CustomAttrs } from "./custom.js";
import type { PrimitiveName } from "../ops/primitives.js";

export interface BackwardOptions {
  /** Record the backward computation too, so gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * Reverse-mode differentiation from `root`: visits the tape in reverse topological order,
 * applies each primitive's rule, and accumulates into `.grad` of every leaf that requires
 * grad. Intermediate gradients are freed when it returns (unless `createGraph`).
 */
export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new ArgumentError(`backward: tensor ${formatShape(root.shape)} does not require grad (no input had requiresGrad)`);
  }
  if (gradient === undefined && root.size !== 1) {
    throw new ShapeError(`backward: a gradient is needed for non-scalar output ${formatShape(root.shape)}`);
  }
  if (gradient !== undefined && !shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(`backward: gradient ${formatShape(gradient.shape)} does not match output ${formatShape(root.shape)}`);
  }
  // Gradients take the dtype of their forward values, whatever autocast says now.
  const run = () => withAutocast(null, () => accumulate(root, gradient ?? onesLike(root)));
  if (options.createGraph) withGrad(run);
  else noGrad(() => tidy(run));
}

/** Gradients of `root` with respect to every tensor on its tape, leaves written to `.grad`. */
function accumulate(root: Tensor, seed: Tensor): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const g = grads.get(t);
    if (!g) continue;
    const node = t.node;
    if (!node) {
      if (t.grad) {
        const old = t.grad;
        t.grad = keep(add(old, g));
        old.isKept = false;
        old.dispose();
      } else {
        t.grad = keep(ownView(g));
      }
      continue;
    }
    const inputGrads =
      node.primitive === "custom"
        ? (node.attrs as CustomAttrs).backward(g, node.inputs, t)
        : (rules[node.primitive] as Rule<PrimitiveName>)(g, node.inputs, t, node.attrs as never);
    node.inputs.forEach((input, k) => {
      let gi = inputGrads[k];
      if (!gi || !input.requiresGrad) return;
      // A custom backward may hand back another float dtype: the gradient of a value has its dtype.
      if (gi.dtype !== input.dtype) gi = cast(gi, input.dtype);
      const previous = grads.get(input);
      grads.set(input, previous ? add(previous, gi) : gi);
    });
  }
}

/**
 * A new tensor on g's storage (with g's tape entry): rules may hand one gradient tensor to
 * several inputs, and the seed is the caller's, so each leaf's `.grad` must be its own
 * tensor, or accumulating into (or disposing) one would dispose the others.
 */
function ownView(g: Tensor): Tensor {
  return apply("reshape", [g], {}, g.shape, g.dtype);
}

/** Tensors reachable from `root` through tensors that require grad, inputs before users. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  // Iterative DFS (deep graphs such as long recurrences would overflow a recursive one).
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.node?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const input = inputs[next];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}
