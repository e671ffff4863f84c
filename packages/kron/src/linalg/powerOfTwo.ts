/**
 * Exact scaling by powers of two (frexp / ldexp): how det and eigvals keep intermediate values
 * inside float64's exponent range.
 */

/** x·2ᵏ in steps that keep each factor representable (k may exceed ±1023); exact unless the result leaves the normal range. */
export function timesPowerOfTwo(x: number, k: number): number {
  while (k !== 0) {
    const part = Math.max(-1000, Math.min(1000, k));
    x *= 2 ** part;
    k -= part;
  }
  return x;
}

/** The e with |x|·2⁻ᵉ in [1, 2), for finite x ≠ 0 (subnormals included). */
export function binaryExponent(x: number): number {
  let e = Math.floor(Math.log2(Math.abs(x)));
  // log2 may round across a power of two: correct by one.
  const m = timesPowerOfTwo(Math.abs(x), -e);
  if (m >= 2) e++;
  else if (m < 1) e--;
  return e;
}
