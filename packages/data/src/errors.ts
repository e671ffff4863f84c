/**
 * Typed errors of `@fcn/data`. Each message names the function, the argument and the
 * offending value, so a caller can fix the call from the message alone. `FcnError`,
 * `ArgumentError` and `ShapeError` are the hierarchy every @fcn package shares
 * (errorHierarchy.ts, identical in @fcn/tensor), so `instanceof` holds across packages.
 */
import { FcnError } from "./errorHierarchy.js";

export { FcnError, ArgumentError, ShapeError, formatShape, type ErrorDetails } from "./errorHierarchy.js";

/** A malformed data set that is not a file: a CSV without a `target` column, a bad field. */
export class DataError extends FcnError {
  static override readonly kind: string = "DataError";
}

/**
 * A data file that is absent or malformed (wrong length, bad label). The message says
 * which file, what is wrong and where the files belong.
 */
export class DataFileError extends DataError {
  static override readonly kind: string = "DataFileError";
  constructor(
    message: string,
    /** Path of the offending file or directory. */
    readonly path: string,
  ) {
    super(message);
  }
}
