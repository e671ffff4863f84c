import { Generator, type Tensor, tensor } from "@fcn/tensor";
import { checkGrads } from "@fcn/tensor/testing";
import { type Module, withParameters } from "../src/index.js";

/** checkGrads of `forward` with respect to the input and every parameter of `module` (float64). */
export function checkModuleGrads(module: Module, input: Tensor, forward: (x: Tensor) => Tensor = (x) => module.forward(x), options = { atol: 1e-6, rtol: 1e-4 }) {
  const params = module.namedParameters().map(([, p]) => p.value);
  const withInput = input.dtype !== "int32";
  const f = (...ts: Tensor[]) => {
    const [x, ...ps] = withInput ? ts : [input, ...ts];
    return withParameters(module, ps, () => forward(x));
  };
  return checkGrads(f, withInput ? [input, ...params] : params, options);
}

/** Concentric circles: label 1 inside radius 0.5, 0 on the ring of radius 1 (noise σ). */
export function circles(n: number, seed: number, noise = 0.05): { x: Tensor; y: Tensor; labels: Int32Array } {
  const gen = new Generator(seed);
  const x = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i % 2;
    const r = inner ? 0.5 : 1;
    const a = gen.uniform() * 2 * Math.PI;
    x[2 * i] = r * Math.cos(a) + noise * gen.normal();
    x[2 * i + 1] = r * Math.sin(a) + noise * gen.normal();
    labels[i] = inner;
  }
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(Float32Array.from(labels), { shape: [n, 1] }), labels };
}

/** y = sin(2x) on [−π/2, π/2] with noise. */
export function sine(n: number, seed: number, noise = 0.02): { x: Tensor; y: Tensor } {
  const gen = new Generator(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (gen.uniform() - 0.5) * Math.PI;
    y[i] = Math.sin(2 * x[i]) + noise * gen.normal();
  }
  return { x: tensor(x, { shape: [n, 1] }), y: tensor(y, { shape: [n, 1] }) };
}

/** Three Gaussian blobs in 2-D, int32 labels. */
export function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const gen = new Generator(seed);
  const centers = [[0, 1.2], [-1, -0.6], [1, -0.6]];
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x[2 * i] = centers[c][0] + 0.3 * gen.normal();
    x[2 * i + 1] = centers[c][1] + 0.3 * gen.normal();
    y[i] = c;
  }
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(y, { shape: [n], dtype: "int32" }) };
}

export function randomInput(shape: number[], seed: number): Tensor {
  const gen = new Generator(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Float64Array.from({ length: size }, () => gen.normal()), { shape });
}
