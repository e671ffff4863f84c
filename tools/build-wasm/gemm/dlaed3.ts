// The eigenvectors of the rank-one update in divide and conquer (LAPACK dlaed3's task): the
// Gu–Eisenstat weights ẑ from the secular roots' differences, then each eigenvector
// uᵢ ∝ ẑ/(δ − λᵢ), normalized — the O(k²) divisions, two per f64x2 step.

@inline function at(base: usize, index: i32): usize {
  return base + ((<usize>index) << 3);
}

/** prod[j] *= delta[j]/(poles[j] − pi) for j in [j0, j1). */
function scaleProducts(prod: usize, delta: usize, poles: usize, pi: f64, j0: i32, j1: i32): void {
  const vp = f64x2.splat(pi);
  let j = j0;
  for (; j + 2 <= j1; j += 2) {
    const q = at(prod, j);
    v128.store(q, f64x2.mul(v128.load(q), f64x2.div(v128.load(at(delta, j)), f64x2.sub(v128.load(at(poles, j)), vp))));
  }
  if (j < j1) store<f64>(at(prod, j), load<f64>(at(prod, j)) * (load<f64>(at(delta, j)) / (load<f64>(at(poles, j)) - pi)));
}

/**
 * For k ascending poles, weights w (signs used) and delta (k×k, row i: δⱼ − λᵢ from dlaed4):
 * ẑⱼ = sign(wⱼ)·√(−Πᵢ (δⱼ − λᵢ) / Πᵢ≠ⱼ (δⱼ − δᵢ)), then row i of U = ẑ/(δ − λᵢ) normalized, its
 * entry j stored at column pos[j] (pos: k float64 holding integers). `work`: k float64.
 */
export function dlaed3(delta: usize, poles: usize, w: usize, k: i32, pos: usize, u: usize, work: usize): void {
  const kk = <usize>k << 3;
  // Π accumulated root by root, so that each pass reads one row of delta.
  for (let j = 0; j < k; j++) store<f64>(at(work, j), load<f64>(delta + <usize>j * kk + (<usize>j << 3)));
  for (let i = 0; i < k; i++) {
    const row = delta + <usize>i * kk;
    const pi = load<f64>(at(poles, i));
    scaleProducts(work, row, poles, pi, 0, i);
    scaleProducts(work, row, poles, pi, i + 1, k);
  }
  for (let j = 0; j < k; j++) {
    const wj = load<f64>(at(w, j));
    const z = sqrt<f64>(max<f64>(-load<f64>(at(work, j)), 0));
    store<f64>(at(work, j), wj > 0 ? z : wj < 0 ? -z : 0);
  }
  for (let i = 0; i < k; i++) {
    const row = delta + <usize>i * kk;
    const out = u + <usize>i * kk;
    let norm: f64 = 0;
    for (let j = 0; j < k; j++) {
      const v = load<f64>(at(work, j)) / load<f64>(at(row, j));
      norm += v * v;
      store<f64>(at(out, <i32>load<f64>(at(pos, j))), v);
    }
    const scale = f64x2.splat(1 / sqrt<f64>(norm));
    let j = 0;
    for (; j + 2 <= k; j += 2) v128.store(at(out, j), f64x2.mul(v128.load(at(out, j)), scale));
    if (j < k) store<f64>(at(out, j), load<f64>(at(out, j)) * f64x2.extract_lane(scale, 0));
  }
}
