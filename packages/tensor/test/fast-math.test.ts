import { afterEach, describe, expect, it } from "vitest";
import {
  ArgumentError, type Tensor, add, erf, exp, getMathMode, keep, log, logSoftmax, matmul, mean, setMathMode, sgdUpdate, sigmoid, softmax, sum,
  tanh, tensor, tidy, zeros,
} from "../src";
import { fastMath } from "../src/math-mode";
import { erf as erf64 } from "../src/backend/cpu/erf";
import { ELEMENTWISE_WASM, ELEMENTWISE_WASM_RELAXED } from "../src/backend/cpu/gemm/wasm-bytes";
import { gemmModule, gemmVariant } from "../src/backend/cpu/gemm/module";

/** Which build of the elementwise module the backend runs (it follows the gemm's choice). */
function elementwiseVariantLabel(): string {
  gemmModule();
  return gemmVariant === "relaxed" ? "the relaxed-SIMD build" : "the plain-SIMD build";
}

/** The bytes of the build the backend does not run. */
function otherBuild(): Uint8Array<ArrayBuffer> {
  gemmModule();
  const bin = atob(gemmVariant === "relaxed" ? ELEMENTWISE_WASM : ELEMENTWISE_WASM_RELAXED);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const bitsScratch = new Float32Array(1);
const bitsView = new Int32Array(bitsScratch.buffer);
/** The float32 bit pattern of x, as an int32. */
function bitsOf(x: number): number {
  bitsScratch[0] = x;
  return bitsView[0];
}

// Fast float32 math mode (setMathMode("fast")): the approximations' maximum errors in float32 ulps
// against Math.fround(Math.<op>(x)), the sums' error bound, and exact mode left bit-identical.

afterEach(() => setMathMode("exact"));

/** The bounds stated in docs/gemm.md ("Fast float32 math"), in float32 ulps. */
const ULP_BOUND = { exp: 1, log: 1, tanh: 1, sigmoid: 2, erf: 1 } as const;
type Op = keyof typeof ULP_BOUND;

const sigmoid64 = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
// erf: the exact kernel's series (about 1e-15), far inside a float32 ulp.
const REFERENCE: Record<Op, (x: number) => number> = { exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: sigmoid64, erf: erf64 };
const OPS: Record<Op, (x: Tensor) => Tensor> = { exp, log, tanh, sigmoid, erf };

/** Position of a float32 bit pattern on the number line, so that neighbours differ by 1 (−0 = +0). */
const ord = (bits: number): number => (bits >= 0 ? bits : -2147483648 - bits);

/**
 * The largest distance in ulps between op(x) in fast mode and Math.fround(reference(x)); a NaN on
 * one side only counts as Infinity. Inputs are run as one tensor (≥ 32 elements take the kernel).
 */
function maxUlps(op: Op, x: Float32Array): { ulps: number; at: number } {
  const got = OPS[op](tensor(x)).dataSync() as Float32Array;
  const want = new Float32Array(x.length);
  const f = REFERENCE[op];
  for (let i = 0; i < x.length; i++) want[i] = f(x[i]);
  const gi = new Int32Array(got.buffer, got.byteOffset, got.length);
  const wi = new Int32Array(want.buffer);
  let ulps = 0;
  let at = NaN;
  for (let i = 0; i < x.length; i++) {
    const g = got[i];
    const w = want[i];
    const d = w !== w || g !== g ? (w !== w && g !== g ? 0 : Infinity) : Math.abs(ord(gi[i]) - ord(wi[i]));
    if (d > ulps) {
      ulps = d;
      at = x[i];
    }
  }
  return { ulps, at };
}

/** Every `step`-th float32 bit pattern, both signs, subnormals, ±∞ and NaNs included, in batches. */
function* bitPatterns(step: number, batch = 1 << 20): Generator<Float32Array> {
  const buf = new Uint32Array(batch);
  for (let b = 0; b < 2 ** 32; ) {
    let n = 0;
    for (; n < batch && b < 2 ** 32; b += step) buf[n++] = b;
    yield new Float32Array(buf.buffer, 0, n);
  }
}

const f32 = Math.fround;
/** ±3 ulps around each value. */
function around(values: number[]): number[] {
  const out: number[] = [];
  const a = new Float32Array(1);
  const i = new Int32Array(a.buffer);
  for (const v of values) {
    a[0] = v;
    const b = i[0];
    for (let d = -3; d <= 3; d++) {
      i[0] = b + d;
      out.push(a[0]);
    }
  }
  return out;
}
/** Inputs where the approximations change formula or the result leaves the normal range. */
const EDGES: Record<Op, number[]> = {
  exp: around([88.72283172607422, 88.72283935546875, 88.3762626647949, -87.33654475, -103.97207708, -103.2789, -104, 0.34657359, -0.34657359, 1e-7, -1e-7]),
  log: around([1, 0.70710678, 1.41421356, 2 ** -126, 2 ** -149, 3.4028234663852886e38, 0.5, 2]),
  tanh: around([0.625, -0.625, 9.01, -9.01, 44.36, 1e-20, -1e-20]),
  sigmoid: around([88.72283172607422, -88.72283172607422, -103.97207708, -87.33654475, 17, -17, 0.5, -0.5]),
  erf: around([1, -1, 4, -4, 3.9192, -3.9192, 2, 1e-20, -1e-20, 1e-38, 0.5]),
};
const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 1.4e-45, -1.4e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1, -1];

describe("fast math mode: switch", () => {
  it("defaults to exact, round-trips, and is one process-wide setting", () => {
    expect(getMathMode()).toBe("exact");
    setMathMode("fast");
    expect(getMathMode()).toBe("fast");
    expect(fastMath()).toBe(true); // the backend reads the same setting
    setMathMode("exact");
    expect(getMathMode()).toBe("exact");
    expect(fastMath()).toBe(false);
  });

  it("rejects anything else with an ArgumentError naming the value", () => {
    for (const bad of ["Fast", "tf32", "", undefined, null, 1, true] as unknown[]) {
      expect(() => setMathMode(bad as "fast")).toThrow(ArgumentError);
    }
    expect(() => setMathMode("turbo" as "fast")).toThrow(/setMathMode: mode must be "exact" or "fast", got "turbo"/);
    expect(getMathMode()).toBe("exact");
  });
});

describe("fast math mode: unary ops", () => {
  for (const op of Object.keys(ULP_BOUND) as Op[]) {
    it(`${op}: ≤ ${ULP_BOUND[op]} ulp over every 97th float32 bit pattern, the edges and special values`, () => {
      setMathMode("fast");
      let worst = { ulps: 0, at: NaN };
      for (const x of bitPatterns(97)) {
        const r = maxUlps(op, x);
        if (r.ulps > worst.ulps) worst = r;
      }
      const edges = maxUlps(op, Float32Array.from([...EDGES[op], ...SPECIALS, ...SPECIALS, ...SPECIALS]));
      if (edges.ulps > worst.ulps) worst = edges;
      expect(worst.ulps, `${op} at x = ${worst.at}`).toBeLessThanOrEqual(ULP_BOUND[op]);
      // The fast path really ran: it is not the exact kernel (which is within 0.5 ulp everywhere here).
      const x = Float32Array.from({ length: 4096 }, (_, i) => (i - 2048) / 300 + 0.001);
      const exact = (setMathMode("exact"), OPS[op](tensor(x)).dataSync());
      const fast = (setMathMode("fast"), OPS[op](tensor(x)).dataSync());
      expect(fast).not.toEqual(exact);
    }, 120_000);
  }

  it("special values come out exactly", () => {
    setMathMode("fast");
    const pad = (xs: number[]) => Float32Array.from({ length: 64 }, (_, i) => xs[i % xs.length]);
    const check = (f: (t: Tensor) => Tensor, pairs: [number, number][]) => {
      const got = f(tensor(pad(pairs.map((p) => p[0])))).dataSync();
      pairs.forEach(([x, y], i) => expect(Object.is(got[i], y), `${x} → ${got[i]}, expected ${y}`).toBe(true));
    };
    check(exp, [[NaN, NaN], [Infinity, Infinity], [-Infinity, 0], [0, 1], [-0, 1], [89, Infinity], [f32(88.72283935546875), Infinity],
      [1e30, Infinity], [-104, 0], [-1e30, 0], [f32(-103.2789), f32(Math.exp(f32(-103.2789)))]]);
    check(log, [[0, -Infinity], [-0, -Infinity], [-1, NaN], [-Infinity, NaN], [Infinity, Infinity], [NaN, NaN], [1, 0], [-1.4e-45, NaN]]);
    check(tanh, [[0, 0], [-0, -0], [Infinity, 1], [-Infinity, -1], [NaN, NaN], [20, 1], [-20, -1]]);
    check(sigmoid, [[Infinity, 1], [-Infinity, 0], [NaN, NaN], [0, 0.5], [-0, 0.5], [-200, 0], [40, 1]]);
    check(erf, [[0, 0], [-0, -0], [Infinity, 1], [-Infinity, -1], [NaN, NaN], [4, 1], [-4, -1], [1e30, 1], [-1e30, -1]]);
  });

  it("float64 tensors and exact mode keep the exact kernels' bits", () => {
    const x64 = Float64Array.from({ length: 3000 }, (_, i) => (i - 1500) / 97 + 1e-3);
    const x32 = Float32Array.from(x64);
    for (const op of Object.keys(OPS) as Op[]) {
      setMathMode("exact");
      const exact64 = OPS[op](tensor(x64)).dataSync();
      setMathMode("fast");
      expect(OPS[op](tensor(x64)).dataSync()).toEqual(exact64);
      setMathMode("exact");
      const back = OPS[op](tensor(x32)).dataSync();
      for (let i = 0; i < x32.length; i++) expect(Object.is(back[i], f32(REFERENCE[op](x32[i])))).toBe(true);
    }
  });
});

/**
 * The module runs in its relaxed-SIMD build where the runtime accepts it (fused multiply-adds) and in
 * its plain build elsewhere; the bounds hold for both. This instantiates the build not in use.
 */
describe("fast math mode: the other build of the module", () => {
  const bytes = otherBuild();
  // A runtime without relaxed SIMD cannot compile that build at all (and then never runs it).
  it.skipIf(!WebAssembly.validate(bytes))(`meets the same ulp bounds (${elementwiseVariantLabel()} is in use)`, () => {
    const memory = new WebAssembly.Memory({ initial: 64 });
    const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as {
      fastUnary32(op: number, x: number, out: number, n: number): void;
      scratchBase(): number;
    };
    const base = Math.ceil(k.scratchBase() / 64) * 64;
    const chunk = 1 << 16;
    const xs = new Float32Array(memory.buffer, base, chunk);
    const ys = new Float32Array(memory.buffer, base + 4 * chunk, chunk);
    const ops: [Op, number][] = [["exp", 0], ["log", 1], ["tanh", 2], ["sigmoid", 3], ["erf", 8]];
    for (const [op, code] of ops) {
      let worst = 0;
      for (const x of bitPatterns(997, chunk)) {
        xs.set(x);
        k.fastUnary32(code, base, base + 4 * chunk, x.length);
        for (let i = 0; i < x.length; i++) {
          const w = Math.fround(REFERENCE[op](x[i]));
          const g = ys[i];
          if (w !== w || g !== g) {
            if ((w !== w) !== (g !== g)) expect.fail(`${op}(${x[i]}): ${g}, expected ${w}`);
            continue;
          }
          const d = Math.abs(ord(bitsOf(g)) - ord(bitsOf(w)));
          if (d > worst) worst = d;
        }
      }
      expect(worst, op).toBeLessThanOrEqual(ULP_BOUND[op]);
    }
  }, 60_000);
});

/** float64 softmax (or log-softmax) of float32 rows, rounded to float32: the reference. */
function softmaxRef(x: Float32Array, n: number, isLog: boolean): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x[r * n + j]);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[r * n + j] - m);
    for (let j = 0; j < n; j++) out[r * n + j] = isLog ? x[r * n + j] - m - Math.log(s) : Math.exp(x[r * n + j] - m) / s;
  }
  return out;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2147483648 - 1);
}

/** Softmax outputs within this many ulps of the float64 reference (docs/gemm.md). */
const SOFTMAX_ULPS = 3;
const LOG_SOFTMAX_ULPS = 3;

describe("fast math mode: softmax and logSoftmax", () => {
  it(`stay within ${SOFTMAX_ULPS} / ${LOG_SOFTMAX_ULPS} ulps of the float64 result`, () => {
    const next = lcg(5);
    const worst = [0, 0];
    let differs = false;
    for (const [rows, n, scale] of [[64, 1024, 4], [40, 1000, 20], [200, 3, 2], [33, 257, 0.01], [16, 4099, 50], [300, 17, 1e-6]] as const) {
      const x = Float32Array.from({ length: rows * n }, () => next() * scale);
      const t = tensor(x, { shape: [rows, n] });
      for (const [k, isLog] of [[0, false], [1, true]] as const) {
        setMathMode("exact");
        const exact = (isLog ? logSoftmax(t) : softmax(t)).dataSync() as Float32Array;
        setMathMode("fast");
        const got = (isLog ? logSoftmax(t) : softmax(t)).dataSync() as Float32Array;
        const want = softmaxRef(x, n, isLog);
        const gi = new Int32Array(got.buffer, got.byteOffset, got.length);
        const wi = new Int32Array(want.buffer);
        for (let i = 0; i < got.length; i++) worst[k] = Math.max(worst[k], Math.abs(ord(gi[i]) - ord(wi[i])));
        differs ||= got.some((v, i) => !Object.is(v, exact[i]));
      }
    }
    expect(worst[0]).toBeLessThanOrEqual(SOFTMAX_ULPS);
    expect(worst[1]).toBeLessThanOrEqual(LOG_SOFTMAX_ULPS);
    expect(differs).toBe(true); // the fast path ran
  });

  it("masked (−∞) logits, NaN rows and all-masked rows come out as in exact mode", () => {
    const n = 37;
    const rows = [
      Array.from({ length: n }, (_, j) => (j % 3 === 0 ? -Infinity : j / 7)),
      Array.from({ length: n }, (_, j) => (j === 5 ? NaN : j)),
      Array.from({ length: n }, () => -Infinity),
      Array.from({ length: n }, (_, j) => (j === 9 ? Infinity : j)),
      Array.from({ length: n }, (_, j) => (j === 0 ? 0 : -Infinity)),
    ];
    const t = tensor(Float32Array.from(rows.flat()), { shape: [rows.length, n] });
    for (const f of [softmax, logSoftmax]) {
      setMathMode("exact");
      const exact = f(t).dataSync();
      setMathMode("fast");
      const fast = f(t).dataSync();
      for (let i = 0; i < exact.length; i++) {
        const e = exact[i];
        if (e !== e || e === 0 || e === 1 || !Number.isFinite(e)) expect(Object.is(fast[i], e), `element ${i}: ${fast[i]} vs ${e}`).toBe(true);
        else expect(Math.abs(fast[i] - e)).toBeLessThanOrEqual(4 * Math.abs(e) * 2 ** -23);
      }
    }
  });
});

/** The sum kernel's bound: |F − S| ≤ γ₁₉·Σ|x| + small float64 terms, then ½ ulp for the rounding. */
function sumBound(absSum: number, n: number, result: number): number {
  const u = 2 ** -24;
  const ulp = result === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(result))) - 23);
  return ((19 * u) / (1 - 19 * u) + (n / 256 + 8) * 2 ** -53) * absSum + ulp / 2;
}

describe("fast math mode: sum and mean of float32", () => {
  it("stay within the stated bound, all and along the last axis, and float64 is unchanged", () => {
    const next = lcg(9);
    const gens: [string, () => number][] = [["uniform(-1,1)", next], ["uniform(0,1)", () => (next() + 1) / 2], ["1000 + noise", () => 1000 + next()],
      ["mixed scales", () => next() * 10 ** Math.round(4 * next())]];
    let differs = false;
    for (const [name, g] of gens) {
      for (const n of [64, 100, 511, 512, 513, 1000, 4099, 16384, 16385, 70000]) {
        const x = Float32Array.from({ length: n }, g);
        let s = 0;
        let a = 0;
        for (const v of x) {
          s += v;
          a += Math.abs(v);
        }
        setMathMode("fast");
        const got = sum(tensor(x)).item();
        expect(Math.abs(got - s), `${name}, n = ${n}`).toBeLessThanOrEqual(sumBound(a, n, s));
        expect(Math.abs(mean(tensor(x)).item() - s / n)).toBeLessThanOrEqual(sumBound(a, n, s) / n + Math.abs(s / n) * 2 ** -23);
        setMathMode("exact");
        differs ||= got !== sum(tensor(x)).item();
      }
      // Along the last axis, rows of 300 and of 20,000 (longer than a chunk).
      for (const [rows, n] of [[50, 300], [3, 20000]] as const) {
        const x = Float32Array.from({ length: rows * n }, g);
        setMathMode("fast");
        const got = sum(tensor(x, { shape: [rows, n] }), 1).dataSync();
        const means = mean(tensor(x, { shape: [rows, n] }), -1).dataSync();
        for (let r = 0; r < rows; r++) {
          let s = 0;
          let a = 0;
          for (let j = r * n; j < (r + 1) * n; j++) {
            s += x[j];
            a += Math.abs(x[j]);
          }
          expect(Math.abs(got[r] - s)).toBeLessThanOrEqual(sumBound(a, n, s));
          expect(Math.abs(means[r] - s / n)).toBeLessThanOrEqual(sumBound(a, n, s) / n + Math.abs(s / n) * 2 ** -23);
        }
      }
    }
    expect(differs).toBe(true); // the float32 accumulation ran
    const x64 = Float64Array.from({ length: 5000 }, next);
    setMathMode("exact");
    const exact = [sum(tensor(x64)).item(), ...sum(tensor(x64, { shape: [50, 100] }), 1).dataSync()];
    setMathMode("fast");
    expect([sum(tensor(x64)).item(), ...sum(tensor(x64, { shape: [50, 100] }), 1).dataSync()]).toEqual(exact);
  });
});

describe("fast math mode: training", () => {
  /** A float32 4→48→3 MLP (tanh, sigmoid gate, exp-scaled output, log-softmax cross-entropy), SGD. */
  function train(steps: number): { first: number; last: number; weights: Float32Array } {
    const next = lcg(21);
    const batch = 96;
    const xv = Float32Array.from({ length: batch * 4 }, next);
    const labels = Float32Array.from({ length: batch * 3 }, (_, i) => {
      const r = Math.floor(i / 3);
      const c = xv[4 * r] + xv[4 * r + 1] > 0.3 ? 0 : xv[4 * r + 2] > 0 ? 1 : 2;
      return i % 3 === c ? 1 : 0;
    });
    const x = tensor(xv, { shape: [batch, 4] });
    const y = tensor(labels, { shape: [batch, 3] });
    const w1 = tensor(Float32Array.from({ length: 4 * 48 }, () => next() * 0.8), { shape: [4, 48] }).requireGrad();
    const b1 = tensor(new Float32Array(48), { shape: [48] }).requireGrad();
    const w2 = tensor(Float32Array.from({ length: 48 * 3 }, () => next() * 0.3), { shape: [48, 3] }).requireGrad();
    const params = [w1, b1, w2];
    const momenta = params.map((p) => keep(zeros(p.shape)));
    const losses: number[] = [];
    for (let t = 1; t <= steps; t++) {
      tidy(() => {
        const pre = add(matmul(x, w1), b1);
        const h = tanh(pre).mul(sigmoid(pre)).mul(exp(pre.mul(0.1)));
        const logits = matmul(h, w2);
        const loss = logSoftmax(logits).mul(y).sum().mul(-1 / batch);
        losses.push(loss.item());
        loss.backward();
        params.forEach((p, i) => {
          sgdUpdate(p, p.grad!, momenta[i], { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, firstStep: t === 1 });
          p.grad!.dispose();
          p.grad = null;
        });
      });
    }
    const weights = Float32Array.from(w1.dataSync() as Float32Array);
    for (const t of [x, y, ...params, ...momenta]) t.dispose();
    return { first: losses[0], last: losses[losses.length - 1], weights };
  }

  it("a small MLP still learns, and its weights differ from exact mode's", () => {
    setMathMode("fast");
    const fast = train(150);
    setMathMode("exact");
    const exact = train(150);
    expect(fast.last).toBeLessThan(0.5 * fast.first);
    expect(Math.abs(fast.last - exact.last)).toBeLessThan(0.05 * exact.first);
    expect(fast.weights).not.toEqual(exact.weights);
  });
});
