import { adoptIntoScope, tidy } from "../memory.js";
import { attachNode } from "../lifetime.js";
import { isFloat } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import { isGradEnabled, noGrad, withGrad } from "./mode.js";
import { autocastDType, withAutocast } from "../autocast.js";

/** The input gradients of a custom function, given its output gradient. */
export type CustomBackward = (g: Tensor, inputs: readonly Tensor[], output: Tensor) => (Tensor | null)[];

/** Tape attributes of a custom node: its own backward instead of a rule from the table. */
export interface CustomAttrs {
  readonly name: string;
  readonly backward: CustomBackward;
}

/**
 * A function with a hand-written gradient (JAX's custom_vjp, PyTorch's autograd.Function):
 * `forward` runs without recording, and the tape stores one node whose gradient is
 * `backward`. Use it when the composed gradient would keep too much memory or be unstable.
 *
 * @example
 * const clippedIdentity = customVjp("clippedIdentity", (x) => x.mul(1), (g) => [g.clamp(-1, 1)]);
 */
export function customVjp(
  name: string,
  forward: (...inputs: Tensor[]) => Tensor,
  backward: CustomBackward,
  options: { recordWithoutGradInputs?: boolean } = {},
): (...inputs: Tensor[]) => Tensor {
  return (...inputs) => {
    // Normally a node is needed only when an input requires grad; a forward that closes over
    // parameters (checkpoint) needs one whenever gradients are being recorded.
    const recording = isGradEnabled() && (options.recordWithoutGradInputs === true || inputs.some((t) => t.requiresGrad));
    // tidy: the forward's intermediates are freed at once, only its result is kept.
    const result = noGrad(() => tidy(() => forward(...inputs)));
    if (!recording || !isFloat(result.dtype)) return result;
    // A fresh tensor object (sharing storage) so the node never lands on an input.
    const output = inputs.includes(result) ? result.detach() : result;
    output.requiresGrad = true;
    attachNode(output, { primitive: "custom", inputs, attrs: { name, backward } satisfies CustomAttrs });
    return output;
  };
}

/**
 * Gradient checkpointing: `checkpoint(fn)(...inputs)` computes fn without keeping its
 * intermediates, and recomputes them during backward. Gradients flow to the inputs and to
 * any parameter fn closes over, exactly as without checkpointing; peak memory drops to the
 * inputs and the output of fn.
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor): (...inputs: Tensor[]) => Tensor {
  return (...args) => {
    // The recomputation must see the autocast state of the forward it repeats.
    const precision = autocastDType();
    return checkpointed(fn, precision)(...args);
  };
}

function checkpointed(fn: (...inputs: Tensor[]) => Tensor, precision: ReturnType<typeof autocastDType>): (...inputs: Tensor[]) => Tensor {
  return customVjp("checkpoint", fn, (g, inputs) => {
    const leaves = inputs.map((x) => (x.requiresGrad ? x.detach().requireGrad() : x));
    const grads = tidy(() => {
      const y = withGrad(() => withAutocast(precision, () => fn(...leaves)));
      // Nothing inside required grad after all (data in, frozen parameters): no gradients.
      if (!y.requiresGrad) return leaves.map(() => null);
      y.backward(g);
      return leaves.map((leaf, i) => {
        if (leaf === inputs[i]) return null;
        const gi = leaf.grad;
        leaf.grad = null;
        if (gi) gi.isKept = false;
        return gi;
      });
    });
    for (const gi of grads) if (gi) adoptIntoScope(gi);
    return grads;
  }, { recordWithoutGradInputs: true });
}
