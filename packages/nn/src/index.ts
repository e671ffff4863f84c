export { Module, Parameter, withParameters, type ParamCounts, type ParameterOptions } from "./module.js";
export {
  Activation, type ActivationName, Dropout, Embedding, LayerNorm, ReLU, Sequential, Tanh, activate,
} from "./layers/basic.js";
export {
  KroneckerLinear, type KroneckerLinearConfig, Linear, type LinearConfig, ParameterList, SparseLinear, type SparseLinearConfig, applyKronecker,
} from "./layers/linear.js";
export { Adam, AdamW, type AdamOptions, Optimizer, SGD, type SgdOptions, clipGradNorm, clipGradNormAsync, clipGradValue } from "./optim/optimizers.js";
export { CosineSchedule, type Schedule, StepSchedule } from "./optim/schedules.js";
export { type FitOptions, fit } from "./train/fit.js";
export { type Dataset, type EvaluateOptions, type Evaluation, evaluate, predict } from "./train/evaluate.js";
export { type LossFunction, type LossName, type MetricFunction, type MetricName, type Metrics, accuracy, lossFunction } from "./train/metrics.js";
export { type BatchPosition, type BatchReport, type Callback, type EpochReport, type FitContext, type FitResult } from "./train/callbacks.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./train/earlyStopping.js";
export { decodeSafetensors, encodeSafetensors, loadModule, loadSafetensors, saveModule, saveSafetensors } from "./io/safetensors.js";
export { MAX_HEADER_BYTES, type SafetensorsEntry, type SafetensorsLayout, inspectSafetensors } from "./io/safetensorsLayout.js";
export { GRAPH_KINDS, type GraphKind, type GraphOptions, type RecurrentGraph, kroneckerSupport, recurrentGraph } from "./graph/graphs.js";
export { DeepMLP, DenseMLP, type MLPConfig, SparseMLP, type SparseMLPConfig, mlpParams, widthMatched } from "./models/baselines.js";
export { binaryCrossEntropyWithLogits, crossEntropy, mse } from "@fcn/tensor";
export { type GraphConfig, type GraphMode, GraphOperator } from "./graph/operator.js";
export {
  type CirculationUpdate, FractalCirculator, type FractalCirculatorConfig, FractalLayerMLP, type FractalLayerMLPConfig, RecurrentNet,
  type RecurrentNetConfig, type RecurrentStructure, circulate,
} from "./models/fractal.js";
export {
  GatedKroneckerReservoir, type GatedReservoirConfig, KroneckerReservoir, LeakyReservoir, type LeakyReservoirConfig, ReservoirBase,
  type ReservoirConfig,
} from "./models/reservoir.js";
export { type ReadoutModel, ridgeReadout } from "./train/ridge.js";
export { CEN, type CENConfig, HSN, type HSNConfig } from "./models/brain.js";
export {
  type AttentionKind, DenseAttention, type DenseAttentionConfig, FractalAttention, type FractalAttentionConfig, type FractalAttentionPath,
  LocalWindowAttention, SparseRandomAttention, Transformer, type TransformerConfig, applyFactorwise,
} from "./models/attention.js";
export { type StreamingAttentionOptions, streamingKroneckerAttention, streamingKroneckerAttention2d } from "./models/streaming.js";
export { KroneckerMixer, type KroneckerMixerConfig } from "./models/mixer.js";
export {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, type Conv2dConfig, DropPath, Dropout2d, LayerNorm2d, MaxPool2d,
} from "./layers/conv.js";
export {
  ConvUnit, FRACTAL_ACTIVATIONS, FRACTAL_JOINS, FRACTAL_NORMS, type FractalActivation, FractalBase, FractalBlock, type FractalConvConfig,
  type FractalJoin, FractalNet, type FractalNetConfig, type FractalNetShapes, type FractalNorm, FractalUnit, type ResolvedFractalNetConfig,
  fractalColumnConvs, inferFractalNet,
} from "./models/fractalnet.js";
export { GradScaler, type GradScalerOptions, type GradScalerState } from "./amp/gradScaler.js";
