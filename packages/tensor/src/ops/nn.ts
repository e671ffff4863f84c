import { DTypeError, ShapeError, formatShape, ArgumentError } from "../errors.js";
import type { Generator } from "../random.js";
import { normalizeAxis, shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { bernoulli } from "./creation.js";
import { abs, cast, exp, fullPrecisionInput, log1p, maximum, mul, neg, sub, div } from "./elementwise.js";
import { apply } from "./dispatch.js";
import { floatType } from "../dtype.js";
import { oneHot } from "./indexing.js";
import { mean, sum } from "./reduce.js";
import { assertGenerator, assertTensor } from "./validate.js";

/** e^(x − max) / Σ e^(x − max) along `axis`; each slice sums to 1. */
export function softmax(x0: Tensor, axis = -1): Tensor {
  assertTensor(x0, "softmax", "x");
  const x = fullPrecisionInput(x0);
  return apply("softmax", [floatInput(x)], { axis: normalizeAxis(axis, x.rank, "softmax") }, x.shape, floatType(x.dtype));
}

/** x − logsumexp(x) along `axis`, computed stably. */
export function logSoftmax(x0: Tensor, axis = -1): Tensor {
  assertTensor(x0, "logSoftmax", "x");
  const x = fullPrecisionInput(x0);
  return apply("logSoftmax", [floatInput(x)], { axis: normalizeAxis(axis, x.rank, "logSoftmax") }, x.shape, floatType(x.dtype));
}

function floatInput(x: Tensor): Tensor {
  return x.dtype === floatType(x.dtype) ? x : cast(x, floatType(x.dtype));
}

export type Reduction = "mean" | "sum" | "none";

function reduceLoss(loss: Tensor, reduction: Reduction, op: string): Tensor {
  if (reduction === "none") return loss;
  if (reduction === "sum") return sum(loss);
  if (reduction === "mean") return mean(loss);
  throw new ArgumentError(`${op}: reduction must be "mean", "sum" or "none", got ${String(reduction)}`, { functionName: op, argument: "reduction" });
}

function sameShape(op: string, a: Tensor, b: Tensor): void {
  if (!shapesEqual(a.shape, b.shape)) throw new ShapeError(`${op}: prediction ${formatShape(a.shape)} and target ${formatShape(b.shape)} differ`);
}

/** Mean squared error: mean((prediction − target)²). */
export function mse(prediction: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  assertTensor(prediction, "mse", "prediction");
  assertTensor(target, "mse", "target");
  sameShape("mse", prediction, target);
  const d = sub(prediction, target);
  return reduceLoss(mul(d, d), reduction, "mse");
}

/**
 * Cross-entropy of `logits` [batch, classes] against int32 class `labels` [batch] or
 * class probabilities [batch, classes]: −Σ target · logSoftmax(logits).
 */
export function crossEntropy(logits: Tensor, labels: Tensor, reduction: Reduction = "mean"): Tensor {
  assertTensor(logits, "crossEntropy", "logits");
  assertTensor(labels, "crossEntropy", "labels");
  if (logits.rank !== 2) throw new ShapeError(`crossEntropy: logits must be [batch, classes], got ${formatShape(logits.shape)}`);
  let target: Tensor;
  if (labels.dtype === "int32") {
    if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
      throw new ShapeError(`crossEntropy: labels ${formatShape(labels.shape)} must be [${logits.shape[0]}] for logits ${formatShape(logits.shape)}`);
    }
    // Checked where the labels can be read synchronously; on WebGPU an out-of-range label
    // matches no class and contributes 0.
    if (labels.backend.readSync) {
      for (const v of labels.dataSync()) {
        if (v < 0 || v >= logits.shape[1]) throw new ArgumentError(`crossEntropy: label ${v} is outside [0, ${logits.shape[1]})`);
      }
    }
    target = oneHot(labels, logits.shape[1]);
  } else if (labels.dtype === "bool") {
    throw new DTypeError("crossEntropy: labels must be int32 class indices or float probabilities");
  } else {
    sameShape("crossEntropy", logits, labels);
    target = labels;
  }
  return reduceLoss(neg(sum(mul(target, logSoftmaxRows(logits)), 1)), reduction, "crossEntropy");
}

const logSoftmaxRows = (logits: Tensor): Tensor => logSoftmax(logits, 1);

/**
 * Binary cross-entropy on logits, stable: max(z, 0) − z·y + log(1 + e^(−|z|)).
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, reduction: Reduction = "mean"): Tensor {
  assertTensor(logits, "binaryCrossEntropyWithLogits", "logits");
  assertTensor(targets, "binaryCrossEntropyWithLogits", "targets");
  sameShape("binaryCrossEntropyWithLogits", logits, targets);
  // maximum (not relu) splits the gradient at z = 0, giving the exact σ(0) − y there.
  const loss = sub(maximum(logits, 0), mul(logits, targets)).add(log1p(exp(neg(abs(logits)))));
  return reduceLoss(loss, reduction, "binaryCrossEntropyWithLogits");
}

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the
 * rest by 1/(1 − p); identity otherwise.
 */
export function dropout(x: Tensor, p: number, generator: Generator, training = true): Tensor {
  assertTensor(x, "dropout", "x");
  if (typeof p !== "number" || !(p >= 0 && p < 1)) throw new ArgumentError(`dropout: p must be in [0, 1), got ${typeof p === "string" ? JSON.stringify(p) : String(p)}`, "p");
  if (!training || p === 0) return x;
  assertGenerator(generator, "dropout");
  const keepMask = bernoulli(1 - p, x.shape, generator, { dtype: floatType(x.dtype) });
  return div(mul(x, keepMask), 1 - p);
}
