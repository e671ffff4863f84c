let enabled = true;

/** Whether ops currently record the graph for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with recording set to `value`, then restores the previous setting. */
function withGradEnabled<T>(value: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = value;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` without recording gradients (like `torch.no_grad()`): for evaluation and
 * in-place parameter updates.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradEnabled(false, fn);
}

/** Runs `fn` with gradient recording on (used by backward with `createGraph`). */
export function withGrad<T>(fn: () => T): T {
  return withGradEnabled(true, fn);
}
