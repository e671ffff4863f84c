/** `fit`'s callbacks, early stopping with restored weights, async metrics, and the async gradient clip. */
import { describe, expect, it } from "vitest";
import { ArgumentError, FcnError, Generator, memory, randn, tidy } from "@fcn/tensor";
import {
  Adam, type Callback, DenseMLP, EarlyStopping, Linear, Parameter, SGD, clipGradNorm, clipGradNormAsync, evaluate, fit, lossFunction,
} from "../src/index.js";
import { circles } from "./helpers.js";

const weightsOf = async (model: DenseMLP) => Promise.all(model.parameters().map(async (p) => Array.from(await p.value.data())));

describe("fit's callbacks", () => {
  it("calls every hook in order: train, epochs, each step's backward and end, training end before validation", async () => {
    const model = new DenseMLP({ width: 4, seed: 1 });
    const calls: string[] = [];
    const batchLosses: number[] = [];
    const recorder: Callback = {
      onTrainBegin: (c) => { calls.push(`trainBegin ${c.epochs}x${c.batches}`); },
      onEpochBegin: async (epoch) => { await Promise.resolve(); calls.push(`epochBegin ${epoch}`); },
      onBeforeBackward: (p) => { calls.push(`before ${p.epoch}.${p.batch}`); },
      onAfterBackward: (p) => { calls.push(`after ${p.epoch}.${p.batch}`); },
      onBatchEnd: (r) => { calls.push(`batchEnd ${r.epoch}.${r.batch}/${r.batches} ${r.size}`); batchLosses.push(r.loss * r.size); },
      onTrainEpochEnd: (epoch) => { calls.push(`trainEpochEnd ${epoch}`); },
      onEpochEnd: (r) => { calls.push(`epochEnd ${r.epoch} ${r.validation ? "validated" : "-"}`); },
      onTrainEnd: (r) => { calls.push(`trainEnd ${r.history.length}`); },
    };
    const result = await fit(model, circles(10, 1), {
      epochs: 2, batchSize: 4, optimizer: new SGD(model.parameters()), lossFn: "binaryCrossEntropy", validation: circles(6, 2), callbacks: [recorder],
    });
    const step = (e: number, b: number, size: number) => [`before ${e}.${b}`, `after ${e}.${b}`, `batchEnd ${e}.${b}/3 ${size}`];
    const epoch = (e: number) => [`epochBegin ${e}`, ...step(e, 0, 4), ...step(e, 1, 4), ...step(e, 2, 2), `trainEpochEnd ${e}`, `epochEnd ${e} validated`];
    expect(calls).toEqual(["trainBegin 2x3", ...epoch(1), ...epoch(2), "trainEnd 2"]);
    // The epoch's loss is the batch losses weighted by size, summed in the same order.
    expect(batchLosses.slice(0, 3).reduce((a, b) => a + b, 0) / 10).toBe(result.history[0].loss);
  });

  it("an async onEpochEnd answering false stops after that epoch; onEpoch comes first", async () => {
    const model = new DenseMLP({ width: 4, seed: 1 });
    const order: string[] = [];
    const result = await fit(model, circles(8, 1), {
      epochs: 10, optimizer: new SGD(model.parameters()), lossFn: "binaryCrossEntropy",
      onEpoch: () => { order.push("onEpoch"); },
      callbacks: [{ onEpochEnd: async (r) => { order.push("callback"); return r.epoch < 3; } }],
    });
    expect(result.history).toHaveLength(3);
    expect(order.slice(0, 2)).toEqual(["onEpoch", "callback"]);
    expect(result.stoppedEarly).toBe(false);
  });

  it("an error thrown by onBatchEnd rejects fit with it and leaves no step tensors behind", async () => {
    const model = new DenseMLP({ width: 4, seed: 1 });
    const data = circles(16, 1);
    const optimizer = new SGD(model.parameters());
    const before = memory().tensors;
    const failing = fit(model, data, {
      epochs: 3, batchSize: 4, optimizer, lossFn: "binaryCrossEntropy", metrics: ["accuracy"],
      callbacks: [{ onBatchEnd: (r) => { if (r.epoch === 2 && r.batch === 1) throw new FcnError(`stop at ${r.epoch}.${r.batch + 1}`); } }],
    });
    await expect(failing).rejects.toThrow("stop at 2.2");
    optimizer.dispose(); // SGD's momentum buffers
    expect(memory().tensors).toBe(before);
  });

  it("a full run leaves only the optimizer's state alive; metrics may be async functions", async () => {
    const model = new DenseMLP({ width: 4, seed: 1 });
    const data = circles(16, 1);
    const validation = circles(8, 3);
    const optimizer = new Adam(model.parameters());
    const before = memory().tensors;
    const result = await fit(model, data, {
      epochs: 2, batchSize: 5, optimizer, lossFn: "binaryCrossEntropy", validation,
      metrics: { acc: "accuracy", rows: async (p) => p.shape[0] }, earlyStopping: { patience: 5, restoreBest: true },
    });
    expect(result.history[0].metrics.rows).toBeCloseTo((5 * 5 + 5 * 5 + 5 * 5 + 1 * 1) / 16, 12);
    expect(result.history[0].validation!.metrics.rows).toBe(8);
    optimizer.dispose();
    expect(memory().tensors).toBe(before);
  });
});

describe("stopping mid-epoch", () => {
  const run = async (extra: { maxSteps?: number; callbacks?: Callback[] }) => {
    const model = new DenseMLP({ width: 4, seed: 1 });
    const calls: string[] = [];
    const losses: number[] = [];
    const recorder: Callback = {
      onBatchEnd: (r) => { calls.push(`batch ${r.epoch}.${r.batch}`); losses.push(r.loss); },
      onTrainEpochEnd: (epoch) => { calls.push(`trainEpochEnd ${epoch}`); },
      onEpochEnd: (r) => { calls.push(`epochEnd ${r.epoch} ${r.validation ? "validated" : "-"}`); },
      onTrainEnd: (r) => { calls.push(`trainEnd ${r.history.length}`); },
    };
    const result = await fit(model, circles(10, 1), {
      epochs: 4, batchSize: 4, seed: 3, optimizer: new Adam(model.parameters(), { lr: 0.05 }), lossFn: "binaryCrossEntropy",
      metrics: ["accuracy"], validation: circles(6, 2), maxSteps: extra.maxSteps, callbacks: [recorder, ...(extra.callbacks ?? [])],
    });
    return { result, calls, losses, weights: await weightsOf(model) };
  };

  it("maxSteps stops after that many steps in the middle of an epoch, which ends as any other; the steps run are unchanged", async () => {
    const full = await run({});
    const budget = await run({ maxSteps: 5 });
    expect(budget.calls).toEqual([
      "batch 1.0", "batch 1.1", "batch 1.2", "trainEpochEnd 1", "epochEnd 1 validated",
      "batch 2.0", "batch 2.1", "trainEpochEnd 2", "epochEnd 2 validated", "trainEnd 2",
    ]);
    expect(budget.losses).toEqual(full.losses.slice(0, 5));
    expect(budget.result.history[0]).toEqual(full.result.history[0]);
    // The partial epoch averages its two batches of 4 rows.
    expect(budget.result.history[1].loss).toBe((budget.losses[3] * 4 + budget.losses[4] * 4) / 8);
    expect(budget.result.history[1].validation!.loss).not.toBe(full.result.history[1].validation!.loss);
    // A budget past the epochs' steps changes nothing.
    const loose = await run({ maxSteps: 100 });
    expect(loose.losses).toEqual(full.losses);
    expect(loose.weights).toEqual(full.weights);
  });

  it("an async onBatchEnd answering false stops after that step, as the same budget does", async () => {
    const stopper: Callback = { onBatchEnd: async (r) => { await Promise.resolve(); return !(r.epoch === 2 && r.batch === 1); } };
    const stopped = await run({ callbacks: [stopper] });
    const budget = await run({ maxSteps: 5 });
    expect(stopped.calls).toEqual(budget.calls);
    expect(stopped.result).toEqual(budget.result);
    expect(stopped.weights).toEqual(budget.weights);
    expect(stopped.result.stoppedEarly).toBe(false);
  });

  it("maxSteps 0 trains nothing; a negative or fractional budget is named", async () => {
    const zero = await run({ maxSteps: 0 });
    expect(zero.calls).toEqual(["trainEnd 0"]);
    expect(zero.result.history).toEqual([]);
    expect(zero.weights).toEqual(await weightsOf(new DenseMLP({ width: 4, seed: 1 })));
    const model = new DenseMLP({ width: 4, seed: 1 });
    for (const maxSteps of [-1, 1.5, Number.NaN]) {
      await expect(fit(model, circles(8, 1), { epochs: 1, maxSteps, optimizer: new SGD(model.parameters()), lossFn: "mse" }))
        .rejects.toThrow(new RegExp(`fit: maxSteps must be an integer ≥ 0, got ${maxSteps}`));
    }
  });
});

describe("early stopping", () => {
  it("restores the weights of the epoch with the lowest validation loss, which bestEpoch names", async () => {
    const model = new DenseMLP({ width: 8, seed: 2 });
    const snapshots: number[][][] = [];
    // lr 0.5 makes the validation loss bounce, so the best epoch is not the last one.
    const result = await fit(model, circles(64, 1, 0.3), {
      epochs: 12, batchSize: 8, seed: 4, optimizer: new Adam(model.parameters(), { lr: 0.5 }), lossFn: "binaryCrossEntropy",
      validation: circles(32, 2, 0.3), earlyStopping: { patience: 4, restoreBest: true },
      onEpoch: async () => { snapshots.push(await weightsOf(model)); },
    });
    const losses = result.history.map((h) => h.validation!.loss);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(best);
    expect(best).toBeLessThan(result.history.length);
    expect(await weightsOf(model)).toEqual(snapshots[best - 1]);
    expect(result.stoppedEarly).toBe(result.history.length < 12);
  });

  it("an EarlyStopping among the callbacks stops and reports like the option; a metric monitor with 'acc' maximizes", async () => {
    const run = async (how: "option" | "callback") => {
      const model = new DenseMLP({ width: 4, seed: 3 });
      const options = { patience: 2, monitor: "accuracy", minDelta: 0.5 };
      const stopper = new EarlyStopping(options);
      expect(stopper.mode).toBe("max");
      return fit(model, circles(32, 1), {
        epochs: 20, optimizer: new SGD(model.parameters()), lossFn: "binaryCrossEntropy", metrics: ["accuracy"],
        ...(how === "option" ? { earlyStopping: options } : { callbacks: [stopper] }),
      });
    };
    const viaOption = await run("option");
    const viaCallback = await run("callback");
    expect(viaOption.stoppedEarly).toBe(true);
    expect(viaOption.history).toHaveLength(3); // epoch 1 beats −∞, then 2 epochs without a 0.5 gain
    expect(viaCallback).toEqual(viaOption);
  });

  it("rejects a negative patience and an unknown monitor, naming them", async () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ArgumentError);
    expect(() => new EarlyStopping({ patience: Number.NaN })).toThrow(/patience must be ≥ 0, got NaN/);
    const model = new DenseMLP({ width: 4, seed: 1 });
    await expect(fit(model, circles(8, 1), {
      epochs: 2, optimizer: new SGD(model.parameters()), lossFn: "binaryCrossEntropy", earlyStopping: { patience: 1, monitor: "f1" },
    })).rejects.toThrow(/monitor 'f1' is not a computed metric/);
  });
});

describe("async reads", () => {
  it("clipGradNormAsync gives clipGradNorm's norm and clipped gradients bit for bit", async () => {
    const clipped = async (useAsync: boolean) => {
      const layer = new Linear({ inputs: 5, outputs: 3, seed: 2 });
      const x = randn([7, 5], new Generator(3));
      const y = randn([7, 3], new Generator(4));
      tidy(() => lossFunction("mse")(layer.forward(x), y).mul(50).backward());
      const norm = useAsync ? await clipGradNormAsync(layer.parameters(), 0.25) : clipGradNorm(layer.parameters(), 0.25);
      return { norm, grads: await Promise.all(layer.parameters().map(async (p) => Array.from(await p.value.grad!.data()))) };
    };
    const sync = await clipped(false);
    expect(sync.norm).toBeGreaterThan(0.25);
    expect(await clipped(true)).toEqual(sync);
    await expect(clipGradNormAsync([new Parameter(randn([2], new Generator(1)))], 0)).rejects.toThrow(/clipGradNormAsync: maxNorm must be positive, got 0/);
  });

  it("evaluate's batches do not change its result", async () => {
    const model = new DenseMLP({ width: 4, seed: 5 });
    const data = circles(30, 6);
    const whole = await evaluate(model, data, { lossFn: "binaryCrossEntropy", metrics: ["accuracy", "mse"] });
    const batched = await evaluate(model, data, { lossFn: "binaryCrossEntropy", metrics: ["accuracy", "mse"], batchSize: 7 });
    expect(batched).toEqual(whole);
    expect(model.training).toBe(true);
  });
});
