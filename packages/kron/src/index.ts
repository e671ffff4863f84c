export * from "./linalg/matrix.js";
export { asMatrix, assertCsr, type MatrixLike } from "./linalg/asMatrix.js";
export { ConvergenceError } from "./linalg/convergence.js";
export { eigh, eigvalsh, BLOCKED_MIN_SIZE, type SymmetricEigen, type EighOptions } from "./linalg/eigh.js";
export { eigvals, spectralRadius, type ComplexValues } from "./linalg/eigvals.js";
export { lu, luSolve, solve, det, logdet, inverse, type LuFactorization, type LogDeterminant } from "./linalg/lu.js";
export { cholesky, choleskySolve } from "./linalg/cholesky.js";
export { qr, type QrFactorization } from "./linalg/qr.js";
export { svd, lstsq, type SingularValueDecomposition, type LeastSquaresResult } from "./linalg/svd.js";
export { lanczos, type LanczosOptions, type LanczosResult } from "./linalg/lanczos.js";
export { rankOneUpdate, type SecularPole, type ValueWithMultiplicity } from "./linalg/secular.js";
export { createRandom, type Random } from "./random.js";
export { sierpinski, validateInitiator } from "./kron/initiator.js";
export { kron, kronPower, DENSE_ENTRY_LIMIT } from "./kron/product.js";
export { type CsrMatrix, toCsr, csrToDense, csrMatvec, fromTriplets, kronCsr, SPARSE_ENTRY_LIMIT } from "./kron/csr.js";
export { binarize, removeSelfLoops, kroneckerGraph, type KroneckerGraphVariant } from "./kron/adjacency.js";
export { kroneckerGraphStatistics, seedDensityFormula, type KroneckerGraphStatistics } from "./kron/statistics.js";
export {
  type Spectrum, type SpectrumEntry, mergeSpectrum, symmetricSpectrum, kronSpectrum, kronPowerSpectrum,
  sierpinskiSpectrum, binomial, spectrumRadius, spectrumSize, expandSpectrum, GOLDEN_RATIO, MERGE_TOLERANCE,
} from "./kron/spectrum.js";
export { selfLoopRemovedSpectrum } from "./kron/selfLoop.js";
export { KronOperator, TO_DENSE_LIMIT, type KronEigen } from "./operator/kronOperator.js";
export { kronApply, type KronApplyOptions } from "./operator/kronApply.js";
export { nearestKroneckerProduct, type KroneckerTerm, type NearestKroneckerResult } from "./kron/nearestKronecker.js";
export {
  graphFromEdges, completeGraph, erdosRenyi, barabasiAlbert, wattsStrogatz, randomGraphWithEdges, denseRandom,
} from "./graphs/families.js";
export { stochasticKronecker, permuteGraph, type StochasticKroneckerOptions } from "./graphs/stochastic.js";
export { scaleGraph, type ScaleGraphOptions } from "./graphs/scaling.js";
export {
  density, degreeStatistics, bfsDistances, diameter, connectedComponents, averageClustering,
  type DegreeStatistics, type DiameterResult, type Components,
} from "./metrics/structure.js";
export {
  normalizedLaplacian, adjacencySpectrum, laplacianSpectrum, spectralGap, type SpectralGapDefinition,
} from "./metrics/spectra.js";
export { levelStatistics, addSymmetricNoise, spectralEntropy, type LevelStatistics } from "./metrics/levelStatistics.js";
export { heatKernel, diffuse, type DiffusionTrace, type DiffusionOptions } from "./metrics/diffusion.js";
