/**
 * Finiteness checks of gradients for loss scaling. The check runs on the gradients' device
 * and reduces them to one scalar that is NaN exactly when some entry is ±Infinity or NaN
 * (x·0 is 0 for finite x and NaN otherwise), so only one number is read back to the host.
 */
import { type Tensor, noGrad, sum, tidy } from "@fcn/tensor";

/** Whether every gradient can be read synchronously (CPU); WebGPU reads are asynchronous. */
export function readableSync(grads: readonly Tensor[]): boolean {
  return grads.every((g) => typeof g.backend.readSync === "function");
}

/** A scalar that is NaN when any gradient holds a non-finite entry, else 0 (caller disposes). */
function nonFiniteIndicator(grads: readonly Tensor[]): Tensor | null {
  if (grads.length === 0) return null;
  return noGrad(() => tidy(() => grads.map((g) => sum(g.mul(0)).cast("float32")).reduce((a, b) => a.add(b))));
}

/** True when some gradient holds ±Infinity or NaN (synchronous host read). */
export function hasNonFinite(grads: readonly Tensor[]): boolean {
  const indicator = nonFiniteIndicator(grads);
  if (!indicator) return false;
  try {
    return Number.isNaN(indicator.item());
  } finally {
    indicator.dispose();
  }
}

/** True when some gradient holds ±Infinity or NaN (asynchronous read: works on every device). */
export async function hasNonFiniteAsync(grads: readonly Tensor[]): Promise<boolean> {
  const indicator = nonFiniteIndicator(grads);
  if (!indicator) return false;
  try {
    return Number.isNaN((await indicator.data())[0]);
  } finally {
    indicator.dispose();
  }
}
