/** @fcn/tensor as a benchmark engine: the public API only. */
import {
  type Tensor,
  add,
  conv2d,
  erf,
  exp,
  matmul,
  max,
  memory,
  mse,
  mul,
  relu,
  setMathMode,
  softmax,
  sum,
  tensor,
  tidy,
} from "../../src/index";
import { Adam } from "../adam";
import { mlpInit, mlpTrainingData, uniformFill } from "../cases";
import type { CaseSpec, ConvParams, ElementwiseParams, MatmulParams, MlpParams } from "../harness";
import type { Engine, Prepared } from "./engine";

function uniform(shape: number[], dtype: "float32" | "float64", seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = uniformFill(dtype === "float64" ? new Float64Array(n) : new Float32Array(n), seed);
  return tensor(data, { shape, dtype });
}

function prepareMatmul(p: MatmulParams): Prepared {
  const a = uniform([p.n, p.n], p.dtype, 1);
  const b = uniform([p.n, p.n], p.dtype, 2);
  const options = { transposeA: p.transposeA, transposeB: p.transposeB };
  return {
    run: () => matmul(a, b, options).dispose(),
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

function prepareElementwise(p: ElementwiseParams): Prepared {
  const a = uniform([p.rows, p.cols], "float32", 1);
  const b = uniform([p.rows, p.cols], "float32", 2);
  const row = uniform([p.cols], "float32", 3);
  const ops: Record<ElementwiseParams["op"], () => Tensor> = {
    add: () => add(a, b),
    mul: () => mul(a, b),
    exp: () => exp(a),
    erf: () => erf(a),
    addRow: () => add(a, row),
    sum: () => sum(a),
    sumAxis0: () => sum(a, 0),
    sumAxis1: () => sum(a, 1),
    max: () => max(a),
    softmax: () => softmax(a, -1),
  };
  const op = ops[p.op];
  const fast = p.mathMode === "fast";
  return {
    run: fast
      ? () => {
        setMathMode("fast");
        try {
          tidy(op).dispose();
        } finally {
          setMathMode("exact");
        }
      }
      : () => tidy(op).dispose(),
    dispose: () => {
      a.dispose();
      b.dispose();
      row.dispose();
    },
  };
}

function prepareConv(p: ConvParams): Prepared {
  const x = uniform([p.batch, p.inChannels, p.size, p.size], "float32", 1);
  const w = uniform([p.outChannels, p.inChannels, p.kernel, p.kernel], "float32", 2);
  return {
    run: () => conv2d(x, w, { padding: p.padding }).dispose(),
    dispose: () => {
      x.dispose();
      w.dispose();
    },
  };
}

/** The MLP and its optimizer; `step()` is one full training step inside `tidy`. */
export function createMlp(p: MlpParams) {
  const { x: xData, y: yData, yShape } = mlpTrainingData(p);
  const x = tensor(xData, { shape: [p.batch, p.layers[0]] });
  const y = tensor(yData, { shape: yShape });
  const init = mlpInit(p.layers);
  const weights = init.weights.map((w, i) => tensor(w, { shape: [p.layers[i], p.layers[i + 1]] }).requireGrad());
  const biases = init.biases.map((b) => tensor(b, { shape: [b.length] }).requireGrad());
  const params = [...weights, ...biases];
  const adam = new Adam(params, { learningRate: p.learningRate });
  const forward = (): Tensor => {
    let h = x;
    for (let i = 0; i < weights.length; i++) {
      h = add(matmul(h, weights[i]), biases[i]);
      if (i + 1 < weights.length) h = relu(h);
    }
    return h;
  };
  /** One step; returns the loss when `read` is set (a host read), else NaN. */
  const step = (read = false): number =>
    tidy(() => {
      const loss = mse(forward(), y);
      loss.backward();
      adam.step();
      return read ? loss.item() : Number.NaN;
    });
  const dispose = () => {
    adam.dispose();
    for (const t of [x, y, ...params]) t.dispose();
  };
  return { step, dispose };
}

/** Trains for `steps` steps from the fixed initialisation; loss before, after, and tensors leaked per step. */
export function checkMlpTrains(p: MlpParams, steps: number): { lossFirst: number; lossLast: number; steps: number; leakedTensorsPerStep: number; leakedBytesPerStep: number } {
  const mlp = createMlp(p);
  const lossFirst = mlp.step(true);
  const before = memory();
  for (let i = 1; i < steps - 1; i++) mlp.step();
  const after = memory();
  const lossLast = mlp.step(true);
  mlp.dispose();
  const n = Math.max(1, steps - 2);
  return {
    lossFirst,
    lossLast,
    steps,
    leakedTensorsPerStep: (after.tensors - before.tensors) / n,
    leakedBytesPerStep: ((after.bytes.cpu ?? 0) - (before.bytes.cpu ?? 0)) / n,
  };
}

export const oursEngine: Engine = {
  name: "ours",
  async init() {
    return { available: true };
  },
  async prepare(spec: CaseSpec): Promise<Prepared | string> {
    const p = spec.params;
    if (p.kind === "matmul") return prepareMatmul(p);
    if (p.kind === "elementwise") return prepareElementwise(p);
    if (p.kind === "conv2d") return prepareConv(p);
    const mlp = createMlp(p);
    return { run: () => void mlp.step(), dispose: mlp.dispose };
  },
};
