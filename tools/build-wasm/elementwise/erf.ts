// The Gauss error function of packages/tensor/src/backend/cpu/erf.ts in float64 lanes, bit for bit:
// the same Maclaurin series (|x| < 2.5) and Lentz continued fraction (2.5 ≤ |x| ≤ 6) with the same
// operations in the same order. Each lane's value is taken at the iteration where the scalar loop
// breaks; the loop ends when both lanes are done or at the scalar loop's last iteration. Math.exp is expV (math.ts, bit for bit; its argument
// −x² lies in [−36, −6.25], away from the lanes expV leaves to the scalar code).
import {
  K, S_ERF_CF_TOL, S_ERF_ONE_BOUND, S_ERF_SERIES_END, S_ERF_SERIES_TOL, S_ERF_SQRT_PI, S_ERF_TINY, S_ERF_TWO_OVER_SQRT_PI,
  S_MINUS_ONE, S_ONE, expV,
} from "./math";

@inline function sel(ifTrue: v128, ifFalse: v128, mask: v128): v128 { return v128.bitselect(ifTrue, ifFalse, mask); }

/**
 * 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)). The sums run on past a lane's break (no select inside the
 * term/total chains, which would put the convergence test on their latency path); each lane's total
 * is captured at the iteration where the scalar loop breaks, or after the last.
 */
function erfSeries(x: v128, lanes: v128): v128 {
  const negX2 = f64x2.neg(f64x2.mul(x, x)); // the scalar code's −x2
  let term = x;
  let total = x;
  let result = x;
  let active = lanes; // the other lanes need not converge
  for (let n = 1; n < 80; n++) {
    term = f64x2.mul(term, f64x2.div(negX2, f64x2.splat(<f64>n))); // term *= −x2 / n
    const add = f64x2.div(term, f64x2.splat(<f64>(2 * n + 1)));
    total = f64x2.add(total, add);
    result = sel(total, result, active);
    active = v128.andnot(active, f64x2.lt(f64x2.abs(add), f64x2.mul(K(S_ERF_SERIES_TOL), f64x2.abs(total))));
    if (!v128.any_true(active)) break;
  }
  return f64x2.mul(K(S_ERF_TWO_OVER_SQRT_PI), result);
}

/**
 * erfc |x| by Lentz's continued fraction, turned into erf x; as in erfSeries, f runs on and each
 * lane's value is captured where the scalar loop breaks.
 */
function erfFraction(x: v128, lanes: v128): v128 {
  const ax = f64x2.abs(x);
  const zero = f64x2.splat(0);
  let f = ax;
  let c = ax;
  let d = zero;
  let result = ax;
  let active = lanes; // the other lanes need not converge
  for (let n = 1; n < 200; n++) {
    const a = f64x2.splat(<f64>n / 2);
    const d1 = f64x2.add(ax, f64x2.mul(a, d));
    d = sel(K(S_ERF_TINY), f64x2.div(K(S_ONE), d1), f64x2.eq(d1, zero));
    const c1 = f64x2.add(ax, f64x2.div(a, c));
    c = sel(K(S_ERF_TINY), c1, f64x2.eq(c1, zero));
    const delta = f64x2.mul(c, d);
    f = f64x2.mul(f, delta);
    result = sel(f, result, active);
    active = v128.andnot(active, f64x2.lt(f64x2.abs(f64x2.sub(delta, K(S_ONE))), K(S_ERF_CF_TOL)));
    if (!v128.any_true(active)) break;
  }
  const erfc = f64x2.div(f64x2.div(expV(f64x2.mul(f64x2.neg(ax), ax)), K(S_ERF_SQRT_PI)), result);
  return sel(f64x2.sub(K(S_ONE), erfc), f64x2.sub(erfc, K(S_ONE)), f64x2.gt(x, zero));
}

/** erf of both lanes, bit for bit the JavaScript erf (NaN lanes return x itself, as it does). */
export function erfV(x: v128): v128 {
  const ax = f64x2.abs(x);
  const series = f64x2.lt(ax, K(S_ERF_SERIES_END));
  const beyond = f64x2.gt(ax, K(S_ERF_ONE_BOUND));
  const fraction = v128.andnot(f64x2.eq(ax, ax), v128.or(series, beyond)); // not NaN, neither of the others
  let res = sel(sel(K(S_ONE), K(S_MINUS_ONE), f64x2.gt(x, f64x2.splat(0))), x, beyond);
  if (v128.any_true(series)) res = sel(erfSeries(x, series), res, series);
  if (v128.any_true(fraction)) res = sel(erfFraction(x, fraction), res, fraction);
  return res;
}
