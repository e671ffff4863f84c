/**
 * "Fixed W, learned W_in and W_out" (000 §4.5 B): the input weights of a reservoir trained for the
 * delay task by gradient descent, the readout kept at its ridge optimum for the current W_in
 * (variable projection: at the optimum the gradient with respect to W_in is the one with W_out held
 * fixed, so back-propagation through time with the ridge readout gives the exact gradient).
 * The step size comes from a backtracking line search on the training loss (nothing to tune) and
 * the returned W_in is the iterate with the lowest validation loss (early stopping on validation).
 */
import type { Matrix } from "@fcn/kron";
import { readoutPredictions, reservoirStates, ridgeReadout } from "./reservoir.js";

/** The delay-task split of one stream: washout, then train / validation rows (test rows come after). */
export interface DelayTaskSplit {
  readonly inputs: Float64Array;
  /** Row-major targets, `outputs` per step. */
  readonly targets: Float64Array;
  readonly outputs: number;
  readonly washout: number;
  readonly train: number;
  readonly validation: number;
  readonly ridge: number;
}

/** Result of {@link learnInputWeights}. */
export interface LearnedInput {
  readonly win: Float64Array;
  /** Training loss (mean squared error per target, ridge readout) after each accepted step, starting with the initial W_in. */
  readonly trainLoss: number[];
  readonly validationLoss: number[];
  /** Index into the loss histories of the returned W_in (0 = the initial one). */
  readonly chosen: number;
}

interface Evaluation {
  readonly states: Float64Array;
  readonly beta: Float64Array;
  readonly trainLoss: number;
  readonly validationLoss: number;
}

function evaluate(w: Matrix, win: Float64Array, task: DelayTaskSplit): Evaluation {
  const d = w.rows + 1;
  const end = task.washout + task.train + task.validation;
  const states = reservoirStates(w, win, task.inputs, end);
  const beta = ridgeReadout(states, d, task.targets, task.outputs, task.washout, task.washout + task.train, task.ridge);
  const loss = (from: number, to: number) => {
    const predicted = readoutPredictions(states, d, beta, task.outputs, from, to);
    let s = 0;
    for (let q = 0; q < predicted.length; q++) s += (predicted[q] - task.targets[from * task.outputs + q]) ** 2;
    return s / predicted.length;
  };
  return { states, beta, trainLoss: loss(task.washout, task.washout + task.train), validationLoss: loss(task.washout + task.train, end) };
}

/** ∂(training loss)/∂W_in by back-propagation through time, the readout β held at its ridge optimum. */
export function inputGradient(w: Matrix, task: DelayTaskSplit, evaluation: Evaluation): Float64Array {
  const n = w.rows;
  const d = n + 1;
  const { states, beta } = evaluation;
  const last = task.washout + task.train;
  const scale = 2 / (task.train * task.outputs);
  const predicted = readoutPredictions(states, d, beta, task.outputs, task.washout, last);
  const grad = new Float64Array(n);
  let carry = new Float64Array(n); // Wᵀ δ_{t+1}
  const delta = new Float64Array(n);
  const wd = w.data;
  for (let t = last - 1; t >= 0; t--) {
    const row = t * d;
    for (let i = 0; i < n; i++) {
      let g = carry[i];
      if (t >= task.washout) {
        const p = (t - task.washout) * task.outputs;
        const b = i * task.outputs;
        for (let k = 0; k < task.outputs; k++) g += scale * beta[b + k] * (predicted[p + k] - task.targets[t * task.outputs + k]);
      }
      const h = states[row + i];
      delta[i] = (1 - h * h) * g;
    }
    const u = task.inputs[t];
    for (let i = 0; i < n; i++) grad[i] += delta[i] * u;
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const dj = delta[j];
      if (dj === 0) continue;
      const rowJ = j * n;
      for (let i = 0; i < n; i++) next[i] += wd[rowJ + i] * dj;
    }
    carry = next;
  }
  return grad;
}

/** Trains W_in from `initial` for `iterations` line-search steps; see the module comment. */
export function learnInputWeights(w: Matrix, initial: Float64Array, task: DelayTaskSplit, iterations: number): LearnedInput {
  let win: Float64Array = Float64Array.from(initial);
  let current = evaluate(w, win, task);
  const trainLoss = [current.trainLoss];
  const validationLoss = [current.validationLoss];
  let best = { win, validation: current.validationLoss, index: 0 };
  let stepSize = 0;
  for (let it = 0; it < iterations; it++) {
    const grad = inputGradient(w, task, current);
    const gradNorm = Math.hypot(...grad);
    if (!(gradNorm > 0)) break;
    // First step: 10% of |W_in|; later: twice the last accepted step, halved until the loss drops.
    stepSize = stepSize === 0 ? (0.1 * Math.hypot(...win)) / gradNorm : 2 * stepSize;
    let accepted: { win: Float64Array; evaluation: Evaluation } | undefined;
    for (let halving = 0; halving < 12 && !accepted; halving++, stepSize /= 2) {
      const candidate = win.map((v, i) => v - stepSize * grad[i]);
      const evaluation = evaluate(w, candidate, task);
      if (evaluation.trainLoss < current.trainLoss) accepted = { win: candidate, evaluation };
    }
    if (!accepted) break;
    stepSize *= 2; // undo the halving after the accepted trial
    win = accepted.win;
    current = accepted.evaluation;
    trainLoss.push(current.trainLoss);
    validationLoss.push(current.validationLoss);
    if (current.validationLoss < best.validation) best = { win, validation: current.validationLoss, index: trainLoss.length - 1 };
  }
  return { win: best.win, trainLoss, validationLoss, chosen: best.index };
}
