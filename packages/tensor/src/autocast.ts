/**
 * Automatic mixed precision (as `torch.autocast`): inside `autocast(fn)`, matmul and
 * conv2d cast float32 inputs to float16 and run in half precision, while the ops that
 * need range — softmax, logSoftmax, sum, prod, exp, log, pow — cast float16 inputs up to
 * float32. Everything else follows the usual type promotion (float16 with float32 gives
 * float32), so parameters stay float32 ("master weights") and their gradients come back
 * as float32 through the casts. Backward passes always run with autocast off: each
 * gradient has the dtype of the forward value it belongs to.
 */
export type AutocastDType = "float16";

export interface AutocastOptions {
  /** The low-precision dtype (only float16 exists). */
  dtype?: AutocastDType;
  /** false runs `fn` unchanged, so one code path serves both modes. Default true. */
  enabled?: boolean;
}

let active: AutocastDType | null = null;

/** Runs `fn` with autocast on (or off, with `enabled: false`); restores the previous state. */
export function autocast<T>(fn: () => T, options: AutocastOptions = {}): T {
  return withAutocast(options.enabled === false ? null : (options.dtype ?? "float16"), fn);
}

/** The dtype autocast currently lowers to, or null when it is off. */
export function autocastDType(): AutocastDType | null {
  return active;
}

/** Runs `fn` with autocast set to `dtype` (null: off). */
export function withAutocast<T>(dtype: AutocastDType | null, fn: () => T): T {
  const previous = active;
  active = dtype;
  try {
    return fn();
  } finally {
    active = previous;
  }
}
