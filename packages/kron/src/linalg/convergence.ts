/** The error raised when an iterative solver does not converge within its iteration bound. */
import { FcnError } from "@fcn/tensor";

/** An iterative method ran out of iterations; the message names the method, size and bound. */
export class ConvergenceError extends FcnError {}
