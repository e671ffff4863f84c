/**
 * Typed errors. Each names the operation and the offending argument, shape or value, so a
 * user can fix the call from the message alone.
 */

/** Base class of every error this package throws on bad input. */
export class FcnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit: mismatched, non-broadcastable, non-integer, out-of-range axis. */
export class ShapeError extends FcnError {}

/** A dtype the operation does not accept, or two dtypes that do not combine. */
export class DTypeError extends FcnError {}

/** Tensors on different devices, a missing backend, or an unavailable device feature. */
export class DeviceError extends FcnError {}

/** Any other bad argument: NaN seed, negative probability, unknown option. */
export class ArgumentError extends FcnError {}

/** Formats a shape the way error messages show it: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
