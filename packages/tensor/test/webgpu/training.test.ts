/**
 * End to end: a small MLP trained with Adam on generated data gives the same loss curve
 * on WebGPU as on the CPU (both float32), and 100 training steps on WebGPU leave GPU
 * memory where it was after the first steps.
 */
import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { expectClose, hasGpu, on } from "./gpu.js";

type Params = T.Tensor[];

/** Data: 64 points in 8 dimensions, labels from a fixed random linear map; initial weights. */
function problem() {
  const gen = new T.Generator(11);
  const x = T.randn([64, 8], gen);
  const labels = T.argmax(T.matmul(x, T.randn([8, 3], gen)), 1);
  const params = [T.randn([8, 16], gen, { std: 0.4 }), T.zeros([16]), T.randn([16, 3], gen, { std: 0.4 }), T.zeros([3])];
  return { x, labels, params };
}

/** Trains for `steps` Adam steps on `device`; returns each step's loss tensor (not yet read). */
function train(device: "cpu" | "webgpu", steps: number, onStep?: (step: number) => void): T.Tensor[] {
  const cpu = problem();
  const move = (t: T.Tensor) => (device === "cpu" ? t : t.to("webgpu"));
  const x = move(cpu.x);
  const labels = move(cpu.labels);
  const params: Params = cpu.params.map((p) => move(p).requireGrad());
  const moments = params.map((p) => [T.zerosLike(p), T.zerosLike(p)]);
  const losses: T.Tensor[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = T.tidy(() => {
      const [w1, b1, w2, b2] = params;
      const logits = T.matmul(T.relu(T.matmul(x, w1).add(b1)), w2).add(b2);
      const l = T.crossEntropy(logits, labels);
      l.backward();
      return l.detach();
    });
    params.forEach((p, i) => {
      T.adamUpdate(p, p.grad!, moments[i][0], moments[i][1], { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step });
      p.grad!.dispose();
      p.grad = null;
    });
    losses.push(loss);
    onStep?.(step);
  }
  T.dispose([x, labels, params, moments]);
  return losses;
}

describe.skipIf(!hasGpu)("WebGPU training", () => {
  it("an MLP's Adam loss curve matches the CPU's within rtol 1e-4 over 30 steps", async () => {
    const cpu = on("cpu", () => train("cpu", 30)).map((l) => l.item());
    const gpuLosses = on("cpu", () => train("webgpu", 30));
    const gpu = await Promise.all(gpuLosses.map(async (l) => (await l.data())[0]));
    T.dispose(gpuLosses);
    expectClose("loss curve", gpu, cpu, 1e-5, 1e-4);
    expect(cpu[29]).toBeLessThan(0.5 * cpu[0]);
  });

  it("100 training steps do not grow GPU memory (memory().bytes.webgpu)", async () => {
    const seen: number[] = [];
    const losses = on("cpu", () => train("webgpu", 100, (step) => {
      if (step === 5 || step === 100) seen.push(T.memory().bytes.webgpu ?? -1);
    }));
    await losses[99].data();
    // The 100 kept loss scalars grow it by 95 × 4 bytes between the two samples; nothing else may.
    expect(seen[1] - seen[0]).toBe(95 * 4);
    const before = T.memory().bytes.webgpu!;
    T.dispose(losses);
    expect(T.memory().bytes.webgpu).toBe(before - 100 * 4);
    expect(T.webgpuStats().pooledBytes).toBeLessThan(8 * 1024 * 1024);
  });
});
