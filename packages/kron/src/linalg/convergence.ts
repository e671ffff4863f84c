/** The error raised when an iterative solver does not converge within its iteration bound. */
import { FcnError } from "@fcn/tensor";

/**
 * An iterative method ran out of iterations; the message names the method, size and bound.
 * Part of the hierarchy every @fcn package shares: `instanceof FcnError` holds for it
 * whichever package's FcnError is asked.
 */
export class ConvergenceError extends FcnError {
  static override readonly kind: string = "ConvergenceError";
}
