/** The benchmark cases, identical for every engine (the PyTorch script receives this list). */
import type { CaseSpec, ElementwiseOp, MlpParams } from "./harness";

const MATMUL_VARIANTS = [
  { name: "AB", label: "A·B", transposeA: false, transposeB: false },
  { name: "AtB", label: "Aᵀ·B", transposeA: true, transposeB: false },
  { name: "ABt", label: "A·Bᵀ", transposeA: false, transposeB: true },
] as const;

const ELEMENTWISE: { op: ElementwiseOp; label: string; group: CaseSpec["group"] }[] = [
  { op: "add", label: "add a+b", group: "elementwise" },
  { op: "mul", label: "mul a·b", group: "elementwise" },
  { op: "exp", label: "exp", group: "elementwise" },
  { op: "erf", label: "erf (gelu's core)", group: "elementwise" },
  { op: "addRow", label: "broadcast add a+row", group: "elementwise" },
  { op: "sum", label: "sum (all)", group: "reduction" },
  { op: "sumAxis0", label: "sum axis 0", group: "reduction" },
  { op: "sumAxis1", label: "sum axis 1", group: "reduction" },
  { op: "max", label: "max (all)", group: "reduction" },
];

/** Cases repeated in fast float32 math mode, with the error bound each is held to (test/fast-math.test.ts). */
const FAST_MODE: { id: string; op: ElementwiseOp; label: string; group: CaseSpec["group"]; bound: string }[] = [
  { id: "exp-1M", op: "exp", label: "exp [1024, 1024]", group: "elementwise", bound: "≤ 1 ulp" },
  { id: "erf-1M", op: "erf", label: "erf [1024, 1024]", group: "elementwise", bound: "≤ 1 ulp" },
  { id: "softmax-1024x1024", op: "softmax", label: "softmax [1024, 1024] axis −1", group: "softmax", bound: "≤ 3 ulp" },
  { id: "sum-1M", op: "sum", label: "sum (all) [1024, 1024]", group: "reduction", bound: "≤ 1.2e-6·Σ|x|" },
];

/** The training step: a 2→64→64→1 MLP (ReLU, MSE) with Adam, batch 64. */
export const MLP: MlpParams = { kind: "mlp", batch: 64, layers: [2, 64, 64, 1], learningRate: 1e-3 };

export function mlpFlops(p: MlpParams): number {
  // forward 2·B·in·out per layer, backward about twice that.
  let f = 0;
  for (let i = 0; i + 1 < p.layers.length; i++) f += 2 * p.batch * p.layers[i] * p.layers[i + 1];
  return 3 * f;
}

export interface CaseSelection {
  quick: boolean;
  /** Keep only cases whose id matches (substring or /regex/). */
  only?: string;
}

export function buildCases({ quick, only }: CaseSelection): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const f32Sizes = quick ? [128, 256] : [128, 256, 512, 1024];
  const f64Sizes = quick ? [256] : [256, 512];
  for (const n of f32Sizes) {
    for (const v of MATMUL_VARIANTS) {
      cases.push({
        id: `matmul-f32-${v.name}-${n}`,
        group: "matmul",
        label: `matmul f32 ${v.label} ${n}`,
        flops: 2 * n * n * n,
        params: { kind: "matmul", dtype: "float32", n, transposeA: v.transposeA, transposeB: v.transposeB },
      });
    }
  }
  for (const n of f64Sizes) {
    cases.push({
      id: `matmul-f64-AB-${n}`,
      group: "matmul",
      label: `matmul f64 A·B ${n}`,
      flops: 2 * n * n * n,
      params: { kind: "matmul", dtype: "float64", n, transposeA: false, transposeB: false },
    });
  }
  const rows = 1024;
  const cols = 1024;
  for (const e of ELEMENTWISE) {
    cases.push({
      id: `${e.op}-1M`,
      group: e.group,
      label: `${e.label} [1024, 1024] f32`,
      elements: rows * cols,
      params: { kind: "elementwise", op: e.op, rows, cols },
    });
  }
  cases.push({
    id: "softmax-1024x1024",
    group: "softmax",
    label: "softmax [1024, 1024] axis −1 f32",
    elements: rows * cols,
    params: { kind: "elementwise", op: "softmax", rows, cols },
  });
  // The same cases in fast float32 math mode (opt-in; bounds in docs/gemm.md), beside the exact rows.
  for (const f of FAST_MODE) {
    cases.push({
      id: `${f.id}-fast`,
      group: f.group,
      label: `${f.label} f32, fast mode (opt-in, ${f.bound})`,
      elements: rows * cols,
      params: { kind: "elementwise", op: f.op, rows, cols, mathMode: "fast" },
    });
  }
  cases.push({
    id: "mlp-adam-step",
    group: "training",
    label: "MLP 2→64→64→1 Adam step, batch 64",
    opUnit: "steps/s",
    params: MLP,
  });
  // A CIFAR-shaped 3×3 convolution layer (64 → 64 channels, 32×32, padding 1) at batch 16.
  const conv = { kind: "conv2d" as const, batch: 16, inChannels: 64, outChannels: 64, size: 32, kernel: 3, padding: 1 };
  cases.push({
    id: "conv2d-3x3-cifar-b16",
    group: "conv",
    label: "conv2d 3×3 64→64 [16, 64, 32, 32] f32",
    flops: 2 * conv.batch * conv.outChannels * conv.size * conv.size * conv.inChannels * conv.kernel * conv.kernel,
    params: conv,
  });
  if (!only) return cases;
  const re = only.startsWith("/") && only.endsWith("/") && only.length > 2 ? new RegExp(only.slice(1, -1)) : null;
  return cases.filter((c) => (re ? re.test(c.id) : c.id.includes(only)));
}

/** Deterministic training data for the MLP: y = sin(2·x0)·cos(x1) + 0.5·x0·x1 on x ∈ [-1, 1]². */
export function mlpData(batch: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(batch * 2);
  const y = new Float32Array(batch);
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  for (let i = 0; i < batch; i++) {
    const a = next();
    const b = next();
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = Math.sin(2 * a) * Math.cos(b) + 0.5 * a * b;
  }
  return { x, y };
}

/**
 * Training data for an MLP: the function above for the 2-input, 1-output network, uniform
 * inputs and targets (shape [batch, outputs]) for wider ones.
 */
export function mlpTrainingData(p: MlpParams): { x: Float32Array; y: Float32Array; yShape: [number, number] } {
  const outputs = p.layers[p.layers.length - 1];
  if (p.layers[0] === 2 && outputs === 1) return { ...mlpData(p.batch), yShape: [p.batch, 1] };
  return { x: uniformFill(new Float32Array(p.batch * p.layers[0]), 3), y: uniformFill(new Float32Array(p.batch * outputs), 4), yShape: [p.batch, outputs] };
}

/** He-uniform initial weights for every layer ([in, out] row-major) and zero biases, deterministic. */
export function mlpInit(layers: readonly number[], seed = 7): { weights: Float32Array[]; biases: Float32Array[] } {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    const fanIn = layers[i];
    const bound = Math.sqrt(6 / fanIn);
    const w = new Float32Array(fanIn * layers[i + 1]);
    for (let j = 0; j < w.length; j++) w[j] = next() * bound;
    weights.push(w);
    biases.push(new Float32Array(layers[i + 1]));
  }
  return { weights, biases };
}

/** Deterministic uniform(-1, 1) fill. */
export function uniformFill<T extends Float32Array | Float64Array>(arr: T, seed: number): T {
  let s = seed >>> 0;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2147483648 - 1;
  }
  return arr;
}
