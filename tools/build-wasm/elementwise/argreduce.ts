// argmax/argmin in SIMD with exactly the indices of argReduce in
// packages/tensor/src/backend/cpu/reduce.ts: the first maximum (minimum), or the first NaN when there
// is one (the JS loop stops there). ±0 compare equal, so the first zero wins a zero maximum.
// * Along rows (the reduced axis innermost): the driver finds each row's max/min value with
//   extremeRows (exact: NaN wins), then firstIndexRows finds the first element equal to it (or the
//   first NaN), which is the JS loop's index.
// * Over an axis with elements after it: lanes run across the independent outputs, each with the
//   JS rule `if (best === best && (v !== v || v > best)) { best = v; at = k }` as masks.

@inline function hit32(v: v128, m: v128, NAN: bool): v128 {
  return NAN ? f32x4.ne(v, v) : f32x4.eq(v, m);
}
@inline function hit64(v: v128, m: v128, NAN: bool): v128 {
  return NAN ? f64x2.ne(v, v) : f64x2.eq(v, m);
}

@inline function first32(x: usize, n: i32, m: f32): i32 {
  const NAN = m != m;
  const mv = f32x4.splat(m);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    if (v128.any_true(hit32(v128.load(x + ((<usize>j) << 2)), mv, NAN))) break;
  }
  for (; j < n; j++) {
    const v = load<f32>(x + ((<usize>j) << 2));
    if (NAN ? v != v : v == m) return j;
  }
  return -1;
}

@inline function first64(x: usize, n: i32, m: f64): i32 {
  const NAN = m != m;
  const mv = f64x2.splat(m);
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    if (v128.any_true(hit64(v128.load(x + ((<usize>j) << 3)), mv, NAN))) break;
  }
  for (; j < n; j++) {
    const v = load<f64>(x + ((<usize>j) << 3));
    if (NAN ? v != v : v == m) return j;
  }
  return -1;
}

/**
 * For each of `rows` rows of n elements at x: the index of the first element equal to the row's
 * value at values (element-sized slots), or of the first NaN when that value is NaN; -1 if none.
 * Writes i32 indices to out.
 */
export function firstIndexRows(f64: i32, x: usize, rows: i32, n: i32, values: usize, out: usize): void {
  for (let r = 0; r < rows; r++) {
    if (f64) {
      store<i32>(out, first64(x, n, load<f64>(values)));
      x += (<usize>n) << 3;
      values += 8;
    } else {
      store<i32>(out, first32(x, n, load<f32>(values)));
      x += (<usize>n) << 2;
      values += 4;
    }
    out += 4;
  }
}

@inline function better32(MIN: bool, v: v128, best: v128): v128 {
  const wins = v128.or(f32x4.ne(v, v), MIN ? f32x4.lt(v, best) : f32x4.gt(v, best));
  return v128.and(wins, f32x4.eq(best, best)); // a NaN best is final
}
@inline function better64(MIN: bool, v: v128, best: v128): v128 {
  const wins = v128.or(f64x2.ne(v, v), MIN ? f64x2.lt(v, best) : f64x2.gt(v, best));
  return v128.and(wins, f64x2.eq(best, best));
}

@inline function argCols32(MIN: bool, x: usize, rows: i32, n: i32, best: usize, idx: usize, k0: i32): void {
  for (let i = 0; i < rows; i++) {
    const k = i32x4.splat(k0 + i);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = (<usize>j) << 2;
      const b = v128.load(best + o), v = v128.load(x + o);
      const w = better32(MIN, v, b);
      v128.store(best + o, v128.bitselect(v, b, w));
      v128.store(idx + o, v128.bitselect(k, v128.load(idx + o), w));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 2;
      const b = load<f32>(best + o), v = load<f32>(x + o);
      if (b == b && (v != v || (MIN ? v < b : v > b))) {
        store<f32>(best + o, v);
        store<i32>(idx + o, k0 + i);
      }
    }
    x += (<usize>n) << 2;
  }
}

// float64: the indices are kept as float64 lanes (exact integers) so they share the value masks.
@inline function argCols64(MIN: bool, x: usize, rows: i32, n: i32, best: usize, idx: usize, k0: i32): void {
  for (let i = 0; i < rows; i++) {
    const kf = <f64>(k0 + i);
    const k = f64x2.splat(kf);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = (<usize>j) << 3;
      const b = v128.load(best + o), v = v128.load(x + o);
      const w = better64(MIN, v, b);
      v128.store(best + o, v128.bitselect(v, b, w));
      v128.store(idx + o, v128.bitselect(k, v128.load(idx + o), w));
    }
    for (; j < n; j++) {
      const o = (<usize>j) << 3;
      const b = load<f64>(best + o), v = load<f64>(x + o);
      if (b == b && (v != v || (MIN ? v < b : v > b))) {
        store<f64>(best + o, v);
        store<f64>(idx + o, kf);
      }
    }
    x += (<usize>n) << 3;
  }
}

/**
 * Folds `rows` rows of n elements at x (row indices k0, k0 + 1, …) into the per-column best value
 * (element-sized slots at best) and index (i32 for float32, float64 for float64, at idx).
 */
export function argColumns(f64: i32, isMin: i32, x: usize, rows: i32, n: i32, best: usize, idx: usize, k0: i32): void {
  if (f64) {
    if (isMin) argCols64(true, x, rows, n, best, idx, k0);
    else argCols64(false, x, rows, n, best, idx, k0);
  } else if (isMin) argCols32(true, x, rows, n, best, idx, k0);
  else argCols32(false, x, rows, n, best, idx, k0);
}
