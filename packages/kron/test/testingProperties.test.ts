import fc from "fast-check";
import { describe, it } from "vitest";
import {
  PROPERTY_PARAMETERS, eigenvalueProductProperty, interlacingProperty, inverseProperty, laplacianProperty, mixedProductProperty,
  operatorApplyProperty, tensorApplyProperty, traceDeterminantProperty, transposeProperty, vecProperty,
} from "../src/testing.js";

describe("@fcn/kron/testing properties hold", () => {
  it("mixed product", () => fc.assert(mixedProductProperty(), PROPERTY_PARAMETERS));
  it("transpose", () => fc.assert(transposeProperty(), PROPERTY_PARAMETERS));
  it("inverse of a product", () => fc.assert(inverseProperty(), PROPERTY_PARAMETERS));
  it("vec(AXB) = (Bᵀ ⊗ A) vec(X)", () => fc.assert(vecProperty(), PROPERTY_PARAMETERS));
  it("eigenvalue products", () => fc.assert(eigenvalueProductProperty(), PROPERTY_PARAMETERS));
  it("trace and determinant", () => fc.assert(traceDeterminantProperty(), PROPERTY_PARAMETERS));
  it("normalized Laplacian", () => fc.assert(laplacianProperty(), PROPERTY_PARAMETERS));
  it("interlacing after a rank-1 update", () => fc.assert(interlacingProperty(), PROPERTY_PARAMETERS));
  it("operator apply", () => fc.assert(operatorApplyProperty(), PROPERTY_PARAMETERS));
  it("kronApply on tensors", () => fc.assert(tensorApplyProperty(), PROPERTY_PARAMETERS));
});

describe("the properties can fail", () => {
  it("a wrong identity is rejected", () => {
    // Tolerances below zero make every comparison fail: the property must report it.
    const bad = () => fc.assert(vecProperty(-1), { ...PROPERTY_PARAMETERS, numRuns: 5 });
    if ((() => { try { bad(); return true; } catch { return false; } })()) throw new Error("vecProperty accepted a negative tolerance");
    const bad2 = () => fc.assert(interlacingProperty(-1), { ...PROPERTY_PARAMETERS, numRuns: 20 });
    if ((() => { try { bad2(); return true; } catch { return false; } })()) throw new Error("interlacingProperty accepted a negative tolerance");
  });
});
