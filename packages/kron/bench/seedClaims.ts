/**
 * Measures the seed's Experiment 1 claims (N = 128) with this package's definitions and prints a
 * JSON record for docs/kron.md. Run: `pnpm exec tsx bench/seedClaims.ts`.
 */
import {
  averageClustering, barabasiAlbert, completeGraph, connectedComponents, diameter, density, erdosRenyi,
  kroneckerGraph, kroneckerGraphStatistics, laplacianSpectrum, levelStatistics, addSymmetricNoise, normalizedLaplacian,
  eigvalsh, seedDensityFormula, sierpinski, spectralGap, stochasticKronecker, wattsStrogatz, fromRows, type CsrMatrix,
} from "../src/index.js";

const k = 7;
const n = 2 ** k;
const families: Record<string, CsrMatrix> = {
  kronecker_binarizedPower: kroneckerGraph(sierpinski(), k),
  kronecker_loopFreeInitiator: kroneckerGraph(sierpinski(), k, "loopFreeInitiator"),
  stochastic_kronecker: stochasticKronecker(fromRows([[0.9, 0.6], [0.6, 0.2]]), k, 1),
  erdos_renyi_p0078: erdosRenyi(n, 0.0078, 1),
  barabasi_albert_m1: barabasiAlbert(n, 1, 1),
  watts_strogatz_k2: wattsStrogatz(n, 2, 0.1, 1),
  complete: completeGraph(n),
};
const rows = Object.entries(families).map(([name, g]) => {
  const d = diameter(g);
  const spectrum = laplacianSpectrum(g);
  const plain = levelStatistics(spectrum);
  const noisy = levelStatistics(eigvalsh(addSymmetricNoise(normalizedLaplacian(g), 1e-3, 1)));
  return {
    name,
    storedEntries: g.values.length,
    densityNetworkx: density(g),
    densityOverNSquared: g.values.length / (n * n),
    diameter: d.diameter,
    diameterOfLargestComponent: d.diameterOfLargestComponent,
    maxComponentDiameter: d.maxComponentDiameter,
    components: connectedComponents(g).count,
    clustering: averageClustering(g),
    gapNormalizedLaplacian: spectralGap(g, "normalizedLaplacian"),
    gapAdjacency: spectralGap(g, "adjacency"),
    gapRandomWalk: spectralGap(g, "randomWalk"),
    distinctLaplacianEigenvalues: plain.distinctValues,
    meanSpacingRatio: plain.meanSpacingRatio,
    excludedRatioPairs: plain.excludedRatioPairs,
    meanSpacingRatioWithNoise1e3: noisy.meanSpacingRatio,
  };
});
console.log(JSON.stringify({ seedDensityFormulaK7: seedDensityFormula(k), closedForm: kroneckerGraphStatistics(sierpinski(), k), rows }, null, 1));
