/**
 * Typed errors of `@fcn/data`. Each message names the function, the argument and the
 * offending value, so a caller can fix the call from the message alone.
 */

/** Base class of every error this package throws. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A bad argument: non-integer or non-positive `n`, negative `noise`, fewer than two classes,
 * an unknown data-set name, a NaN seed. `argument` holds the argument's name.
 */
export class ArgumentError extends DataError {
  constructor(
    message: string,
    /** Name of the offending argument, e.g. `"n"` or `"noise"`. */
    readonly argument: string,
  ) {
    super(message);
  }
}

/** Arrays whose shapes do not fit together (x and y with different row counts, ...). */
export class ShapeError extends DataError {}

/**
 * A data file that is absent or malformed (wrong length, bad label). The message says
 * which file, what is wrong and where the files belong.
 */
export class DataFileError extends DataError {
  constructor(
    message: string,
    /** Path of the offending file or directory. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** Formats a shape the way error messages show it: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
