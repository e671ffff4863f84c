/**
 * Property-based fuzzing of the CIFAR-10 reader (seeded, 1,000 runs each). Whatever the bytes,
 * file sizes or options, the reader must end (the test's timeout catches a hang) with records
 * the files account for, or a typed error of the package's hierarchy — never a TypeError.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DataFileError, FcnError } from "../src/errors.js";
import { loadCifar10, streamCifar10 } from "../src/images/cifar10.js";
import { CIFAR10_RECORD_BYTES, decodeCifar10 } from "../src/images/cifar10Format.js";

const RUNS = 1000;
const root = mkdtempSync(join(tmpdir(), "fcn-cifar-fuzz-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `length` pseudo-random bytes from `seed` (xorshift), label bytes 0..9 unless `badLabels`. */
function bytesFrom(seed: number, length: number, badLabels: boolean): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed | 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  if (!badLabels) for (let at = 0; at < length; at += CIFAR10_RECORD_BYTES) out[at] %= 10;
  return out;
}

/** Sizes near whole numbers of records, and anything at all. */
const sizeArb = fc.oneof(
  fc.record({ records: fc.integer({ min: 0, max: 3 }), delta: fc.constantFrom(0, 0, 0, 1, -1, 5, -3072) }).map(({ records, delta }) => Math.max(0, records * CIFAR10_RECORD_BYTES + delta)),
  fc.integer({ min: 0, max: 3 * CIFAR10_RECORD_BYTES + 10 }),
);

describe("CIFAR-10 fuzz", () => {
  it("decodeCifar10 on random bytes: whole records decoded exactly, or a DataFileError; output never exceeds the input", () => {
    fc.assert(
      fc.property(sizeArb, fc.integer(), fc.boolean(), (size, seed, badLabels) => {
        const bytes = bytesFrom(seed, size, badLabels);
        let decoded: ReturnType<typeof decodeCifar10>;
        try {
          decoded = decodeCifar10(bytes, "fuzz.bin");
        } catch (e) {
          expect(e).toBeInstanceOf(DataFileError);
          expect((e as Error).message).toContain("fuzz.bin");
          return;
        }
        const n = size / CIFAR10_RECORD_BYTES;
        expect(Number.isInteger(n) && n > 0).toBe(true);
        expect(decoded.images.data.length + decoded.labels.data.length).toBeLessThanOrEqual(bytes.length);
        for (let i = 0; i < n; i++) {
          expect(decoded.labels.data[i]).toBe(bytes[i * CIFAR10_RECORD_BYTES]);
          expect(decoded.images.data[i * 3072 + 1234]).toBe(bytes[i * CIFAR10_RECORD_BYTES + 1235]);
        }
      }),
      { numRuns: RUNS, seed: 1510 },
    );
  });

  it("loadCifar10 on files of random sizes and contents: the records the files hold, or a typed error", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          perFile: fc.integer({ min: 1, max: 3 }),
          // Per file: the right size (likeliest, so whole splits load), absent, or any size.
          sizes: fc.array(
            fc.oneof({ weight: 6, arbitrary: fc.constant("right" as const) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: sizeArb }),
            { minLength: 6, maxLength: 6 },
          ),
          seed: fc.integer(),
          badLabels: fc.boolean(),
          split: fc.constantFrom("train", "test"),
          limit: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
          batchSize: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        }),
        async ({ perFile, sizes, seed, badLabels, split, limit, batchSize }) => {
          const directory = join(root, `run-${run++}`);
          const names = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];
          const wanted = split === "train" ? names.slice(0, 5) : names.slice(5);
          let fileBytes = 0;
          mkdirSync(directory);
          names.forEach((name, k) => {
            if (!wanted.includes(name) || sizes[k] === null) return;
            const size = sizes[k] === "right" ? perFile * CIFAR10_RECORD_BYTES : (sizes[k] as number);
            writeFileSync(join(directory, name), bytesFrom(seed + k, size, badLabels));
            fileBytes += size;
          });
          try {
            const data = await loadCifar10({ directory, split, limit, batchSize, recordsPerFile: perFile });
            const n = data.y.data.length;
            expect(n).toBe(Math.min(limit ?? Infinity, wanted.length * perFile));
            expect(data.x.data.length + n).toBeLessThanOrEqual(fileBytes);
            expect(data.y.data.every((label) => label >= 0 && label <= 9)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(DataFileError);
          }
        },
      ),
      { numRuns: RUNS, seed: 1511 },
    );
  }, 30_000); // about 3 s alone; the margin is for a busy machine

  it("any options value: a typed error (never a TypeError) or a load", async () => {
    // One record per file: options with recordsPerFile 1 and this directory load.
    const directory = join(root, "options");
    mkdirSync(directory);
    for (const name of ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]) {
      writeFileSync(join(directory, name), bytesFrom(name.length, CIFAR10_RECORD_BYTES, false));
    }
    const anyValue = fc.oneof(fc.anything(), fc.constantFrom(undefined, null, "", directory, "test", "train", 0, 1, -1, 2.5, "5", NaN, Infinity, [], {}));
    const optionsArb = fc.oneof(
      // Options that load, with one field replaced (or added) by anything.
      fc.record({ key: fc.constantFrom("directory", "split", "batchSize", "limit", "recordsPerFile", "dir"), value: anyValue })
        .map(({ key, value }) => ({ directory, split: "test", recordsPerFile: 1, [key]: value })),
      fc.record({ directory: anyValue, split: anyValue, batchSize: anyValue, limit: anyValue, recordsPerFile: anyValue }, { requiredKeys: [] }),
      fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }),
      anyValue,
    );
    await fc.assert(
      fc.asyncProperty(optionsArb, async (options) => {
        // One after the other: a second promise created up front could reject before anything
        // awaits it (an unhandled rejection while the first one reads files).
        const outcomes = [() => loadCifar10(options as never), () => streamCifar10(options as never).next()];
        for (const outcome of outcomes) {
          try {
            await outcome();
          } catch (e) {
            expect(e).toBeInstanceOf(FcnError);
          }
        }
      }),
      { numRuns: RUNS, seed: 1512 },
    );
  });
});
