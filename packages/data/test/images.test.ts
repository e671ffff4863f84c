import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ArgumentError, DataFileError } from "../src/errors.js";
import { loadCifar10, streamCifar10 } from "../src/images/cifar10.js";
import { CIFAR10_MEAN, CIFAR10_STD, decodeCifar10, encodeCifar10, imagesToFloat } from "../src/images/cifar10Format.js";
import { syntheticImages } from "../src/images/syntheticImages.js";
import { RandomGenerator } from "../src/random.js";
import { labelCounts } from "./helpers.js";

const directory = mkdtempSync(join(tmpdir(), "fcn-cifar-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function fakeRecords(n: number, seed: number): { images: Uint8Array; labels: Int32Array } {
  const random = new RandomGenerator(seed);
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < images.length; i++) images[i] = random.integer(256);
  const labels = Int32Array.from({ length: n }, () => random.integer(10));
  return { images, labels };
}

function writeSplit(dir: string, perFile: number): { images: Uint8Array; labels: Int32Array }[] {
  const written = [1, 2, 3, 4, 5].map((k) => {
    const records = fakeRecords(perFile, k);
    writeFileSync(join(dir, `data_batch_${k}.bin`), encodeCifar10(records.images, records.labels));
    return records;
  });
  const test = fakeRecords(perFile, 99);
  writeFileSync(join(dir, "test_batch.bin"), encodeCifar10(test.images, test.labels));
  return [...written, test];
}

describe("CIFAR-10 binary format", () => {
  it("decode inverts encode: label byte then R, G, B planes", () => {
    const { images, labels } = fakeRecords(3, 1);
    const bytes = encodeCifar10(images, labels);
    expect(bytes.length).toBe(3 * 3073);
    expect(bytes[3073]).toBe(labels[1]);
    expect(bytes[3073 + 1 + 1024]).toBe(images[3072 + 1024]); // first green pixel of image 1
    const decoded = decodeCifar10(bytes);
    expect(decoded.images.shape).toEqual([3, 3, 32, 32]);
    expect([...decoded.labels.data]).toEqual([...labels]);
    expect(decoded.images.data).toEqual(images);
  });

  it("rejects a wrong length and a bad label with DataFileErrors that say what is wrong", () => {
    expect(() => decodeCifar10(new Uint8Array(3072), "x.bin")).toThrow(/x\.bin has 3072 bytes/);
    const bytes = encodeCifar10(new Uint8Array(2 * 3072), [1, 2]);
    bytes[3073] = 10;
    expect(() => decodeCifar10(bytes, "y.bin")).toThrow(/record 1 .*label 10/);
  });

  it("imagesToFloat maps bytes to [0, 1] then (v − mean)/std per channel", () => {
    const images = { data: Uint8Array.of(...new Array(3072).fill(255)), shape: [1, 3, 32, 32] };
    const plain = imagesToFloat(images);
    expect(plain.data[0]).toBe(1);
    const normalized = imagesToFloat(images, { mean: CIFAR10_MEAN, std: CIFAR10_STD });
    expect(normalized.data[1024]).toBeCloseTo((1 - CIFAR10_MEAN[1]) / CIFAR10_STD[1], 5);
  });
});

describe("CIFAR-10 loader", () => {
  const written = writeSplit(directory, 7);

  it("streams the five training files in batches, in order, with their labels", async () => {
    const sizes: number[] = [];
    const labels: number[] = [];
    for await (const batch of streamCifar10({ directory, batchSize: 3, recordsPerFile: 7 })) {
      sizes.push(batch.y.data.length);
      labels.push(...batch.y.data);
      expect(batch.x.shape).toEqual([batch.y.data.length, 3, 32, 32]);
    }
    expect(sizes).toEqual([3, 3, 1, 3, 3, 1, 3, 3, 1, 3, 3, 1, 3, 3, 1]);
    expect(labels).toEqual(written.slice(0, 5).flatMap((r) => [...r.labels]));
  });

  it("loads the test split whole and honours limit", async () => {
    const test = await loadCifar10({ directory, split: "test", recordsPerFile: 7 });
    expect(test.x.shape).toEqual([7, 3, 32, 32]);
    expect(test.x.data).toEqual(written[5].images);
    expect(test.meta.classNames?.[0]).toBe("airplane");
    const limited = await loadCifar10({ directory, limit: 9, recordsPerFile: 7 });
    expect(limited.y.data.length).toBe(9);
  });

  it("a missing directory or file raises a DataFileError that says where to put the files", async () => {
    const missing = join(directory, "nowhere");
    await expect(loadCifar10({ directory: missing })).rejects.toThrow(DataFileError);
    await expect(loadCifar10({ directory: missing })).rejects.toThrow(/data_batch_1\.bin is missing.*Put the CIFAR-10 binary files in .*never downloads/s);
  });

  it("a truncated file or a bad label raises a DataFileError naming the file", async () => {
    const broken = mkdtempSync(join(directory, "broken-"));
    writeSplit(broken, 2);
    writeFileSync(join(broken, "data_batch_3.bin"), new Uint8Array(3073 + 5));
    await expect(loadCifar10({ directory: broken, recordsPerFile: 2 })).rejects.toThrow(/data_batch_3\.bin has 3078 bytes \(1\.002 records\), expected 6146 bytes: 2 records of 3073 bytes/);
    const bad = encodeCifar10(new Uint8Array(2 * 3072), [0, 0]);
    bad[3073] = 200;
    writeFileSync(join(broken, "data_batch_3.bin"), bad);
    await expect(loadCifar10({ directory: broken, recordsPerFile: 2 })).rejects.toThrow(/data_batch_3\.bin.*record 1 .*label 200/);
  });

  it("a file holding 1 record where CIFAR-10 has 10,000 is a DataFileError naming the file and its size", async () => {
    const short = mkdtempSync(join(directory, "short-"));
    writeSplit(short, 1);
    const error = await loadCifar10({ directory: short, split: "test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as DataFileError).path).toBe(join(short, "test_batch.bin"));
    expect((error as Error).message).toContain(`${join(short, "test_batch.bin")} has 3073 bytes (1 record), expected 30730000 bytes: 10000 records of 3073 bytes`);
    // A whole number of records is not enough: 9,999 of them is a file cut short.
    await expect(loadCifar10({ directory: short, recordsPerFile: 2 })).rejects.toThrow(/data_batch_1\.bin has 3073 bytes \(1 record\), expected 6146/);
    await expect(streamCifar10({ directory: short, limit: 1 }).next()).rejects.toThrow(/data_batch_1\.bin has 3073 bytes/);
  });

  it.each([
    ["{}", {}, "directory", /loadCifar10: directory must be a non-empty path to the directory holding the CIFAR-10 binary files, got undefined/],
    ["no options", undefined, "options", /loadCifar10: options must be an object such as \{ directory: "data\/cifar-10-batches-bin" \}, got undefined/],
    ["null", null, "options", /options must be .*, got null/],
    ["a string", "data/cifar", "options", /options must be .*, got "data\/cifar"/],
    ["an empty directory", { directory: "" }, "directory", /directory must be a non-empty path/],
    ["a numeric directory", { directory: 3 }, "directory", /directory must be .*, got 3/],
    ["an unknown split", { directory: "d", split: "val" }, "split", /split must be one of "train", "test", got "val"/],
    ["a fractional batchSize", { directory: "d", batchSize: 2.5 }, "batchSize", /batchSize must be a positive integer, got 2.5/],
    ["a zero limit", { directory: "d", limit: 0 }, "limit", /limit must be a positive integer, got 0/],
    ["a string limit", { directory: "d", limit: "5" }, "limit", /limit must be a positive integer, got "5"/],
    ["a bad recordsPerFile", { directory: "d", recordsPerFile: -1 }, "recordsPerFile", /recordsPerFile must be a positive integer, got -1/],
    ["a misspelt option", { dir: "d" }, "dir", /loadCifar10: unknown option 'dir'; the options are directory, split, batchSize, limit, recordsPerFile/],
  ])("loadCifar10 with %s is an ArgumentError naming the option, not a TypeError", async (_, options, argument, message) => {
    const error = await loadCifar10(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).argument).toBe(argument);
    expect((error as Error).message).toMatch(message);
    // streamCifar10 checks at the call, naming itself.
    expect(() => streamCifar10(options as never)).toThrow(ArgumentError);
    expect(() => streamCifar10(options as never)).toThrow(/^streamCifar10: /);
  });

  it("decodeCifar10 and encodeCifar10 check their arguments", () => {
    expect(() => decodeCifar10(undefined as never)).toThrow(/decodeCifar10: bytes must be a Uint8Array, got undefined/);
    expect(() => decodeCifar10([0, 1] as never)).toThrow(ArgumentError);
    expect(() => encodeCifar10(new Uint8Array(3072), [10])).toThrow(/encodeCifar10: labels\[0\] must be an integer 0..9, got 10/);
    expect(() => encodeCifar10(new Uint8Array(3071), [1])).toThrow(/images has 3071 pixel bytes for 1 labels, expected 3072/);
    expect(() => encodeCifar10(null as never, [])).toThrow(ArgumentError);
  });
});

describe("syntheticImages", () => {
  it("has NCHW float32 shape, balanced classes, determinism", () => {
    const data = syntheticImages({ classes: 4, size: 12, n: 40, seed: 1 });
    expect(data.x.shape).toEqual([40, 3, 12, 12]);
    expect(data.x.data).toBeInstanceOf(Float32Array);
    expect(labelCounts(data.y.data, 4)).toEqual([10, 10, 10, 10]);
    expect(syntheticImages({ classes: 4, size: 12, n: 40, seed: 1 }).x.data).toEqual(data.x.data);
  });

  it("the dominant gradient orientation of each noise-free image is its class angle πc/classes", () => {
    const classes = 6;
    const size = 24;
    const data = syntheticImages({ classes, size, n: 60, noise: 0, channels: 1, seed: 2 });
    for (let i = 0; i < 60; i++) {
      let xx = 0;
      let yy = 0;
      let xy = 0;
      const p = (r: number, c: number) => data.x.data[i * size * size + r * size + c];
      for (let r = 1; r < size - 1; r++) {
        for (let c = 1; c < size - 1; c++) {
          const gx = p(r, c + 1) - p(r, c - 1);
          const gy = p(r + 1, c) - p(r - 1, c);
          xx += gx * gx;
          yy += gy * gy;
          xy += gx * gy;
        }
      }
      const angle = (0.5 * Math.atan2(2 * xy, xx - yy) + Math.PI) % Math.PI;
      const expected = (Math.PI * data.y.data[i]) / classes;
      const difference = Math.min(Math.abs(angle - expected), Math.PI - Math.abs(angle - expected));
      expect(difference).toBeLessThan(Math.PI / (2 * classes));
    }
  });
});
