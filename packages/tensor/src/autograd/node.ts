import type { PrimitiveName } from "../ops/primitives.js";
import type { Tensor } from "../tensor.js";

/** How a tensor was computed: the primitive, its inputs and attributes (the tape entry). */
export interface GradNode {
  readonly primitive: PrimitiveName;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
}
