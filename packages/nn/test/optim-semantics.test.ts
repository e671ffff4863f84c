import { tensor, tidy } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { Adam, AdamW, Module, SGD, clipGradNorm, type Optimizer } from "../src/index.js";

/** Two float64 scalars a and b; the loss sums the chosen ones, so each chosen gradient is 1. */
class Pair extends Module {
  readonly a = this.param("a", tensor([0], { dtype: "float64" }));
  readonly b = this.param("b", tensor([0], { dtype: "float64" }));
  forward(): never {
    throw new Error("unused");
  }
}

function stepWith(optimizer: Optimizer, ...chosen: Pair["a"][]): void {
  tidy(() => {
    chosen.map((p) => p.value.sum()).reduce((x, y) => x.add(y)).backward();
    optimizer.step();
    optimizer.zeroGrad();
  });
}

describe("Adam counts steps per parameter (PyTorch's state[p]['step'])", () => {
  it("a parameter without a gradient is skipped and its bias correction starts at its own first step", () => {
    const m = new Pair();
    const adam = new Adam(m.parameters(), { lr: 0.1 });
    stepWith(adam, m.a);
    expect([adam.stepOf(m.a), adam.stepOf(m.b)]).toEqual([1, 0]);
    expect(m.b.value.item()).toBe(0);
    stepWith(adam, m.a, m.b);
    // PyTorch 1.13: a = −0.2, b = −0.1 (b's first step moves by lr·sign(g)); a global step gave b = −0.0744
    expect(m.a.value.item()).toBeCloseTo(-0.2, 7);
    expect(m.b.value.item()).toBeCloseTo(-0.1, 7);
    expect([adam.stepOf(m.a), adam.stepOf(m.b)]).toEqual([2, 1]);
    expect(adam.stepCount).toBe(2);
  });

  it("AdamW neither decays nor counts a parameter that has no gradient", () => {
    const m = new Pair();
    m.b.value.assign(tensor([2], { dtype: "float64" }));
    const adamw = new AdamW(m.parameters(), { lr: 0.1, weightDecay: 0.5 });
    stepWith(adamw, m.a);
    expect(m.b.value.item()).toBe(2);
    stepWith(adamw, m.a, m.b);
    expect(m.b.value.item()).toBeCloseTo(2 * (1 - 0.05) - 0.1, 7);
  });

  it("SGD's momentum buffer also starts at a parameter's own first gradient", () => {
    const m = new Pair();
    const sgd = new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 });
    stepWith(sgd, m.a);
    stepWith(sgd, m.a, m.b);
    expect(m.a.value.item()).toBeCloseTo(-0.1 - 0.19, 12);
    expect(m.b.value.item()).toBeCloseTo(-0.1, 12);
  });
});

describe("clipGradNorm", () => {
  it("divides by the norm plus 1e-6, as PyTorch's clip_grad_norm_", () => {
    const m = new Pair();
    tidy(() => m.a.value.mul(3).add(m.b.value.mul(4)).sum().backward()); // ‖g‖ = 5
    expect(clipGradNorm(m.parameters(), 1)).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expect(m.a.value.grad!.item()).toBeCloseTo(3 * coef, 14);
    expect(m.b.value.grad!.item()).toBeCloseTo(4 * coef, 14);
  });

  it("scales at a norm equal to maxNorm (coefficient just below 1) and not above it", () => {
    const m = new Pair();
    tidy(() => m.a.value.mul(3).add(m.b.value.mul(4)).sum().backward());
    clipGradNorm(m.parameters(), 5);
    expect(m.a.value.grad!.item()).toBeCloseTo(3 * (5 / (5 + 1e-6)), 14);
    clipGradNorm(m.parameters(), 10);
    expect(m.a.value.grad!.item()).toBeCloseTo(3 * (5 / (5 + 1e-6)), 14);
  });

  it("turns every gradient NaN when the norm is NaN, and zeroes finite ones when it is infinite, as PyTorch", () => {
    const m = new Pair();
    tidy(() => m.a.value.mul(NaN).add(m.b.value.mul(4)).sum().backward());
    expect(Number.isNaN(clipGradNorm(m.parameters(), 1))).toBe(true);
    expect([m.a.value.grad!.item(), m.b.value.grad!.item()]).toEqual([NaN, NaN]);
    const n = new Pair();
    tidy(() => n.a.value.mul(Infinity).add(n.b.value.mul(4)).sum().backward());
    expect(clipGradNorm(n.parameters(), 1)).toBe(Infinity);
    expect([n.a.value.grad!.item(), n.b.value.grad!.item()]).toEqual([NaN, 0]);
  });
});
