/**
 * Classification accuracy computed where the data lives: argmax and comparison run on the
 * model's device and each batch sends one number (its count of hits) back with an async
 * read, so it works on WebGPU, where synchronous reads throw.
 */
import type { Module } from "@fcn/nn";
import { type Tensor, argmax, equal, noGrad, sum, tidy } from "@fcn/tensor";

/**
 * Fraction of rows of `x` whose argmax class equals the int32 label in `y`, in evaluation
 * mode (the model's training flag is restored afterwards), `batchSize` rows at a time.
 */
export async function deviceAccuracy(model: Module, data: { x: Tensor; y: Tensor }, batchSize: number): Promise<number> {
  const n = data.x.shape[0];
  if (n === 0) return 0;
  const wasTraining = model.training;
  model.eval();
  try {
    let hits = 0;
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const count = noGrad(() => tidy(() => {
        const predicted = argmax(model.forward(data.x.slice([start], [end])), 1);
        return sum(equal(predicted, data.y.slice([start], [end])).cast("float32"));
      }));
      try {
        hits += (await count.data())[0];
      } finally {
        count.dispose();
      }
    }
    return hits / n;
  } finally {
    model.train(wasTraining);
  }
}
