/**
 * TensorFlow.js peers: the full `@tensorflow/tfjs` (its gradients are registered, so Adam
 * trains) on the `cpu` backend and on `@tensorflow/tfjs-backend-wasm`. Both backends live in
 * one tfjs instance; each case switches to its backend before creating its inputs.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { mlpInit, mlpTrainingData, uniformFill } from "../cases";
import type { CaseSpec, ConvParams, ElementwiseParams, MatmulParams, MlpParams, PeerInfo } from "../harness";
import type { Engine, Prepared } from "./engine";

// Loaded lazily so that a missing or broken tfjs only skips these peers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tfjs is typed, but loaded dynamically here
type Tf = any;
let tfPromise: Promise<{ tf: Tf; wasm: Tf }> | undefined;

function loadTf(): Promise<{ tf: Tf; wasm: Tf }> {
  tfPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const tf = require("@tensorflow/tfjs");
    const wasm = require("@tensorflow/tfjs-backend-wasm");
    // In Node the wasm binaries are read from the package's dist/ folder.
    wasm.setWasmPaths(`${path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}${path.sep}`);
    return { tf, wasm };
  })();
  return tfPromise;
}

async function use(backend: "cpu" | "wasm"): Promise<Tf> {
  const { tf } = await loadTf();
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
  }
  await tf.ready();
  return tf;
}

function prepareMatmul(tf: Tf, p: MatmulParams): Prepared | string {
  if (p.dtype !== "float32") return "tfjs has no float64";
  const a = tf.tensor2d(uniformFill(new Float32Array(p.n * p.n), 1), [p.n, p.n]);
  const b = tf.tensor2d(uniformFill(new Float32Array(p.n * p.n), 2), [p.n, p.n]);
  return {
    run: () => tf.matMul(a, b, p.transposeA, p.transposeB).dispose(),
    dispose: () => tf.dispose([a, b]),
  };
}

function prepareElementwise(tf: Tf, p: ElementwiseParams): Prepared {
  const n = p.rows * p.cols;
  const a = tf.tensor2d(uniformFill(new Float32Array(n), 1), [p.rows, p.cols]);
  const b = tf.tensor2d(uniformFill(new Float32Array(n), 2), [p.rows, p.cols]);
  const row = tf.tensor1d(uniformFill(new Float32Array(p.cols), 3));
  const ops: Record<ElementwiseParams["op"], () => unknown> = {
    add: () => tf.add(a, b),
    mul: () => tf.mul(a, b),
    exp: () => tf.exp(a),
    erf: () => tf.erf(a),
    addRow: () => tf.add(a, row),
    sum: () => tf.sum(a),
    sumAxis0: () => tf.sum(a, 0),
    sumAxis1: () => tf.sum(a, 1),
    max: () => tf.max(a),
    softmax: () => tf.softmax(a, -1),
  };
  const op = ops[p.op];
  return {
    run: () => tf.dispose(tf.tidy(op)),
    dispose: () => tf.dispose([a, b, row]),
  };
}

/** The same layer in tfjs's native NHWC layout (filter [kH, kW, in, out]); padding must be "same". */
function prepareConv(tf: Tf, p: ConvParams): Prepared | string {
  if (2 * p.padding !== p.kernel - 1) return "tfjs conv2d takes only 'same' or 'valid' padding";
  const x = tf.tensor4d(uniformFill(new Float32Array(p.batch * p.size * p.size * p.inChannels), 1), [p.batch, p.size, p.size, p.inChannels]);
  const w = tf.tensor4d(uniformFill(new Float32Array(p.kernel * p.kernel * p.inChannels * p.outChannels), 2), [p.kernel, p.kernel, p.inChannels, p.outChannels]);
  return {
    run: () => tf.dispose(tf.conv2d(x, w, 1, "same")),
    dispose: () => tf.dispose([x, w]),
  };
}

/** The same MLP as ours: explicit variables, matMul/add/relu, mean squared error, tf.train.adam. */
export function createTfMlp(tf: Tf, p: MlpParams) {
  const { x: xData, y: yData, yShape } = mlpTrainingData(p);
  const x = tf.tensor2d(xData, [p.batch, p.layers[0]]);
  const y = tf.tensor2d(yData, yShape);
  const init = mlpInit(p.layers);
  const weights = init.weights.map((w, i) => tf.variable(tf.tensor2d(w, [p.layers[i], p.layers[i + 1]])));
  const biases = init.biases.map((b) => tf.variable(tf.tensor1d(b)));
  const vars = [...weights, ...biases];
  const optimizer = tf.train.adam(p.learningRate);
  const loss = () => {
    let h = x;
    for (let i = 0; i < weights.length; i++) {
      h = tf.add(tf.matMul(h, weights[i]), biases[i]);
      if (i + 1 < weights.length) h = tf.relu(h);
    }
    return tf.mean(tf.square(tf.sub(h, y)));
  };
  const step = (read = false): number =>
    tf.tidy(() => {
      const cost = optimizer.minimize(loss, read, vars);
      return read ? cost.dataSync()[0] : Number.NaN;
    });
  const dispose = () => {
    optimizer.dispose();
    tf.dispose([x, y, ...vars]);
  };
  return { step, dispose };
}

function tfEngine(name: "tfjs-cpu" | "tfjs-wasm", backend: "cpu" | "wasm"): Engine {
  return {
    name,
    async init(): Promise<PeerInfo> {
      try {
        const tf = await use(backend);
        const { wasm } = await loadTf();
        const info: PeerInfo = { available: true, version: tf.version.tfjs, backend: tf.getBackend() };
        if (backend === "wasm") {
          info.version = wasm.version_wasm;
          info.threads = wasm.getThreadsCount();
          info.simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
          info.multithread = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
        } else {
          info.threads = 1;
        }
        return info;
      } catch (error) {
        return { available: false, note: `tfjs ${backend} backend unavailable: ${(error as Error).message}` };
      }
    },
    async prepare(spec: CaseSpec): Promise<Prepared | string> {
      const tf = await use(backend);
      const p = spec.params;
      if (p.kind === "matmul") return prepareMatmul(tf, p);
      if (p.kind === "elementwise") return prepareElementwise(tf, p);
      if (p.kind === "conv2d") return prepareConv(tf, p);
      const mlp = createTfMlp(tf, p);
      return { run: () => void mlp.step(), dispose: mlp.dispose };
    },
  };
}

export const tfjsCpuEngine = tfEngine("tfjs-cpu", "cpu");
export const tfjsWasmEngine = tfEngine("tfjs-wasm", "wasm");

/** Loss before and after `steps` tfjs training steps on `backend`. */
export async function checkTfMlpTrains(backend: "cpu" | "wasm", p: MlpParams, steps: number): Promise<{ lossFirst: number; lossLast: number; steps: number }> {
  const tf = await use(backend);
  const mlp = createTfMlp(tf, p);
  const lossFirst = mlp.step(true);
  for (let i = 1; i < steps - 1; i++) mlp.step();
  const lossLast = mlp.step(true);
  mlp.dispose();
  return { lossFirst, lossLast, steps };
}
