import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { HALF_MAX, fromHalfBits, halfBits, roundToHalf, toHalf } from "../src/half.js";

/** Every finite non-negative half value, ascending (bit patterns 0x0000…0x7bff). */
const HALVES = fromHalfBits(Uint16Array.from({ length: 0x7c00 }, (_, i) => i));

/** Reference rounding by search: the nearest half, ties to the even bit pattern, ≥ 65520 → ∞. */
function nearestHalf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = HALVES.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (HALVES[mid] <= a) lo = mid;
    else hi = mid;
  }
  const dl = a - HALVES[lo];
  const dh = HALVES[hi] - a;
  const pick = dl < dh ? lo : dh < dl ? hi : lo % 2 === 0 ? lo : hi;
  const v = HALVES[pick];
  return x < 0 || Object.is(x, -0) ? -v : v;
}

describe("half-precision conversions", () => {
  it("decodes known bit patterns", () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x3555, 0x7c00, 0xfc00, 0x8000];
    const want = [1, -2, 65504, 2 ** -24, 2 ** -14, 0.333251953125, Infinity, -Infinity, -0];
    expect(Array.from(fromHalfBits(bits))).toEqual(want);
    expect(Number.isNaN(fromHalfBits([0x7e00])[0])).toBe(true);
    expect(HALF_MAX).toBe(65504);
  });

  it("every half value is a fixed point of rounding, and its bits round-trip", () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const values = fromHalfBits(all);
    const rounded = roundToHalf(values.slice());
    const back = halfBits(values);
    for (let h = 0; h < 65536; h++) {
      const isNaN = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNaN) {
        expect(Number.isNaN(rounded[h])).toBe(true);
        continue;
      }
      if (!Object.is(rounded[h], values[h]) || back[h] !== h) throw new Error(`half 0x${h.toString(16)}: ${rounded[h]} / 0x${back[h].toString(16)}`);
    }
  });

  it("midpoints between neighbours round to the even one, and a hair off them to the nearer", () => {
    const f = new Float32Array(3);
    for (let i = 0; i + 1 < HALVES.length; i++) {
      const mid = (HALVES[i] + HALVES[i + 1]) / 2; // exact in float32 (12 significant bits)
      const even = i % 2 === 0 ? HALVES[i] : HALVES[i + 1];
      const below = mid - (HALVES[i + 1] - HALVES[i]) / 1024;
      const above = mid + (HALVES[i + 1] - HALVES[i]) / 1024;
      f.set([mid, below, above]);
      roundToHalf(f);
      if (f[0] !== even || f[1] !== HALVES[i] || f[2] !== HALVES[i + 1]) throw new Error(`between ${HALVES[i]} and ${HALVES[i + 1]}: ${Array.from(f)}`);
    }
  });

  it("overflow gives ±∞ from 65520 up, underflow keeps the sign of zero", () => {
    expect(Array.from(roundToHalf(Float32Array.from([65519, 65520, -65520, 1e9, 2 ** -25, -(2 ** -26), 3e-8])))).toEqual([
      65504, Infinity, -Infinity, Infinity, 0, -0, 2 ** -24,
    ]);
  });

  it("rounds any float32 to the nearest half (property, against a search of all halves)", () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (x) => {
        expect(Object.is(toHalf(x), nearestHalf(x))).toBe(true);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe("float16 tensors", () => {
  it("hold half values from creation on and compute in float32 with one rounding per op", () => {
    const a = T.tensor([1 / 3, 1000.7, -2.1e-6], { dtype: "float16" });
    expect(a.dtype).toBe("float16");
    expect(Array.from(a.dataSync())).toEqual([1 / 3, 1000.7, -2.1e-6].map(toHalf));
    const b = T.tensor([0.1, 0.2, 0.3], { dtype: "float16" });
    const sum = a.add(b).dataSync();
    const av = a.dataSync();
    const bv = b.dataSync();
    expect(Array.from(sum)).toEqual([0, 1, 2].map((i) => toHalf(Math.fround(av[i] + bv[i]))));
    expect(T.exp(a).dtype).toBe("float16");
    expect(T.matmul(a.reshape([1, 3]), b.reshape([3, 1])).dtype).toBe("float16");
  });

  it("overflows to infinity where half precision does", () => {
    const x = T.tensor([60000, -60000, 100], { dtype: "float16" });
    expect(Array.from(x.mul(2).dataSync())).toEqual([Infinity, -Infinity, 200]);
    expect(Array.from(x.cast("float32").mul(2).dataSync())).toEqual([120000, -120000, 200]);
    expect(T.tensor([70000], { dtype: "float16" }).item()).toBe(Infinity);
  });

  it("promotes with the other dtypes: float16 < float32, integers and bools below it", () => {
    const h = T.tensor([1.5], { dtype: "float16" });
    expect(h.add(T.tensor([1], { dtype: "float32" })).dtype).toBe("float32");
    expect(h.add(T.tensor([1], { dtype: "int32" })).dtype).toBe("float16");
    expect(h.mul(2.5).dtype).toBe("float16");
    expect(T.tensor([1], { dtype: "int32" }).div(T.tensor([3], { dtype: "float16" })).dataSync()[0]).toBe(toHalf(1 / 3));
    expect(T.cast(T.tensor([2.2]), "float16").cast("float64").item()).toBe(toHalf(2.2));
  });

  it("gradients of float16 values are float16 and agree with float64 to half precision", () => {
    const values = [0.5, -1.25, 2, 0.75, -0.3, 1.1];
    const run = (dtype: T.DType) => {
      const x = T.tensor(values, { dtype, shape: [2, 3], requiresGrad: true });
      const w = T.tensor(values.map((v) => v / 2), { dtype, shape: [3, 2], requiresGrad: true });
      T.matmul(x, w).tanh().mul(x.sum(1, true)).softmax(-1).log().sum().backward();
      return [x.grad!, w.grad!];
    };
    const half = run("float16");
    const exact = run("float64");
    for (let k = 0; k < 2; k++) {
      expect(half[k].dtype).toBe("float16");
      const h = half[k].dataSync();
      const e = exact[k].dataSync();
      for (let i = 0; i < h.length; i++) expect(Math.abs(h[i] - e[i])).toBeLessThan(1e-2 * (1 + Math.abs(e[i])));
    }
  });

  it("fused optimizer steps keep float16 parameters on the half grid", () => {
    const p = T.tensor([0.1, 0.2, 0.3], { dtype: "float16", requiresGrad: true });
    const g = T.tensor([1e-3, -2e-3, 3e-3], { dtype: "float16" });
    const m = T.zerosLike(p);
    const v = T.zerosLike(p);
    T.adamUpdate(p, g, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
    for (const t of [p, m, v]) for (const x of t.dataSync()) expect(toHalf(x)).toBe(x);
    expect(p.dataSync()[0]).toBeLessThan(toHalf(0.1));
  });

  it("memory counts float16 storage as the Float32Array it uses on the CPU", () => {
    const before = T.memory().bytes.cpu ?? 0;
    const x = T.zeros([10], { dtype: "float16" });
    expect((T.memory().bytes.cpu ?? 0) - before).toBe(40);
    x.dispose();
    expect(T.memory().bytes.cpu ?? 0).toBe(before);
    expect(T.bytesPerElement("float16")).toBe(2);
  });
});
