/**
 * The error hierarchy of every @fcn package: FcnError and the kinds every package throws.
 *
 * This file exists byte for byte in @fcn/tensor and in @fcn/data (data must work without
 * tensor installed, and packages never import upward); a test keeps the copies identical.
 * `instanceof` compares kinds rather than class objects, so an error thrown by one copy is
 * an instance of the same-named class of any other copy: tensor's and data's, the ESM and
 * CommonJS builds of one package, or two versions installed side by side.
 */

/** Where an error keeps the kinds of its class chain, e.g. ["ShapeError", "FcnError"]. */
const KINDS = Symbol.for("@fcn/error-kinds");

/** What an error names besides its message. */
export interface ErrorDetails {
  /** The public function that rejected the call; defaults to the message's `name:` prefix. */
  readonly functionName?: string;
  /** The offending argument, e.g. `"shape"`, where one argument is to blame. */
  readonly argument?: string;
}

/** A class's kind: its own static `kind` (survives minification), else its name. */
function kindOf(cls: unknown): string {
  const own = Object.getOwnPropertyDescriptor(cls, "kind");
  return typeof own?.value === "string" ? own.value : (cls as { name: string }).name;
}

/** Kinds of `cls` and each class above it, up to FcnError. */
function kindsOf(cls: unknown): string[] {
  const kinds: string[] = [];
  for (let c = cls; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
    const kind = kindOf(c);
    kinds.push(kind);
    if (kind === "FcnError") break;
  }
  return kinds;
}

/** Base class of every error an @fcn package throws on bad input. */
export class FcnError extends Error {
  static readonly kind: string = "FcnError";
  /** The public function that rejected the call, e.g. `"zeros"`. */
  readonly functionName: string | undefined;
  /** The offending argument, e.g. `"shape"`, where one argument is to blame. */
  readonly argument: string | undefined;

  /** `details` is the argument's name, or the function and argument. */
  constructor(message: string, details: string | ErrorDetails = {}) {
    super(message);
    const d: ErrorDetails = typeof details === "string" ? { argument: details } : details;
    this.name = kindOf(new.target);
    // Messages start with "function: " by convention; that prefix names the function.
    this.functionName = d.functionName ?? /^([A-Za-z_$][\w$.]*):\s/.exec(message)?.[1];
    this.argument = d.argument;
    Object.defineProperty(this, KINDS, { value: Object.freeze(kindsOf(new.target)) });
  }

  /** True for errors of this kind from any copy of the hierarchy (and for ordinary instances). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== "object" || value === null) return false;
    const kinds = (value as { [KINDS]?: readonly string[] })[KINDS];
    return Array.isArray(kinds) && kinds.includes(kindOf(this));
  }
}

/** Shapes that do not fit: mismatched, non-broadcastable, non-integer, out-of-range axis. */
export class ShapeError extends FcnError {
  static override readonly kind: string = "ShapeError";
}

/** A dtype the operation does not accept, or two dtypes that do not combine. */
export class DTypeError extends FcnError {
  static override readonly kind: string = "DTypeError";
}

/** Tensors on different devices, a missing backend, or an unavailable device feature. */
export class DeviceError extends FcnError {
  static override readonly kind: string = "DeviceError";
}

/** Any other bad argument: wrong type, NaN seed, negative probability, unknown option. */
export class ArgumentError extends FcnError {
  static override readonly kind: string = "ArgumentError";
}

/** Formats a shape the way error messages show it: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
