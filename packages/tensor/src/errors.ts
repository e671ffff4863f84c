/**
 * Typed errors. Each names the operation and the offending argument, shape or value, so a
 * user can fix the call from the message alone. The hierarchy itself is shared with every
 * @fcn package (see errorHierarchy.ts).
 */
import { FcnError, formatShape } from "./errorHierarchy.js";

export { FcnError, ShapeError, DTypeError, DeviceError, ArgumentError, formatShape, type ErrorDetails } from "./errorHierarchy.js";

/**
 * An allocation of more elements than the limit allows (see `setAllocationLimit`), raised
 * before any memory is taken. Names the op, the shape and the limit.
 */
export class AllocationError extends FcnError {
  static override readonly kind: string = "AllocationError";
  constructor(
    readonly op: string,
    /** Shape of the refused allocation. */
    readonly shape: readonly number[],
    /** Elements the shape holds. */
    readonly elements: number,
    /** The limit in force when the allocation was refused. */
    readonly limit: number,
  ) {
    super(
      `${op}: shape ${formatShape(shape)} has ${elements.toExponential(3)} elements, more than the allocation limit of ${limit} ` +
        `(raise it with setAllocationLimit if the memory is there)`,
      { functionName: op, argument: "shape" },
    );
  }
}

/**
 * `backward()` reached a tape entry that an earlier backward already freed (PyTorch: "Trying
 * to backward through the graph a second time"). Names the op and shape of the tensor whose
 * entry was freed; pass `{ retainGraph: true }` to the earlier backward to keep the graph.
 */
export class GraphFreedError extends FcnError {
  static override readonly kind: string = "GraphFreedError";
  constructor(
    /** The primitive (or "custom") that produced the tensor. */
    readonly op: string,
    /** The tensor's shape. */
    readonly shape: readonly number[],
  ) {
    super(
      `backward: trying to backward through the graph a second time: the tape entry of ${op} ${formatShape(shape)} was freed ` +
        `by an earlier backward; pass { retainGraph: true } to that backward to keep the graph`,
      { functionName: "backward" },
    );
  }
}
