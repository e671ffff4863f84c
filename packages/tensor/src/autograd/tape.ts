import { ArgumentError, GraphFreedError, ShapeError, formatShape } from "../errors.js";
import { freeNode, hold, unhold, withSavedTensors } from "../lifetime.js";
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
  /**
   * Keep the graph (its tape entries and the tensors they saved) for another backward, as
   * PyTorch's retain_graph. Default: `createGraph`. Without it each entry is freed once
   * backward has used it, and a second backward through it throws `GraphFreedError`.
   */
  retainGraph?: boolean;
}

/**
 * Reverse-mode differentiation from `root`: visits the tape in reverse topological order,
 * applies each primitive's rule, and accumulates into `.grad` of every leaf that requires
 * grad. Intermediate gradients are freed when it returns (unless `createGraph`), and so is
 * the graph (unless `retainGraph`).
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
  const retainGraph = options.retainGraph ?? options.createGraph ?? false;
  const run = () => withAutocast(null, () => accumulate(root, gradient ?? onesLike(root), retainGraph));
  if (options.createGraph) withGrad(run);
  else noGrad(() => tidy(run));
}

/**
 * Gradients of `root` with respect to every tensor on its tape, leaves written to `.grad`.
 * Backward holds every tensor it will visit, so freeing a consumer's entry never releases a
 * tensor whose own rule is still to run; each entry is freed right after its rule ran.
 */
function accumulate(root: Tensor, seed: Tensor, retainGraph: boolean): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  for (const t of order) hold(t);
  let i = order.length - 1;
  try {
    withSavedTensors(() => {
      for (; i >= 0; i--) {
        const t = order[i];
        visit(t, grads);
        if (!retainGraph) freeNode(t);
        unhold(t);
      }
    });
  } finally {
    // After an error: drop the holds of the tensors not visited.
    for (; i >= 0; i--) unhold(order[i]);
  }
}

/** Applies t's rule to its gradient (or, for a leaf, accumulates it into `.grad`). */
function visit(t: Tensor, grads: Map<Tensor, Tensor>): void {
  const g = grads.get(t);
  if (!g) return;
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
    return;
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
    // A freed entry has no inputs left: reaching one means this graph was backpropagated already.
    if (t.node?.freed) throw new GraphFreedError(t.node.primitive, t.shape);
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
