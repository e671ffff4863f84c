/**
 * The consumer of the testing subpaths (tools/consumer-test.mjs). They need fast-check 4, whose own
 * declarations resolve only under node16/nodenext/bundler resolution, so the node10 build leaves
 * this file out.
 */
import { strict as assert } from "node:assert";
import { mul, sum, tensor } from "@fcn/tensor";
import { checkGrads } from "@fcn/tensor/testing";
import { PROPERTY_PARAMETERS, symmetricMatrixArbitrary } from "@fcn/kron/testing";
import { assert as checkProperty, property } from "fast-check";

assert.equal(checkGrads((x) => sum(mul(x, x)), [tensor([1, 2, 3], { dtype: "float64" })]).ok, true);
checkProperty(property(symmetricMatrixArbitrary(1, 4), (m) => m.rows === m.cols), { ...PROPERTY_PARAMETERS, numRuns: 5 });
console.log(`testing kits ok (${typeof module === "undefined" ? "esm" : "cjs"})`);
