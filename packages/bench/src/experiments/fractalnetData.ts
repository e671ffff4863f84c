/**
 * The images a FractalNet run trains on, split three ways: training, validation (watched per
 * epoch; the seed's protocol fixes lr and epochs, so nothing is chosen on it) and a held-out
 * test split (the accuracy the report compares). Digits (8×8 grey, 10 classes, shipped) below
 * full mode, CIFAR-10 in full mode, synthetic gratings on request.
 */
import { join } from "node:path";
import { CIFAR10_MEAN, CIFAR10_STD, type Dataset, digitsImages, imagesToFloat, loadCifar10, syntheticImages, trainValSplit, trainValTestSplit } from "@fcn/data";
import { type Tensor, dispose, tensor } from "@fcn/tensor";
import { stableStringify } from "../framework/hash.js";
import type { Json } from "../framework/types.js";

/** The data sets a run can train on. */
export const FRACTAL_DATASETS = ["digits", "synthetic", "cifar10"] as const;
export type FractalDataset = (typeof FRACTAL_DATASETS)[number];

/** What the loader needs from a run's training settings. */
export interface DataSettings {
  readonly dataset: FractalDataset;
  readonly size: number;
  readonly classes: number;
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
}

export interface ImageSet { readonly x: Tensor; readonly y: Tensor }

export interface ImageSplits { readonly train: ImageSet; readonly validation: ImageSet; readonly test: ImageSet }

/** Colour channels of a data set's images (digits are grey). */
export function imageChannels(dataset: FractalDataset): number {
  return dataset === "digits" ? 1 : 3;
}

/** Where `--dataset cifar10` reads the binary files: $FCN_CIFAR10_DIR or ./data/cifar-10-batches-bin. */
export function cifar10Directory(): string {
  return process.env.FCN_CIFAR10_DIR ?? join(process.cwd(), "data", "cifar-10-batches-bin");
}

/** The digits split 60/20/20 (stratified by class): 1,077 / 360 / 360 of 1,797 images. */
export const DIGITS_SPLIT = { trainSize: 1077, validationSize: 360, testSize: 360 } as const;

type Images = Dataset<Float32Array, Int32Array>;

/**
 * Seeded, stratified train/validation/test row indices of the digits images (the counts of
 * `t`): the three parts are disjoint, and the same seed gives the same split.
 */
export function digitsSplit(t: Pick<DataSettings, "trainSize" | "validationSize" | "testSize">, seed: number) {
  return trainValTestSplit(digitsImages(), { trainSize: t.trainSize, validationSize: t.validationSize, testSize: t.testSize, seed, stratify: true });
}

function toSet(d: Images): ImageSet {
  return { x: tensor(d.x.data, { shape: [...d.x.shape] }), y: tensor(d.y.data, { shape: [d.y.data.length], dtype: "int32" }) };
}

/** Float images of CIFAR-10 bytes, normalized by the data set's channel means and stds. */
function cifarFloat(d: Dataset<Uint8Array, Int32Array>): Images {
  const f = imagesToFloat({ data: d.x.data, shape: [...d.x.shape] }, { mean: CIFAR10_MEAN, std: CIFAR10_STD });
  return { x: { data: f.data, shape: [...f.shape] }, y: d.y, meta: d.meta };
}

async function loadSplits(t: DataSettings, seed: number): Promise<ImageSplits> {
  if (t.dataset === "digits") {
    const { train, validation, test } = digitsSplit(t, seed);
    return { train: toSet(train), validation: toSet(validation), test: toSet(test) };
  }
  if (t.dataset === "cifar10") {
    // Validation comes out of the training files (stratified, seeded); the test file is the test split.
    const directory = cifar10Directory();
    const all = cifarFloat(await loadCifar10({ directory, split: "train", limit: t.trainSize + t.validationSize }));
    const { train, validation } = trainValSplit(all, { trainSize: t.trainSize, validationSize: t.validationSize, seed, stratify: true });
    const test = cifarFloat(await loadCifar10({ directory, split: "test", limit: t.testSize }));
    return { train: toSet(train), validation: toSet(validation), test: toSet(test) };
  }
  const n = t.trainSize + t.validationSize + t.testSize;
  const d = syntheticImages({ classes: t.classes, size: t.size, n, seed });
  const per = d.x.data.length / n;
  const part = (from: number, to: number): ImageSet => ({
    x: tensor(d.x.data.slice(from * per, to * per), { shape: [to - from, ...d.x.shape.slice(1)] }),
    y: tensor(d.y.data.slice(from, to), { shape: [to - from], dtype: "int32" }),
  });
  const v = t.trainSize + t.validationSize;
  return { train: part(0, t.trainSize), validation: part(t.trainSize, v), test: part(v, n) };
}

const cache = new Map<string, ImageSplits>();

/**
 * The splits of a run, as tensors on the current default device (`device` names it, so CPU and
 * WebGPU runs never share a cached copy); consecutive runs of a sweep share them.
 */
export async function fractalData(t: DataSettings, seed: number, device: string): Promise<ImageSplits> {
  const { dataset, size, classes, trainSize, validationSize, testSize } = t;
  const key = stableStringify({ dataset, size, classes, trainSize, validationSize, testSize, seed, device } as unknown as Json);
  const cached = cache.get(key);
  if (cached) return cached;
  const result = await loadSplits(t, seed);
  // Device memory is not garbage collected: free the previous splits before caching these.
  for (const old of cache.values()) dispose([old.train, old.validation, old.test]);
  cache.clear();
  cache.set(key, result);
  return result;
}
