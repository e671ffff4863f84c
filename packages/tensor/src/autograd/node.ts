import type { PrimitiveName } from "../ops/primitives.js";
import type { Tensor } from "../tensor.js";

/** How a tensor was computed: the primitive, its inputs and attributes (the tape entry). */
export interface GradNode {
  /** A primitive (its rule is in rules.ts) or "custom" (attrs carry the backward). */
  readonly primitive: PrimitiveName | "custom";
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
  /** Set on the stand-in left after backward freed the entry (a second backward is an error). */
  readonly freed?: boolean;
}
