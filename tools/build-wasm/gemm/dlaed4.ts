// One root of the secular equation of divide and conquer (LAPACK dlaed4's task), the same
// iteration as @fcn/kron's divideConquer.ts secularRoot: a two-pole rational model safeguarded by
// bisection. The O(k) sums of every step run two poles per f64x2 lane pair.

const EPS: f64 = 2.220446049250313e-16; // 2⁻⁵²

@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

@inline function lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Σⱼ wⱼ²/(deltaⱼ − tau) and Σⱼ (wⱼ/(deltaⱼ − tau))² over j in [j0, j1): written to out[0], out[1].
 */
function sums(w: usize, delta: usize, j0: i32, j1: i32, tau: f64, out: usize): void {
  const vt = f64x2.splat(tau);
  let s = f64x2.splat(0);
  let ds = f64x2.splat(0);
  let j = j0;
  for (; j + 2 <= j1; j += 2) {
    const wj = v128.load(at(w, j));
    const t = f64x2.div(wj, f64x2.sub(v128.load(at(delta, j)), vt));
    s = f64x2.add(s, f64x2.mul(wj, t));
    ds = f64x2.add(ds, f64x2.mul(t, t));
  }
  let s1 = lanes(s);
  let ds1 = lanes(ds);
  if (j < j1) {
    const wj = load<f64>(at(w, j));
    const t = wj / (load<f64>(at(delta, j)) - tau);
    s1 += wj * t;
    ds1 += t * t;
  }
  store<f64>(out, s1);
  store<f64>(out, ds1, 8);
}

/**
 * Root i of 1 + ρ Σⱼ wⱼ²/(δⱼ − λ) = 0 for k ascending poles δ at `poles` and weights at `w`
 * (‖w‖² = wsq), in (δᵢ, δᵢ₊₁) or (δ_{k−1}, δ_{k−1} + ρ·wsq) for the last. Writes δⱼ − λ into
 * `delta` (k entries), each as (δⱼ − δ_origin) − τ with the origin the nearer pole, and returns λ.
 * `scratch`: 2 float64.
 */
export function dlaed4(poles: usize, w: usize, k: i32, rho: f64, wsq: f64, i: i32, delta: usize, scratch: usize): f64 {
  const last = i == k - 1;
  let origin = i;
  let lo: f64;
  let hi: f64;
  const pi = load<f64>(at(poles, i));
  if (last) {
    lo = 0;
    hi = rho * wsq;
  } else {
    const gap = load<f64>(at(poles, i + 1)) - pi;
    // f at the midpoint decides which pole is nearer to the root.
    const vi = f64x2.splat(pi);
    const vh = f64x2.splat(gap / 2);
    const vr = f64x2.splat(rho);
    let acc = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= k; j += 2) {
      const wj = v128.load(at(w, j));
      const den = f64x2.sub(f64x2.sub(v128.load(at(poles, j)), vi), vh);
      acc = f64x2.add(acc, f64x2.div(f64x2.mul(f64x2.mul(vr, wj), wj), den));
    }
    let f = 1 + lanes(acc);
    if (j < k) {
      const wj = load<f64>(at(w, j));
      f += (rho * wj * wj) / (load<f64>(at(poles, j)) - pi - gap / 2);
    }
    if (f >= 0) {
      lo = 0;
      hi = gap / 2;
    } else {
      origin = i + 1;
      lo = -gap / 2;
      hi = 0;
    }
  }
  const base = load<f64>(at(poles, origin));
  const vb = f64x2.splat(base);
  let j = 0;
  for (; j + 2 <= k; j += 2) v128.store(at(delta, j), f64x2.sub(v128.load(at(poles, j)), vb));
  if (j < k) store<f64>(at(delta, j), load<f64>(at(poles, j)) - base);
  // Poles i and i+1 (shifted) bound the root; the two-pole rational model gives the step.
  const a = load<f64>(at(delta, i));
  const b = last ? Infinity : load<f64>(at(delta, i + 1));
  let tau = last ? hi / 2 : (lo + hi) / 2;
  if (!last && origin == i) tau = hi / 2;
  if (!last && origin == i + 1) tau = lo / 2;
  for (let iteration = 0; iteration < 200; iteration++) {
    sums(w, delta, 0, i + 1, tau, scratch);
    let psi = load<f64>(scratch);
    let dpsi = load<f64>(scratch, 8);
    sums(w, delta, i + 1, k, tau, scratch);
    let phi = load<f64>(scratch);
    let dphi = load<f64>(scratch, 8);
    psi *= rho;
    phi *= rho;
    dpsi *= rho;
    dphi *= rho;
    const f = 1 + psi + phi;
    if (f < 0) lo = max<f64>(lo, tau);
    else hi = min<f64>(hi, tau);
    const errorBound = 8 * EPS * (1 + abs<f64>(psi) + abs<f64>(phi)) + EPS * abs<f64>(tau) * (dpsi + dphi);
    if (abs<f64>(f) <= errorBound || hi - lo <= 2 * EPS * max<f64>(abs<f64>(lo), abs<f64>(hi))) break;
    // Model f ≈ c + s/(a − x) + S/(b − x) matching f and both partial derivatives at τ.
    const da = a - tau;
    let next: f64;
    if (last) {
      const s = dpsi * da * da;
      next = a + s / (f - s / da); // c + s/(a − x) = 0 → x = a + s/c
    } else {
      const db = b - tau;
      const s = dpsi * da * da;
      const S = dphi * db * db;
      const c = f - s / da - S / db;
      // c(a − x)(b − x) + s(b − x) + S(a − x) = 0, in η = x − τ with a' = da, b' = db.
      const qa = c;
      const qb = -(c * (da + db) + s + S);
      const qc = c * da * db + s * db + S * da;
      let eta: f64;
      if (qa == 0) eta = -qc / qb;
      else {
        const disc = sqrt<f64>(max<f64>(qb * qb - 4 * qa * qc, 0));
        const r1 = qb <= 0 ? (-qb + disc) / (2 * qa) : (2 * qc) / (-qb - disc);
        const r2 = qb <= 0 ? (2 * qc) / (-qb + disc) : (-qb - disc) / (2 * qa);
        eta = r1 > da && r1 < db ? r1 : r2;
      }
      next = tau + eta;
    }
    tau = next > lo && next < hi && isFinite<f64>(next) ? next : (lo + hi) / 2;
  }
  const vt = f64x2.splat(tau);
  j = 0;
  for (; j + 2 <= k; j += 2) v128.store(at(delta, j), f64x2.sub(v128.load(at(delta, j)), vt));
  if (j < k) store<f64>(at(delta, j), load<f64>(at(delta, j)) - tau);
  return base + tau;
}
