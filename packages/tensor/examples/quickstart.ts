import { Generator, adamUpdate, matmul, mse, randn, tensor, tidy, zeros } from "@fcn/tensor";

// Fit y = 3x − 1 with one linear layer, Adam and autograd.
const gen = new Generator(7);
const x = randn([256, 1], gen);
const y = x.mul(3).sub(1);

const w = randn([1, 1], gen).requireGrad();
const b = zeros([1]).requireGrad();
const state = [w, b].map((p) => ({ m: zeros(p.shape.slice()), v: zeros(p.shape.slice()) }));

for (let step = 1; step <= 500; step++) {
  tidy(() => {
    const loss = mse(matmul(x, w).add(b), y);
    loss.backward();
    [w, b].forEach((p, i) => {
      adamUpdate(p, p.grad!, state[i].m, state[i].v, {
        lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step,
      });
      p.grad!.dispose();
      p.grad = null;
    });
  });
}

console.log(w.item().toFixed(3), b.item().toFixed(3)); // ≈ 3.000 -1.000
export const fitted = { weight: w.item(), bias: b.item() };

// Gradients of any scalar function, checked against the math: d/dx Σ x² = 2x
const v = tensor([1, 2, 3], { requiresGrad: true });
v.mul(v).sum().backward();
console.log(v.grad!.arraySync()); // [2, 4, 6]
