import { Generator, tensor } from "@fcn/tensor";
import { Adam, DenseMLP, FractalCirculator, HSN, evaluate, fit } from "@fcn/nn";

// Two concentric rings: label 1 on the inner ring (radius 0.5), 0 on the outer (radius 1).
function circles(n: number, seed: number) {
  const gen = new Generator(seed);
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = i % 2 ? 0.5 : 1;
    const a = 2 * Math.PI * gen.uniform();
    x[2 * i] = r * Math.cos(a) + 0.05 * gen.normal();
    x[2 * i + 1] = r * Math.sin(a) + 0.05 * gen.normal();
    y[i] = i % 2;
  }
  return { x: tensor(x, { shape: [n, 2] }), y: tensor(y, { shape: [n, 1] }) };
}

const train = circles(256, 1);
const test = circles(256, 2);

// The seed's models: a fixed Sierpinski graph (H = 64, T = 5) against a dense 3-layer MLP.
const models = {
  circulator: new FractalCirculator({ hidden: 64, steps: 5, seed: 1 }),
  hsn: new HSN({ seed: 1 }),
  dense: new DenseMLP({ width: 64, seed: 1 }),
};

export const results: Record<string, { learned: number; effective: number; accuracy: number }> = {};
for (const [name, model] of Object.entries(models)) {
  await fit(model, train, {
    epochs: 60, batchSize: 64, seed: 0, lossFn: "binaryCrossEntropy",
    optimizer: new Adam(model.parameters(), { lr: 0.02 }),
  });
  const { metrics } = await evaluate(model, test, { lossFn: "binaryCrossEntropy", metrics: ["accuracy"] });
  results[name] = { learned: model.rawParams, effective: model.effectiveParams, accuracy: metrics.accuracy };
}
console.table(results);
// circulator: 325 learned params; hsn: 897 raw (660 effective); dense: 4,417 — all near 100% here.
