/**
 * Live training for the page: one model on one 2-D data set, trained by @fcn/nn's `fit` (Adam on
 * mini-batches, a budget of steps), whose onBatchEnd callback streams the loss and the decision
 * boundary (probabilities on a grid) every few steps and answers a stop request. `fit` reads
 * only asynchronously, so the same call runs on WebGPU and on the CPU.
 */
import { dataset, fitStandardizer } from "@fcn/data";
import { Adam, type BatchReport, type Module, fit } from "@fcn/nn";
import { type Tensor, dispose, keep, noGrad, tensor } from "@fcn/tensor";
import { type DeviceChoice, type DevicePreference, activate, chooseDevice } from "./device.js";
import { DATASETS, type DatasetName, type ModelName } from "./choices.js";
import { BUILDERS } from "./models.js";

export interface TrainRequest {
  readonly model: ModelName;
  readonly dataset: DatasetName;
  readonly steps: number;
  readonly lr: number;
  readonly seed: number;
  readonly device: DevicePreference;
  /** Steps between updates (loss read, boundary redrawn). */
  readonly every: number;
  /** Side of the probability grid. */
  readonly grid: number;
}

export interface TrainUpdate {
  readonly step: number;
  readonly steps: number;
  /** Mean mini-batch loss of each step since the last update. */
  readonly losses: number[];
  readonly accuracy: number;
  readonly grid: { size: number; probabilities: Float32Array; bounds: [number, number, number, number] };
  readonly params: { raw: number; effective: number; fixed: number };
  readonly device: DeviceChoice;
  readonly msPerStep: number;
  readonly done: boolean;
  /** Standardized training points and labels (first update only). */
  readonly points?: { x: Float32Array; y: Int32Array };
}

const TRAIN_SIZE = 512;
const BATCH = 64;

/** Set by a stop request (or a new run); the onBatchEnd callback checks it at each update. */
export const cancellation = { token: 0 };

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function prepareData(name: DatasetName, seed: number) {
  const spec = DATASETS[name];
  const data = dataset(spec.name, { n: TRAIN_SIZE, seed, ...spec.options });
  const standardized = fitStandardizer(data.x).transform(data.x);
  const x = Float32Array.from(standardized.data);
  const y = Int32Array.from(data.y.data as ArrayLike<number>);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < TRAIN_SIZE; i++) {
    minX = Math.min(minX, x[2 * i]); maxX = Math.max(maxX, x[2 * i]);
    minY = Math.min(minY, x[2 * i + 1]); maxY = Math.max(maxY, x[2 * i + 1]);
  }
  const pad = 0.25;
  return { x, y, bounds: [minX - pad, maxX + pad, minY - pad, maxY + pad] as [number, number, number, number] };
}

function gridPoints(size: number, [x0, x1, y0, y1]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(2 * size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      out[2 * i] = x0 + ((c + 0.5) / size) * (x1 - x0);
      out[2 * i + 1] = y1 - ((r + 0.5) / size) * (y1 - y0); // row 0 at the top
    }
  }
  return out;
}

/** Runs one training session; `send` receives every update, the last one with done = true. */
export async function train(request: TrainRequest, send: (update: TrainUpdate) => void): Promise<TrainUpdate> {
  const token = ++cancellation.token;
  let choice = await chooseDevice(request.device);
  try {
    return await run(request, choice, token, send);
  } catch (error) {
    if (choice.device === "cpu") throw error;
    // A kernel the WebGPU backend lacks, or a lost device: say so and train on the CPU.
    const message = error instanceof Error ? error.message : String(error);
    choice = { device: "cpu", why: `WebGPU failed (${message}); training on the CPU instead` };
    return await run(request, choice, token, send);
  } finally {
    activate("cpu");
  }
}

async function run(request: TrainRequest, choice: DeviceChoice, token: number, send: (u: TrainUpdate) => void): Promise<TrainUpdate> {
  activate(choice.device);
  const { x, y, bounds } = prepareData(request.dataset, request.seed);
  const model = BUILDERS[request.model](request.seed);
  const optimizer = new Adam(model.parameters(), { lr: request.lr });
  const xs = keep(tensor(x, { shape: [TRAIN_SIZE, 2] }));
  const ys = keep(tensor(Float32Array.from(y), { shape: [TRAIN_SIZE, 1] }));
  const gridX = keep(tensor(gridPoints(request.grid, bounds), { shape: [request.grid * request.grid, 2] }));
  const counts = model.paramCounts();
  const params = { raw: counts.raw, effective: counts.effective, fixed: counts.fixed };
  let step = 0;
  let losses: number[] = [];
  let last: TrainUpdate | undefined;
  let started = performance.now();
  /** Streams an update every `every` steps and at the last one; answers false once a stop was requested. */
  const onBatchEnd = async (report: BatchReport): Promise<boolean> => {
    step++;
    losses.push(report.loss);
    if (step % request.every !== 0 && step !== request.steps) return true;
    const { grid, accuracy } = await snapshot(model, xs, y, gridX);
    const elapsed = performance.now() - started;
    last = {
      step, steps: request.steps, losses, accuracy,
      grid: { size: request.grid, probabilities: grid, bounds }, params, device: choice,
      msPerStep: elapsed / Math.max(1, losses.length), done: step === request.steps,
      ...(last === undefined ? { points: { x, y } } : {}),
    };
    send(last);
    losses = [];
    await pause(); // let a stop request in
    started = performance.now();
    return cancellation.token === token;
  };
  try {
    // 512 rows in batches of 64: eight steps an epoch, reshuffled (seeded) each epoch.
    await fit(model, { x: xs, y: ys }, {
      epochs: Math.ceil(request.steps / (TRAIN_SIZE / BATCH)), maxSteps: request.steps, batchSize: BATCH, seed: request.seed,
      optimizer, lossFn: "binaryCrossEntropy", callbacks: [{ onBatchEnd }],
    });
  } finally {
    dispose([xs, ys, gridX]);
    optimizer.dispose();
    for (const p of model.parameters()) dispose(p.value);
  }
  if (!last) throw new Error("training ran no step");
  return { ...last, done: true };
}

/** The probabilities on the grid and the training accuracy, in evaluation mode (restored after). */
async function snapshot(model: Module, xs: Tensor, y: Int32Array, gridX: Tensor): Promise<{ grid: Float32Array; accuracy: number }> {
  const training = model.training;
  model.eval();
  const probabilities = noGrad(() => model.forward(gridX).sigmoid());
  const trainLogits = noGrad(() => model.forward(xs));
  if (training) model.train();
  try {
    const grid = Float32Array.from(await probabilities.data());
    const logits = await trainLogits.data();
    let correct = 0;
    for (let i = 0; i < TRAIN_SIZE; i++) correct += (logits[i] > 0 ? 1 : 0) === y[i] ? 1 : 0;
    return { grid, accuracy: correct / TRAIN_SIZE };
  } finally {
    dispose([probabilities, trainLogits]);
  }
}
