/**
 * The thin adapter from `@fcn/data`'s `{data, shape}` arrays to `@fcn/tensor` tensors, on
 * its own entry point (`@fcn/data/tensor`) so that the main entry needs no tensor engine.
 *
 * @example
 * import { moons } from "@fcn/data";
 * import { datasetToTensors } from "@fcn/data/tensor";
 * const { x, y } = datasetToTensors(moons({ n: 256, seed: 1 }), { dtype: "float32" });
 */
import { type DType, type Tensor, tensor } from "@fcn/tensor";
import type { Dataset, NdArray, NumericArray } from "./types.js";

/** One array as a tensor. Integer class labels stay int32; `dtype` sets the float type. */
export function toTensor(array: NdArray<NumericArray>, options: { dtype?: DType } = {}): Tensor {
  const isLabels = array.data instanceof Int32Array;
  const dtype = isLabels ? "int32" : (options.dtype ?? "float32");
  return tensor(array.data, { shape: array.shape.slice(), dtype });
}

/** A data set's inputs and targets as tensors (float inputs in `dtype`, default float32). */
export function datasetToTensors(dataset: Dataset<NumericArray, NumericArray>, options: { dtype?: DType } = {}): { x: Tensor; y: Tensor } {
  return { x: toTensor(dataset.x, options), y: toTensor(dataset.y, options) };
}
