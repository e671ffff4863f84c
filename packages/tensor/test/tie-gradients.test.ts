/**
 * Gradients at ties and kinks, exactly as PyTorch 1.13 computes them: leaky_relu_backward is
 * (x > 0 ? 1 : slope); clamp_backward passes the gradient where min ≤ x ≤ max, bounds
 * included; torch.maximum/minimum split a tie equally.
 */
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { checkGrads } from "../src/testing.js";

/** d(Σ f(x))/dx at the given float64 points. */
function gradientAt(f: (x: T.Tensor) => T.Tensor, values: number[]): number[] {
  return T.tidy(() => {
    const x = T.tensor(values, { dtype: "float64" }).requireGrad();
    f(x).sum().backward();
    return Array.from(x.grad!.dataSync());
  });
}

describe("leakyRelu's gradient", () => {
  it("is the slope at 0, for every slope (PyTorch: 0.2 for slope 0.2, where a tie split gave 0.6)", () => {
    for (const slope of [0.2, 0.01, 0, 1, 2, -0.5]) {
      expect(gradientAt((x) => T.leakyRelu(x, slope), [-1, 0, 1])).toEqual([slope, slope, 1]);
    }
    expect(gradientAt((x) => T.leakyRelu(x), [0, -0])).toEqual([0.01, 0.01]);
  });

  it("gives slope for NaN input (x > 0 is false), as PyTorch", () => {
    expect(gradientAt((x) => T.leakyRelu(x, 0.2), [NaN])).toEqual([0.2]);
  });

  it("passes finite differences away from the kink, and the forward is unchanged", () => {
    const x = T.tensor([-2.5, -0.3, 0.25, 1.75], { dtype: "float64" });
    for (const slope of [0.2, 3]) expect(checkGrads((v) => T.leakyRelu(v, slope), [x]).ok).toBe(true);
    expect(Array.from(T.leakyRelu(T.tensor([-2, 0, 3]), 0.5).dataSync())).toEqual([-1, 0, 3]);
  });

  it("is differentiable again (createGraph): d²/dx² Σ x·leakyRelu(x) = 2·leakyRelu'(x)", () => {
    T.tidy(() => {
      const x = T.tensor([-1, 0, 2], { dtype: "float64" }).requireGrad();
      x.mul(T.leakyRelu(x, 0.2)).sum().backward(undefined, { createGraph: true });
      const first = x.grad!;
      expect(Array.from(first.dataSync())).toEqual([-0.4, 0, 4]); // leakyRelu(x) + x·leakyRelu'(x)
      x.grad = null;
      first.sum().backward();
      expect(Array.from(x.grad!.dataSync())).toEqual([0.4, 0.4, 2]);
    });
  });
});

describe("clamp's gradient", () => {
  it("is 1 at a bound (PyTorch), 1 inside, 0 outside", () => {
    expect(gradientAt((x) => T.clamp(x, -1, 0.5), [-2, -1, 0, 0.5, 1])).toEqual([0, 1, 1, 1, 0]);
    expect(gradientAt((x) => T.clamp(x, 0), [-1, 0, 1])).toEqual([0, 1, 1]);
    expect(gradientAt((x) => T.clamp(x, undefined, 0), [-1, 0, 1])).toEqual([1, 1, 0]);
    expect(gradientAt((x) => T.clamp(x, 2, 2), [1, 2, 3])).toEqual([0, 1, 0]);
  });

  it("is 0 for NaN input (min ≤ x ≤ max is false), as PyTorch", () => {
    expect(gradientAt((x) => T.clamp(x, -1, 1), [NaN])).toEqual([0]);
  });

  it("passes finite differences away from the bounds; without bounds clamp is the identity", () => {
    const x = T.tensor([-2.5, -0.3, 0.25, 1.75], { dtype: "float64" });
    expect(checkGrads((v) => T.clamp(v, -1, 0.5), [x]).ok).toBe(true);
    expect(T.clamp(x)).toBe(x);
  });
});

describe("maximum and minimum keep splitting ties (torch.maximum does)", () => {
  it("gives ½ to each side of a tie", () => {
    const a = T.tensor([1, 2], { dtype: "float64" }).requireGrad();
    const b = T.tensor([1, 3], { dtype: "float64" }).requireGrad();
    T.maximum(a, b).sum().backward();
    expect([Array.from(a.grad!.dataSync()), Array.from(b.grad!.dataSync())]).toEqual([[0.5, 0], [0.5, 1]]);
    expect(gradientAt((x) => T.minimum(x, 0), [0])).toEqual([0.5]);
    expect(gradientAt((x) => T.softplus(x), [0])).toEqual([0.5]);
  });
});
