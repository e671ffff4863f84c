/**
 * The CIFAR-10 binary format (https://www.cs.toronto.edu/~kriz/cifar.html, "binary
 * version"): each record is 3,073 bytes — one label byte 0..9, then 3,072 pixel bytes, the
 * 32×32 red plane, then green, then blue, each row-major. `data_batch_1.bin` …
 * `data_batch_5.bin` hold 10,000 training records each, `test_batch.bin` the 10,000 test
 * records. This module decodes bytes; it never touches the file system.
 */
import { ArgumentError, DataFileError } from "../errors.js";
import type { NdArray } from "../types.js";

/** Bytes per record: 1 label + 3 × 32 × 32 pixels. */
export const CIFAR10_RECORD_BYTES = 3073;

/** Pixels per image: 3 × 32 × 32. */
export const CIFAR10_IMAGE_BYTES = 3072;

/** Records per official batch file. */
export const CIFAR10_RECORDS_PER_FILE = 10000;

/** The ten class names, in label order (`batches.meta.txt`). */
export const cifar10ClassNames: readonly string[] = [
  "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
];

/** Per-channel mean of the CIFAR-10 training images on [0, 1] (the widely used values). */
export const CIFAR10_MEAN: readonly number[] = [0.4914, 0.4822, 0.4465];

/** Per-channel standard deviation of the CIFAR-10 training images on [0, 1]. */
export const CIFAR10_STD: readonly number[] = [0.247, 0.2435, 0.2616];

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? (value.constructor?.name ?? "an object") : `${typeof value} ${String(value)}`;
}

/** Decoded CIFAR-10 records. */
export interface Cifar10Records {
  /** Pixels, shape [n, 3, 32, 32] (NCHW), bytes 0..255. */
  readonly images: NdArray<Uint8Array>;
  /** Labels 0..9, shape [n]. */
  readonly labels: NdArray<Int32Array>;
}

/**
 * Decodes whole CIFAR-10 records from `bytes`. Throws a {@link DataFileError} naming `source`
 * when the length is not a positive multiple of 3,073 or a label byte exceeds 9.
 *
 * @example
 * const { images, labels } = decodeCifar10(bytes); // images: [bytes.length / 3073, 3, 32, 32]
 */
export function decodeCifar10(bytes: Uint8Array, source = "<bytes>"): Cifar10Records {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`decodeCifar10: bytes must be a Uint8Array, got ${describe(bytes)}`, "bytes");
  if (typeof source !== "string") throw new ArgumentError(`decodeCifar10: source must be a string naming the bytes, got ${describe(source)}`, "source");
  if (bytes.length === 0 || bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    throw new DataFileError(
      `CIFAR-10: ${source} has ${bytes.length} bytes, not a positive multiple of ${CIFAR10_RECORD_BYTES} ` +
        `(1 label byte + 3072 pixel bytes per record); the file is truncated or not the binary version`,
      source,
    );
  }
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Uint8Array(n * CIFAR10_IMAGE_BYTES);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const offset = i * CIFAR10_RECORD_BYTES;
    const label = bytes[offset];
    if (label > 9) {
      throw new DataFileError(`CIFAR-10: ${source}, record ${i} (byte ${offset}) has label ${label}, expected 0..9`, source);
    }
    labels[i] = label;
    images.set(bytes.subarray(offset + 1, offset + CIFAR10_RECORD_BYTES), i * CIFAR10_IMAGE_BYTES);
  }
  return { images: { data: images, shape: [n, 3, 32, 32] }, labels: { data: labels, shape: [n] } };
}

/**
 * Encodes images and labels as CIFAR-10 records (the inverse of {@link decodeCifar10}); used
 * to write test fixtures and small CIFAR-shaped files.
 *
 * @example
 * const bytes = encodeCifar10(new Uint8Array(3072), Int32Array.of(3)); // 3073 bytes
 */
export function encodeCifar10(images: Uint8Array, labels: ArrayLike<number>): Uint8Array {
  if (!(images instanceof Uint8Array)) throw new ArgumentError(`encodeCifar10: images must be a Uint8Array, got ${describe(images)}`, "images");
  if (typeof labels !== "object" || labels === null || typeof labels.length !== "number") {
    throw new ArgumentError(`encodeCifar10: labels must be an array of labels 0..9, got ${describe(labels)}`, "labels");
  }
  const n = labels.length;
  if (images.length !== n * CIFAR10_IMAGE_BYTES) {
    throw new ArgumentError(`encodeCifar10: images has ${images.length} pixel bytes for ${n} labels, expected ${n * CIFAR10_IMAGE_BYTES}`, "images");
  }
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    // A label byte holds 0..9; anything else would be written modulo 256 and misread.
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new ArgumentError(`encodeCifar10: labels[${i}] must be an integer 0..9, got ${String(label)}`, "labels");
  }
  const out = new Uint8Array(n * CIFAR10_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    out[i * CIFAR10_RECORD_BYTES] = labels[i];
    out.set(images.subarray(i * CIFAR10_IMAGE_BYTES, (i + 1) * CIFAR10_IMAGE_BYTES), i * CIFAR10_RECORD_BYTES + 1);
  }
  return out;
}

/**
 * Converts byte images to `Float32Array` on [0, 1], then per channel (x − mean)/std.
 * Works for any NCHW byte array; defaults leave the values on [0, 1].
 *
 * @example
 * const x = imagesToFloat(images, { mean: CIFAR10_MEAN, std: CIFAR10_STD });
 */
export function imagesToFloat(
  images: NdArray<Uint8Array>,
  options: { mean?: readonly number[]; std?: readonly number[] } = {},
): NdArray<Float32Array> {
  const [n, channels, ...rest] = images.shape;
  const plane = rest.reduce((a, b) => a * b, 1);
  const out = new Float32Array(images.data.length);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const mean = options.mean?.[c] ?? 0;
      const std = options.std?.[c] ?? 1;
      const base = (i * channels + c) * plane;
      for (let p = 0; p < plane; p++) out[base + p] = (images.data[base + p] / 255 - mean) / std;
    }
  }
  return { data: out, shape: [...images.shape] };
}
