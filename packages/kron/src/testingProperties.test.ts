import fc from "fast-check";
import { describe, it } from "vitest";
import {
  PROPERTY_PARAMETERS, eigenvalueProductProperty, laplacianProperty, mixedProductProperty, operatorApplyProperty, transposeProperty,
} from "./testing.js";

describe("@fcn/kron/testing properties hold", () => {
  it("mixed product", () => fc.assert(mixedProductProperty(), PROPERTY_PARAMETERS));
  it("transpose", () => fc.assert(transposeProperty(), PROPERTY_PARAMETERS));
  it("eigenvalue products", () => fc.assert(eigenvalueProductProperty(), PROPERTY_PARAMETERS));
  it("operator apply", () => fc.assert(operatorApplyProperty(), PROPERTY_PARAMETERS));
  it("normalized Laplacian", () => fc.assert(laplacianProperty(), PROPERTY_PARAMETERS));
});
