/**
 * Spectrum of a Kronecker power after removing one node's self-loop: a symmetric rank-1 update
 * A − a_vv·e_v·e_vᵀ solved by the secular equation on the factored spectrum, never a dense eig.
 */
import { ArgumentError } from "@fcn/tensor";
import { eigh } from "../linalg/eigh.js";
import { type Matrix, isSymmetric } from "../linalg/matrix.js";
import { rankOneUpdate } from "../linalg/secular.js";
import { validateInitiator } from "./initiator.js";
import { assertPower } from "./product.js";
import { DISTINCT_VALUE_LIMIT, MERGE_TOLERANCE, type Spectrum, mergeSpectrum } from "./spectrum.js";
import { asMatrix } from "../linalg/asMatrix.js";

interface Pole {
  value: number;
  multiplicity: number;
  weight: number;
}

/**
 * Eigenvalues of K₀^{⊗k} − (K₀^{⊗k})_{vv}·e_v·e_vᵀ for a symmetric initiator: the factor
 * eigenvectors give z = Qᵀe_v = ⊗ⱼ Q₀[v_j, ·], whose squared entries, summed per distinct
 * eigenvalue, are the weights of the secular equation 1 − a_vv·Σ wⱼ/(dⱼ − λ) = 0.
 * @example selfLoopRemovedSpectrum(sierpinski(), 30) // spectrum of the 2³⁰-node binarized graph
 */
export function selfLoopRemovedSpectrum(initiator: Matrix, k: number, node = 0): Spectrum {
  initiator = asMatrix(initiator, "selfLoopRemovedSpectrum", "initiator");
  validateInitiator(initiator);
  assertPower(k);
  if (!isSymmetric(initiator, 1e-12)) throw new ArgumentError("selfLoopRemovedSpectrum: initiator must be symmetric");
  const m = initiator.rows;
  if (!Number.isInteger(node) || node < 0 || node >= m ** k) {
    throw new ArgumentError(`selfLoopRemovedSpectrum: node ${node} is outside 0..${m ** k - 1}`);
  }
  const digits = toDigits(node, m, k);
  const { values, vectors } = eigh(initiator);
  let loop = 1;
  for (const digit of digits) loop *= initiator.data[digit * m + digit];
  let poles: Pole[] = [{ value: 1, multiplicity: 1, weight: 1 }];
  for (const digit of digits) {
    const next: Pole[] = [];
    for (const p of poles) {
      for (let a = 0; a < m; a++) {
        const q = vectors.data[digit * m + a]; // component v_j of factor eigenvector a
        next.push({ value: p.value * values[a], multiplicity: p.multiplicity, weight: p.weight * q * q });
      }
    }
    if (next.length > DISTINCT_VALUE_LIMIT) throw new ArgumentError(`selfLoopRemovedSpectrum: more than ${DISTINCT_VALUE_LIMIT} distinct values`);
    poles = mergePoles(next);
  }
  return mergeSpectrum(rankOneUpdate(poles, -loop));
}

function mergePoles(poles: Pole[]): Pole[] {
  poles.sort((a, b) => a.value - b.value);
  const scale = poles.reduce((s, p) => Math.max(s, Math.abs(p.value)), 0);
  const out: Pole[] = [];
  for (const p of poles) {
    const last = out[out.length - 1];
    const close = Math.max(64 * 2 ** -52 * scale, MERGE_TOLERANCE * Math.max(Math.abs(p.value), Math.abs(last?.value ?? 0)));
    if (last && p.value - last.value <= close) {
      last.multiplicity += p.multiplicity;
      last.weight += p.weight;
    } else out.push({ ...p });
  }
  return out;
}

/** Base-m digits of a node index, most significant first (the Kronecker index order). */
export function toDigits(node: number, m: number, k: number): number[] {
  const digits = new Array<number>(k).fill(0);
  let rest = node;
  for (let j = k - 1; j >= 0; j--) {
    digits[j] = rest % m;
    rest = Math.floor(rest / m);
  }
  return digits;
}
