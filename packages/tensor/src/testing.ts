/**
 * Test helpers for packages built on @fcn/tensor: gradient checking and fast-check
 * arbitraries for shapes and tensors.
 */
export { checkGrads, type CheckGradsOptions, type CheckGradsResult } from "./autograd/check.js";
export { shapeArbitrary, broadcastPairArbitrary, valuesArbitrary, tensorArbitrary } from "./testing/arbitraries.js";
