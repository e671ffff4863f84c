/**
 * Loading CIFAR-10 from disk, in Node. The files are never downloaded at run time: a missing
 * or malformed file raises a {@link DataFileError} that says where the files belong.
 * `node:fs` is imported lazily, so importing `@fcn/data` stays free of Node built-ins.
 */
import { ArgumentError, DataFileError } from "../errors.js";
import type { Dataset, NdArray } from "../types.js";
import { integerAtLeast, invalid, oneOf } from "../validate.js";
import { CIFAR10_IMAGE_BYTES, CIFAR10_RECORDS_PER_FILE, CIFAR10_RECORD_BYTES, cifar10ClassNames, decodeCifar10 } from "./cifar10Format.js";

/** Which CIFAR-10 files to read. */
export type Cifar10Split = "train" | "test";

/** Options of {@link streamCifar10} and {@link loadCifar10}. */
export interface Cifar10Options {
  /** Directory holding `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`. */
  readonly directory: string;
  /** `"train"` (the five data batches, default) or `"test"`. */
  readonly split?: Cifar10Split;
  /** Records per yielded batch (default 1000; {@link loadCifar10}: 10,000). */
  readonly batchSize?: number;
  /** Stop after this many records (default: all). */
  readonly limit?: number;
  /**
   * Records every file must hold: 10,000 (default), as the official files do. Set it only
   * for smaller files written in the same format, such as test fixtures.
   */
  readonly recordsPerFile?: number;
}

const OPTION_NAMES = ["directory", "split", "batchSize", "limit", "recordsPerFile"];

interface CheckedOptions {
  readonly directory: string;
  readonly split: Cifar10Split;
  readonly batchSize: number;
  readonly limit: number;
  readonly recordsPerFile: number;
}

/** Checks the options of `fn` at run time (JavaScript callers have no compiler). */
function checkOptions(fn: string, options: unknown, defaultBatchSize: number): CheckedOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    invalid(fn, "options", 'an object such as { directory: "data/cifar-10-batches-bin" }', options);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!OPTION_NAMES.includes(key)) throw new ArgumentError(`${fn}: unknown option '${key}'; the options are ${OPTION_NAMES.join(", ")}`, key);
  }
  if (typeof given.directory !== "string" || given.directory === "") {
    invalid(fn, "directory", "a non-empty path to the directory holding the CIFAR-10 binary files", given.directory);
  }
  return {
    directory: given.directory,
    split: oneOf(fn, "split", given.split ?? "train", ["train", "test"] as const),
    batchSize: integerAtLeast(fn, "batchSize", given.batchSize ?? defaultBatchSize),
    limit: given.limit === undefined ? Infinity : integerAtLeast(fn, "limit", given.limit),
    recordsPerFile: integerAtLeast(fn, "recordsPerFile", given.recordsPerFile ?? CIFAR10_RECORDS_PER_FILE),
  };
}

/** One batch of CIFAR-10 records: bytes [b, 3, 32, 32] and labels [b]. */
export interface Cifar10Batch {
  readonly x: NdArray<Uint8Array>;
  readonly y: NdArray<Int32Array>;
}

/** The file names of a split, in reading order. */
export function cifar10FileNames(split: Cifar10Split): string[] {
  return split === "train" ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ["test_batch.bin"];
}

function whereToPut(directory: string): string {
  return (
    `Put the CIFAR-10 binary files in ${directory}: download cifar-10-binary.tar.gz from ` +
    `https://www.cs.toronto.edu/~kriz/cifar.html and extract it there, so that the directory holds ` +
    `data_batch_1.bin … data_batch_5.bin and test_batch.bin (${CIFAR10_RECORD_BYTES} bytes per record). ` +
    `@fcn/data never downloads data at run time.`
  );
}

async function checkedFiles(options: CheckedOptions): Promise<{ path: string; records: number }[]> {
  const { stat } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { directory, recordsPerFile } = options;
  const expected = recordsPerFile * CIFAR10_RECORD_BYTES;
  const files: { path: string; records: number }[] = [];
  for (const name of cifar10FileNames(options.split)) {
    const path = join(directory, name);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error("not a file");
      size = info.size;
    } catch {
      throw new DataFileError(`CIFAR-10: ${path} is missing. ${whereToPut(directory)}`, path);
    }
    // Every file of the binary version holds exactly 10,000 records; anything else is a partial
    // download, a different file, or a file cut short (a whole number of records included).
    if (size !== expected) {
      const records = size / CIFAR10_RECORD_BYTES;
      const held = Number.isInteger(records) ? `${records} record${records === 1 ? "" : "s"}` : `${records.toFixed(3)} records`;
      throw new DataFileError(
        `CIFAR-10: ${path} has ${size} bytes (${held}), expected ${expected} bytes: ${recordsPerFile} records of ` +
          `${CIFAR10_RECORD_BYTES} bytes; it is truncated, padded or not the binary version. ${whereToPut(directory)}`,
        path,
      );
    }
    files.push({ path, records: recordsPerFile });
  }
  return files;
}

/**
 * Streams CIFAR-10 records in batches, reading each file in chunks of `batchSize` records
 * (memory stays O(batchSize)). Options are checked at the call (an {@link ArgumentError} naming
 * the option); every file of the split is checked (present, exactly `recordsPerFile` records)
 * before the first batch; labels are checked as they are read.
 *
 * @example
 * for await (const { x, y } of streamCifar10({ directory: "data/cifar-10-batches-bin", batchSize: 256 })) {
 *   // x: [256, 3, 32, 32] bytes, y: [256] labels (the last batch may be smaller)
 * }
 */
export function streamCifar10(options: Cifar10Options): AsyncGenerator<Cifar10Batch> {
  // Checked here, not in the generator, so bad options throw at the call.
  return readBatches(checkOptions("streamCifar10", options, 1000));
}

async function* readBatches(options: CheckedOptions): AsyncGenerator<Cifar10Batch> {
  const { batchSize } = options;
  let remaining = options.limit;
  const files = await checkedFiles(options);
  const { open } = await import("node:fs/promises");
  for (const file of files) {
    const handle = await open(file.path, "r");
    try {
      for (let start = 0; start < file.records && remaining > 0; start += batchSize) {
        const count = Math.min(batchSize, file.records - start, remaining);
        const buffer = new Uint8Array(count * CIFAR10_RECORD_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start * CIFAR10_RECORD_BYTES);
        if (bytesRead !== buffer.length) {
          throw new DataFileError(`CIFAR-10: ${file.path} ended early at record ${start}`, file.path);
        }
        const records = decodeCifar10(buffer, `${file.path} (records ${start}…${start + count - 1})`);
        remaining -= count;
        yield { x: records.images, y: records.labels };
      }
    } finally {
      await handle.close();
    }
    if (remaining <= 0) break;
  }
}

/**
 * Reads a whole CIFAR-10 split into memory (50,000 training images are 154 MB as bytes).
 * Returns a data set with byte images [n, 3, 32, 32] (convert with `imagesToFloat`).
 *
 * @example
 * const test = await loadCifar10({ directory: "data/cifar-10-batches-bin", split: "test" });
 */
export async function loadCifar10(options: Cifar10Options): Promise<Dataset<Uint8Array, Int32Array>> {
  const checked = checkOptions("loadCifar10", options, CIFAR10_RECORDS_PER_FILE);
  const { directory, split, limit } = checked;
  const batches: Cifar10Batch[] = [];
  for await (const batch of readBatches(checked)) batches.push(batch);
  const n = batches.reduce((sum, batch) => sum + batch.y.data.length, 0);
  const images = new Uint8Array(n * CIFAR10_IMAGE_BYTES);
  const labels = new Int32Array(n);
  let row = 0;
  for (const batch of batches) {
    images.set(batch.x.data, row * CIFAR10_IMAGE_BYTES);
    labels.set(batch.y.data, row);
    row += batch.y.data.length;
  }
  return {
    x: { data: images, shape: [n, 3, 32, 32] },
    y: { data: labels, shape: [n] },
    meta: {
      name: "cifar10",
      task: "multiclass",
      classes: 10,
      featureNames: ["red", "green", "blue"],
      targetNames: ["label"],
      classNames: cifar10ClassNames,
      seed: null,
      options: { directory, split, limit: Number.isFinite(limit) ? limit : null },
      source: "003/004 (FractalNet on CIFAR-10); CIFAR-10 binary version (Krizhevsky 2009)",
    },
  };
}
