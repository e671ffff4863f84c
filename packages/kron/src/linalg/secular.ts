/**
 * Eigenvalues of a symmetric rank-1 update D + ρ·z·zᵀ from the spectrum of D, by solving the
 * secular equation f(λ) = 1 + ρ·Σⱼ wⱼ/(dⱼ − λ) = 0 (Golub 1973; the kernel of LAPACK's dlaed4).
 */
import { ArgumentError } from "@fcn/tensor";

/** One eigenspace of D: its eigenvalue, dimension, and the squared norm of z's projection on it. */
export interface SecularPole {
  readonly value: number;
  readonly multiplicity: number;
  /** wⱼ = ‖Pⱼ z‖², the weight of z in this eigenspace. */
  readonly weight: number;
}

/** An eigenvalue with its multiplicity. */
export interface ValueWithMultiplicity {
  value: number;
  multiplicity: number;
}

/**
 * Spectrum of D + ρ·z·zᵀ given D's eigenspaces and z's weights on them. Each eigenspace with
 * w > 0 keeps its eigenvalue with multiplicity m − 1 and contributes one root of the secular
 * equation; eigenspaces with w = 0 are untouched. Roots interlace the poles (Cauchy interlacing).
 * @example rankOneUpdate([{ value: 0, multiplicity: 1, weight: 1 }], 2) // [{ value: 2, multiplicity: 1 }]
 */
export function rankOneUpdate(poles: readonly SecularPole[], rho: number): ValueWithMultiplicity[] {
  if (!Number.isFinite(rho)) throw new ArgumentError(`rankOneUpdate: rho must be finite, got ${rho}`);
  for (const pole of poles) {
    if (!Number.isFinite(pole.value) || !(pole.weight >= 0) || !Number.isFinite(pole.weight)) {
      throw new ArgumentError(`rankOneUpdate: pole ${pole.value} has weight ${pole.weight}; finite value and weight ≥ 0 required`);
    }
  }
  const totalWeight = poles.reduce((s, p) => s + p.weight, 0);
  const out: ValueWithMultiplicity[] = [];
  const active: SecularPole[] = [];
  for (const pole of poles) {
    const deflated = pole.weight <= 1e-30 * totalWeight || rho === 0;
    const remaining = deflated ? pole.multiplicity : pole.multiplicity - 1;
    if (remaining > 0) out.push({ value: pole.value, multiplicity: remaining });
    if (!deflated) active.push(pole);
  }
  active.sort((a, b) => a.value - b.value);
  const d = active.map((p) => p.value);
  const w = active.map((p) => p.weight);
  const p = d.length;
  for (let i = 0; i < p; i++) {
    // Bracket of root i: between consecutive poles, or beyond the outermost one by at most |ρ|·Σw.
    let lower: number;
    let upper: number;
    if (rho > 0) {
      lower = d[i];
      upper = i + 1 < p ? d[i + 1] : d[p - 1] + rho * totalWeight;
    } else {
      lower = i > 0 ? d[i - 1] : d[0] + rho * totalWeight;
      upper = d[i];
    }
    out.push({ value: bisectRoot(d, w, rho, lower, upper), multiplicity: 1 });
  }
  return out.sort((a, b) => a.value - b.value);
}

/** Bisection on f, which is monotone between consecutive poles (f' = ρ·Σ wⱼ/(dⱼ − λ)²). */
function bisectRoot(d: number[], w: number[], rho: number, lower: number, upper: number): number {
  const increasing = rho > 0;
  let lo = lower;
  let hi = upper;
  for (let iteration = 0; iteration < 2000; iteration++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    let f = 1;
    for (let j = 0; j < d.length; j++) f += (rho * w[j]) / (d[j] - mid);
    if (f === 0) return mid;
    if (f > 0 === increasing) hi = mid;
    else lo = mid;
  }
  return lo + (hi - lo) / 2;
}
