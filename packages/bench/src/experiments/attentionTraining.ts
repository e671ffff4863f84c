/**
 * One run of Experiments 6–7: a 2-layer transformer on hierarchical parity, split into train /
 * validation / test. For each learning rate of the grid the model is fitted with early stopping
 * on the validation loss (weights of the best epoch kept); the learning rate with the lowest
 * validation loss is selected, and only then is the held-out test split scored, once.
 */
import { hierarchicalParity, trainValTestSplit } from "@fcn/data";
import { toTensor } from "@fcn/data/tensor";
import { Adam, type AttentionKind, type EpochReport, type Module, Transformer, evaluate, fit } from "@fcn/nn";
import { dispose, ArgumentError } from "@fcn/tensor";
import type { Config, Metrics } from "../framework/types.js";

/** Data sizes and training protocol of one run. */
export interface AttentionProtocol {
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly maxEpochs: number;
  /** Epochs without a lower validation loss before stopping. */
  readonly patience: number;
  /** Learning-rate grid, selected on the validation loss (000 §3.5 for attention experiments). */
  readonly lrs: number[];
  readonly batchSize: number;
  /** Model width D. */
  readonly model: number;
}

export interface AttentionConfig extends Config, AttentionProtocol {
  readonly attention: AttentionKind;
  readonly branching: number;
  readonly depth: number;
}

interface Fitted {
  readonly model: Module;
  readonly lr: number;
  readonly history: EpochReport[];
  readonly bestEpoch: number;
  readonly validation: { loss: number; accuracy: number };
  readonly seconds: number;
}

type Split = { x: ReturnType<typeof toTensor>; y: ReturnType<typeof toTensor> };

async function fitOne(config: AttentionConfig, lr: number, train: Split, validation: Split, tokens: number): Promise<Fitted> {
  const model = new Transformer({ tokens, inputs: 2, classes: 2, model: config.model, layers: 2, attention: config.attention, factorSize: config.branching, seed: config.seed });
  const optimizer = new Adam(model.parameters(), { lr });
  const started = performance.now();
  const result = await fit(model, train, {
    epochs: config.maxEpochs, batchSize: config.batchSize, optimizer, lossFn: "crossEntropy", metrics: ["accuracy"], validation,
    earlyStopping: { patience: config.patience, monitor: "loss", restoreBest: true }, seed: config.seed,
  });
  const seconds = (performance.now() - started) / 1000;
  const v = await evaluate(model, validation, { lossFn: "crossEntropy", metrics: ["accuracy"] });
  return { model, lr, history: result.history, bestEpoch: result.bestEpoch, validation: { loss: v.loss, accuracy: v.metrics.accuracy }, seconds };
}

function share(values: ArrayLike<number>, of: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === of) count++;
  return count / values.length;
}

/** Trains the grid, selects on validation, scores the test split once. */
export async function runAttention(config: AttentionConfig): Promise<Metrics> {
  const tokens = config.branching ** config.depth;
  const n = config.trainSize + config.validationSize + config.testSize;
  const data = hierarchicalParity({ n, branching: config.branching, depth: config.depth, seed: config.seed });
  const parts = trainValTestSplit(data, { trainSize: config.trainSize, validationSize: config.validationSize, testSize: config.testSize, seed: config.seed });
  const tensors = (part: typeof parts.train): Split => ({ x: toTensor({ data: part.x.data, shape: [part.x.shape[0], tokens, 2] }, { dtype: "float32" }), y: toTensor(part.y) });
  const train = tensors(parts.train);
  const validation = tensors(parts.validation);
  let selected: Fitted | undefined;
  const gridLoss: number[] = [];
  let seconds = 0;
  let epochsRun = 0;
  for (const lr of config.lrs) {
    const candidate = await fitOne(config, lr, train, validation, tokens);
    gridLoss.push(candidate.validation.loss);
    seconds += candidate.seconds;
    epochsRun += candidate.history.length;
    // Selection sees the validation loss only; the loser's weights are freed at once.
    const [keep, drop] = !selected || candidate.validation.loss < selected.validation.loss ? [candidate, selected] : [selected, candidate];
    if (drop) dispose([...drop.model.stateDict().values()]);
    selected = keep;
  }
  if (!selected) throw new ArgumentError("exp6/exp7: the learning-rate grid is empty");
  const test = tensors(parts.test);
  const testScore = await evaluate(selected.model, test, { lossFn: "crossEntropy", metrics: ["accuracy"] });
  const trainScore = await evaluate(selected.model, train, { lossFn: "crossEntropy", metrics: ["accuracy"] });
  const metrics: Metrics = {
    tokens,
    raw_params: selected.model.rawParams,
    effective_params: selected.model.effectiveParams,
    test_accuracy: testScore.metrics.accuracy,
    test_loss: testScore.loss,
    test_size: parts.test.y.shape[0],
    test_majority_share: Math.max(share(parts.test.y.data, 0), share(parts.test.y.data, 1)),
    validation_accuracy: selected.validation.accuracy,
    validation_loss: selected.validation.loss,
    train_accuracy: trainScore.metrics.accuracy,
    train_loss: trainScore.loss,
    selected_lr: selected.lr,
    kept_epoch: selected.bestEpoch,
    epochs_run: selected.history.length,
    lr_grid_validation_loss: gridLoss,
    loss_curve: selected.history.map((h) => h.loss),
    train_accuracy_curve: selected.history.map((h) => h.metrics.accuracy),
    validation_accuracy_curve: selected.history.map((h) => h.validation?.metrics.accuracy ?? Number.NaN),
    train_seconds: seconds,
    samples_per_second: (config.trainSize * epochsRun) / seconds,
  };
  dispose([...selected.model.stateDict().values(), train.x, train.y, validation.x, validation.y, test.x, test.y]);
  return metrics;
}
