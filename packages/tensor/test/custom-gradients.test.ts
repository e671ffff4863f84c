import { describe, expect, it } from "vitest";
import { Generator, checkpoint, customVjp, matmul, memory, randn, tanh, tidy, type Tensor } from "../src/index.js";
import { checkGrads } from "../src/testing.js";

const gen = () => new Generator(11);

describe("customVjp", () => {
  const square = customVjp("square", (x) => x.mul(x), (g, [x]) => [g.mul(x).mul(2)]);

  it("uses the given backward, which gradient checks accept when it is right", () => {
    const x = randn([3, 4], gen(), { dtype: "float64" });
    expect(checkGrads((v) => square(v).sum(1), [x]).ok).toBe(true);
  });

  it("a wrong backward is caught by the gradient check", () => {
    const wrong = customVjp("wrongSquare", (x) => x.mul(x), (g, [x]) => [g.mul(x)]);
    const x = randn([5], gen(), { dtype: "float64" });
    expect(checkGrads((v) => wrong(v), [x]).ok).toBe(false);
  });

  it("records nothing when no input requires grad", () => {
    const y = square(randn([2], gen()));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
  });
});

describe("checkpoint", () => {
  // A deep chain that closes over weights: grads must reach both the input and the weights.
  function makeChain(depth: number, width: number) {
    const g = gen();
    const weights = Array.from({ length: depth }, () => randn([width, width], g, { dtype: "float64", std: 0.5 }).requireGrad());
    const chain = (x: Tensor) => weights.reduce((h, w) => tanh(matmul(h, w)), x);
    return { weights, chain };
  }

  it("gives the same gradients as the plain computation", () => {
    const { weights, chain } = makeChain(6, 5);
    const x = randn([4, 5], gen(), { dtype: "float64" }).requireGrad();
    chain(x).sum().backward();
    const plain = [x, ...weights].map((t) => Array.from(t.grad!.dataSync()));
    [x, ...weights].forEach((t) => (t.grad = null));
    checkpoint(chain)(x).sum().backward();
    const checkpointed = [x, ...weights].map((t) => Array.from(t.grad!.dataSync()));
    checkpointed.forEach((grads, i) => grads.forEach((v, k) => expect(v).toBeCloseTo(plain[i][k], 12)));
  });

  it("passes a float64 gradient check through the recomputation", () => {
    const { chain } = makeChain(3, 3);
    const x = randn([2, 3], gen(), { dtype: "float64" });
    expect(checkGrads((v) => checkpoint(chain)(v), [x]).ok).toBe(true);
  });

  it("keeps fewer live tensors between forward and backward", () => {
    const depth = 12;
    const { chain } = makeChain(depth, 8);
    const x = randn([4, 8], gen(), { dtype: "float64" }).requireGrad();
    const liveAfterForward = (f: (x: Tensor) => Tensor) =>
      tidy(() => {
        const before = memory().tensors;
        const y = f(x).sum();
        const live = memory().tensors - before;
        y.backward();
        return live;
      });
    const plain = liveAfterForward(chain);
    const checkpointed = liveAfterForward(checkpoint(chain));
    expect(plain).toBeGreaterThanOrEqual(2 * depth);
    expect(checkpointed).toBeLessThanOrEqual(3);
  });
});

describe("checkpoint with data inputs", () => {
  it("gradients reach the parameters fn closes over even when no input requires grad", () => {
    const g = new Generator(12);
    const w = randn([3, 3], g, { dtype: "float64" }).requireGrad();
    const x = randn([2, 3], g, { dtype: "float64" }); // data: no grad
    const block = (v: Tensor) => tanh(matmul(v, w));
    block(x).sum().backward();
    const plain = Array.from(w.grad!.dataSync());
    w.grad = null;
    const y = checkpoint(block)(x);
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    Array.from(w.grad!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(plain[i], 12));
    expect(x.grad).toBeNull();
  });
});
