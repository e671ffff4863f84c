// Public API of @fcn/data: re-exports only.
export { ArgumentError, DataError, DataFileError, FcnError, ShapeError, type ErrorDetails } from "./errors.js";
export type {
  ClassificationDataset,
  Dataset,
  DatasetMeta,
  GeneratorOptions,
  NdArray,
  NumericArray,
  RegressionDataset,
  TaskKind,
} from "./types.js";
export { RandomGenerator, deriveSeed } from "./random.js";
export { linspace, ndarray, takeRows } from "./ndarray.js";

export { friedman1, type Friedman1Options } from "./generators/friedman1.js";
export { sine, type SineOptions } from "./generators/sine.js";
export { multiscaleFourierRegression, type MultiscaleFourierOptions } from "./generators/multiscaleFourier.js";
export { circles, type CirclesOptions } from "./generators/circles.js";
export { moons, type MoonsOptions } from "./generators/moons.js";
export { swissRoll, type SwissRollLabelling, type SwissRollOptions } from "./generators/swissRoll.js";
export { sCurveBinary, type SCurveDataset } from "./generators/sCurve.js";
export { gaussianQuantiles, type GaussianQuantilesOptions } from "./generators/gaussianQuantiles.js";
export {
  makeClassification,
  type FeatureRole,
  type MakeClassificationDataset,
  type MakeClassificationOptions,
} from "./generators/makeClassification.js";
export {
  classification20d,
  synthetic3class,
  synthetic5class,
  type NamedClassificationOptions,
} from "./generators/syntheticClassification.js";
export { blobs, type BlobsDataset, type BlobsOptions } from "./generators/blobs.js";

export { iris } from "./real/iris.js";
export { wine } from "./real/wine.js";
export { digits, digitsImages } from "./real/digits.js";

export {
  hierarchicalParity,
  type HierarchicalParityDataset,
  type HierarchicalParityOptions,
} from "./tasks/hierarchicalParity.js";
export {
  multiscaleSignal,
  signalToNoiseDb,
  type MultiscaleSignalDataset,
  type MultiscaleSignalOptions,
} from "./tasks/multiscaleSignal.js";
export { delayedInput, type DelayedInputOptions } from "./tasks/delayedInput.js";
export { multiscaleTarget, type MultiscaleTargetDataset, type MultiscaleTargetOptions } from "./tasks/multiscaleTarget.js";
export { diffusionInitialState, type DiffusionInitialStateOptions } from "./tasks/diffusionInitialState.js";

export {
  CIFAR10_IMAGE_BYTES,
  CIFAR10_MEAN,
  CIFAR10_RECORD_BYTES,
  CIFAR10_RECORDS_PER_FILE,
  CIFAR10_STD,
  cifar10ClassNames,
  decodeCifar10,
  encodeCifar10,
  imagesToFloat,
  type Cifar10Records,
} from "./images/cifar10Format.js";
export {
  cifar10FileNames,
  loadCifar10,
  streamCifar10,
  type Cifar10Batch,
  type Cifar10Options,
  type Cifar10Split,
} from "./images/cifar10.js";
export { syntheticImages, type SyntheticImagesOptions } from "./images/syntheticImages.js";

export { selectRows } from "./utilities/select.js";
export {
  trainValSplit,
  trainValTestSplit,
  type TrainValSplit,
  type TrainValSplitOptions,
  type TrainValTestSplit,
  type TrainValTestSplitOptions,
} from "./utilities/split.js";
export { kFold, type KFoldOptions } from "./utilities/kFold.js";
export {
  Standardizer,
  fitStandardizer,
  standardize,
  type SplitsToStandardize,
  type StandardizedSplits,
} from "./utilities/standardize.js";
export { oneHot } from "./utilities/oneHot.js";
export { batches, type Batch, type BatchesOptions } from "./utilities/batches.js";

export {
  benchmarkDatasets,
  dataset,
  datasetInfo,
  datasetNames,
  frontierDatasets,
  type DatasetInfo,
  type DatasetOptions,
} from "./registry.js";
