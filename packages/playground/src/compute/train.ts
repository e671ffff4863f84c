/**
 * Live training for the page: one model on one 2-D data set, Adam on mini-batches, streaming the
 * loss and the decision boundary (probabilities on a grid) every few steps. Reads go through
 * `await tensor.data()`, so the same loop runs on WebGPU and on the CPU.
 */
import { dataset, fitStandardizer } from "@fcn/data";
import { Adam } from "@fcn/nn";
import { Generator, type Tensor, binaryCrossEntropyWithLogits, dispose, gather, keep, noGrad, tensor, tidy } from "@fcn/tensor";
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

/** Set by a stop request (or a new run); the loop checks it between chunks. */
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
  const gen = new Generator(request.seed);
  const counts = model.paramCounts();
  const params = { raw: counts.raw, effective: counts.effective, fixed: counts.fixed };
  let order = gen.permutation(TRAIN_SIZE);
  let cursor = 0;
  let pending: Tensor[] = [];
  let last: TrainUpdate | undefined;
  let started = performance.now();
  try {
    for (let step = 1; step <= request.steps; step++) {
      if (cursor + BATCH > TRAIN_SIZE) {
        order = gen.permutation(TRAIN_SIZE);
        cursor = 0;
      }
      const rows = order.slice(cursor, cursor + BATCH);
      cursor += BATCH;
      model.train();
      const loss = tidy(() => {
        const index = tensor(rows, { shape: [BATCH], dtype: "int32" });
        const value = binaryCrossEntropyWithLogits(model.forward(gather(xs, index, 0)), gather(ys, index, 0));
        value.backward();
        optimizer.step();
        optimizer.zeroGrad();
        return value.detach();
      });
      pending.push(loss);
      if (step % request.every !== 0 && step !== request.steps) continue;
      const losses: number[] = [];
      for (const t of pending) losses.push((await t.data())[0]);
      dispose(pending);
      pending = [];
      model.eval();
      const probabilities = noGrad(() => model.forward(gridX).sigmoid());
      const trainLogits = noGrad(() => model.forward(xs));
      const grid = Float32Array.from(await probabilities.data());
      const logits = await trainLogits.data();
      dispose([probabilities, trainLogits]);
      let correct = 0;
      for (let i = 0; i < TRAIN_SIZE; i++) correct += (logits[i] > 0 ? 1 : 0) === y[i] ? 1 : 0;
      const elapsed = performance.now() - started;
      last = {
        step, steps: request.steps, losses, accuracy: correct / TRAIN_SIZE,
        grid: { size: request.grid, probabilities: grid, bounds }, params, device: choice,
        msPerStep: elapsed / Math.max(1, losses.length), done: step === request.steps,
        ...(last === undefined ? { points: { x, y } } : {}),
      };
      send(last);
      await pause(); // let a stop request in
      started = performance.now();
      if (cancellation.token !== token) break;
    }
  } finally {
    dispose(pending);
    dispose([xs, ys, gridX]);
    for (const p of model.parameters()) dispose(p.value);
  }
  if (!last) throw new Error("training ran no step");
  return { ...last, done: true };
}
