/**
 * Gauss error function to about 1e-15: Maclaurin series for |x| < 2.5, Lentz's
 * continued fraction for erfc beyond (Numerical Recipes §6.2). Accuracy matters because
 * gradient checks compare its derivative against finite differences of it.
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let term = x;
    let total = x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      total += add;
      if (Math.abs(add) < 1e-17 * Math.abs(total)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * total;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  // erfc x = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
  const tiny = 1e-300;
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    d = ax + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = ax + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}
