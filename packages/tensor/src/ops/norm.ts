import { noGrad } from "../autograd/mode.js";
import { floatType } from "../dtype.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import type { Generator } from "../random.js";
import type { Tensor } from "../tensor.js";
import { bernoulli } from "./creation.js";
import { add, cast, div, mul, sqrt, sub } from "./elementwise.js";
import { tidy } from "../memory.js";
import { reshape } from "./movement.js";
import { mean } from "./reduce.js";
import { assertGenerator, assertTensor } from "./validate.js";

export interface BatchNormOptions {
  /** Normalize with the batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the new batch statistic in the running averages (default 0.1, as PyTorch). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalization over every axis but the channel axis 1 of x [N, C, …]:
 * (x − μ) / √(σ² + eps) · weight + bias. In training, μ and σ² (biased) come from the batch
 * and the running statistics [C] are updated in place without gradient
 * (running ← (1 − momentum)·running + momentum·stat, the variance unbiased); in evaluation
 * the running statistics are used. Running statistics may be null (then the batch's are
 * always used); weight and bias [C] are optional. Composed of elementwise ops and means,
 * so its gradient (through the batch statistics in training) is exact.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  assertTensor(x, "batchNorm", "x");
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t !== null && t !== undefined) assertTensor(t, "batchNorm", name);
  }
  if (typeof options !== "object" || options === null) throw new ArgumentError(`batchNorm: options must be an object, got ${String(options)}`, "options");
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (x.rank < 2) throw new ShapeError(`batchNorm: input must be [N, C, …], got ${formatShape(x.shape)}`);
  if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentError(`batchNorm: momentum must be in [0, 1], got ${momentum}`);
  if (!(eps >= 0)) throw new ArgumentError(`batchNorm: eps must be non-negative, got ${eps}`);
  const c = x.shape[1];
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", weight], ["bias", bias]] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== c)) throw new ShapeError(`batchNorm: ${name} ${formatShape(t.shape)} must be [${c}] for input ${formatShape(x.shape)}`);
  }
  if ((runningMean === null) !== (runningVar === null)) throw new ArgumentError("batchNorm: give both running statistics or neither");
  const dtype = floatType(x.dtype);
  const xf = x.dtype === dtype ? x : cast(x, dtype);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const asChannel = (t: Tensor) => reshape(t.dtype === dtype ? t : cast(t, dtype), perChannel);
  const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
  let mu: Tensor;
  let variance: Tensor;
  if (training || !runningMean || !runningVar) {
    mu = mean(xf, axes, true);
    const centered = sub(xf, mu);
    variance = mean(mul(centered, centered), axes, true);
    if (training && runningMean && runningVar) {
      const count = x.size / c;
      if (count < 2) throw new ShapeError(`batchNorm: training needs more than one value per channel, got input ${formatShape(x.shape)}`);
      // The temporaries are freed at once; assign keeps the new values alive.
      noGrad(() => tidy(() => {
        const m = reshape(mu.detach(), [c]);
        const v = mul(reshape(variance.detach(), [c]), count / (count - 1));
        runningMean.assign(add(mul(runningMean, 1 - momentum), mul(cast(m, runningMean.dtype), momentum)));
        runningVar.assign(add(mul(runningVar, 1 - momentum), mul(cast(v, runningVar.dtype), momentum)));
      }));
    }
  } else {
    mu = asChannel(runningMean);
    variance = asChannel(runningVar);
  }
  let y = div(sub(xf, mu), sqrt(add(variance, eps)));
  if (weight) y = mul(y, asChannel(weight));
  if (bias) y = add(y, asChannel(bias));
  return y;
}

function maskedDropout(op: string, x: Tensor, p: number, generator: Generator, training: boolean, maskShape: number[]): Tensor {
  if (typeof p !== "number" || !(p >= 0 && p < 1)) throw new ArgumentError(`${op}: p must be in [0, 1), got ${typeof p === "string" ? JSON.stringify(p) : String(p)}`, "p");
  if (!training || p === 0) return x;
  assertGenerator(generator, op);
  const keep = bernoulli(1 - p, maskShape, generator, { dtype: floatType(x.dtype) });
  return div(mul(x, keep), 1 - p);
}

/**
 * Channel dropout on x [N, C, …]: in training, zeroes whole channels (one draw per sample
 * and channel) with probability p and scales the rest by 1/(1 − p); identity otherwise.
 */
export function dropout2d(x: Tensor, p: number, generator: Generator, training = true): Tensor {
  assertTensor(x, "dropout2d", "x");
  if (x.rank < 2) throw new ShapeError(`dropout2d: input must be [N, C, …], got ${formatShape(x.shape)}`);
  return maskedDropout("dropout2d", x, p, generator, training, x.shape.map((d, i) => (i < 2 ? d : 1)));
}

/**
 * Stochastic depth on x [N, …]: in training, zeroes each sample's whole residual branch
 * with probability p and scales the kept ones by 1/(1 − p); identity otherwise.
 */
export function dropPath(x: Tensor, p: number, generator: Generator, training = true): Tensor {
  assertTensor(x, "dropPath", "x");
  if (x.rank < 1) throw new ShapeError(`dropPath: input must have a batch axis, got a scalar`);
  return maskedDropout("dropPath", x, p, generator, training, x.shape.map((d, i) => (i === 0 ? d : 1)));
}
