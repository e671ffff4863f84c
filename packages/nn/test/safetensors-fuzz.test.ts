/**
 * Property-based fuzzing of the safetensors reader and writer (seeded, 1,000 runs each).
 * Whatever the bytes, the reader must end quickly (the test's timeout catches a hang) with
 * either tensors that the file's data exactly accounts for, or an FcnError — never a
 * TypeError, a RangeError or an allocation the file's size does not allow.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DType, FcnError, type Tensor, fromHalfBits, tensor } from "@fcn/tensor";
import { decodeSafetensors, encodeSafetensors, inspectSafetensors } from "../src/index.js";

const RUNS = 1000;
const FILE_WIDTH: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };

/**
 * Decodes `bytes` and checks the reader's contract: success means the layout tiles the data
 * exactly and the tensors hold no more elements than the file has bytes; failure means an
 * FcnError, raised before any tensor exists when the layout itself is bad.
 */
function checkReader(bytes: Uint8Array): void {
  let layout: ReturnType<typeof inspectSafetensors>;
  try {
    layout = inspectSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(FcnError);
    // decode checks the same layout first, so it fails the same way, before allocating.
    expect(() => decodeSafetensors(bytes)).toThrow((e as Error).message.replace(/^inspectSafetensors: /, "decodeSafetensors: "));
    return;
  }
  const dataLength = bytes.length - layout.dataStart;
  const covered = layout.entries.reduce((sum, e) => sum + (e.dataOffsets[1] - e.dataOffsets[0]), 0);
  expect(covered).toBe(dataLength);
  let decoded: Map<string, Tensor>;
  try {
    decoded = decodeSafetensors(bytes).tensors;
  } catch (e) {
    expect(e).toBeInstanceOf(FcnError); // a value that does not fit its engine dtype
    return;
  }
  let elements = 0;
  for (const entry of layout.entries) {
    const t = decoded.get(entry.name)!;
    expect(t.shape).toEqual(entry.shape);
    expect(t.size * FILE_WIDTH[entry.dtype]).toBe(entry.dataOffsets[1] - entry.dataOffsets[0]);
    elements += t.size;
    t.dispose();
  }
  expect(elements).toBeLessThanOrEqual(bytes.length);
}

/** Random tensors of every dtype the writer writes (values each dtype holds exactly). */
const dtypeArb = fc.constantFrom<DType>("float16", "float32", "float64", "int32", "bool");
const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const nameArb = fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), fc.string({ maxLength: 6 }), fc.constantFrom("__proto__", "constructor", "a.b", "")).filter((n) => n !== "__metadata__");

function valuesArb(dtype: DType, n: number): fc.Arbitrary<ArrayLike<number>> {
  switch (dtype) {
    case "float16": return fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: n, maxLength: n }).map((bits) => fromHalfBits(bits));
    case "float32": return fc.float32Array({ minLength: n, maxLength: n });
    case "float64": return fc.float64Array({ minLength: n, maxLength: n });
    case "int32": return fc.int32Array({ minLength: n, maxLength: n });
    default: return fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }).map((v) => Uint8Array.from(v));
  }
}

const tensorArb = fc.tuple(dtypeArb, shapeArb).chain(([dtype, shape]) =>
  valuesArb(dtype, shape.reduce((a, b) => a * b, 1)).map((values) => ({ dtype, shape, values })));

const namedTensorsArb = fc.uniqueArray(fc.tuple(nameArb, tensorArb), { selector: ([name]) => name, maxLength: 5 });
const metadataArb = fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ unit: "binary", maxLength: 8 }), { maxKeys: 3 }), { nil: undefined });

function build(spec: [string, { dtype: DType; shape: number[]; values: ArrayLike<number> }][]): Map<string, Tensor> {
  return new Map(spec.map(([name, t]) => [name, tensor(t.values as Float32Array, { shape: t.shape, dtype: t.dtype })]));
}

/** A valid file to mutate. */
const validFileArb = fc.tuple(namedTensorsArb, metadataArb).map(([spec, metadata]) => {
  const tensors = build(spec);
  const bytes = encodeSafetensors(tensors, metadata);
  tensors.forEach((t) => t.dispose());
  return bytes;
});

function headerOf(bytes: Uint8Array): { json: Record<string, unknown>; dataStart: number } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), dataStart: 8 + n };
}

function withHeader(header: string, data: Uint8Array, declared?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Odd values for any JSON field: wrong types, huge, negative, fractional, nested. */
const oddValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -8, max: 64 }),
  fc.constantFrom(1e20, -1, 0.5, 2 ** 53, Number.MAX_SAFE_INTEGER, null, true, "0", "F32", "I64", "BOOL", "BF16", [], {}, [0], [0, 0], [0, 4], [4, 0], [1e20, 0], [2 ** 40, 2 ** 40, 0]),
  fc.array(fc.integer({ min: -2, max: 70 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

describe("safetensors fuzz", () => {
  it("truncations and byte flips of valid files: tensors the data accounts for, or an FcnError", () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("flip" as const), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant("append" as const), extra: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    );
    fc.assert(
      fc.property(validFileArb, mutation, (original, m) => {
        let bytes: Uint8Array;
        if (m.kind === "truncate") bytes = original.slice(0, m.at % original.length);
        else if (m.kind === "append") bytes = Uint8Array.from([...original, ...m.extra]);
        else {
          bytes = original.slice();
          for (const [at, xor] of m.flips) bytes[at % bytes.length] ^= xor;
        }
        checkReader(bytes);
      }),
      { numRuns: RUNS, seed: 1501 },
    );
  });

  it("header and offset edits of valid files: tensors the data accounts for, or an FcnError", () => {
    const edit = fc.record({
      target: fc.nat(),
      field: fc.constantFrom("dtype", "shape", "data_offsets", "begin", "end", "extra", "delete", "entry", "metadata", "duplicate", "declared"),
      value: oddValueArb,
      shift: fc.integer({ min: -9, max: 9 }),
    });
    fc.assert(
      fc.property(validFileArb, fc.array(edit, { minLength: 1, maxLength: 3 }), (original, edits) => {
        const { json, dataStart } = headerOf(original);
        const data = original.subarray(dataStart);
        const names = Object.keys(json).filter((k) => k !== "__metadata__");
        let declared: bigint | undefined;
        let text: string | null = null;
        for (const e of edits) {
          const name = names.length > 0 ? names[e.target % names.length] : "w";
          const current = json[name];
          const isEntry = typeof current === "object" && current !== null && !Array.isArray(current);
          const entry = (isEntry ? current : (json[name] = { dtype: "F32", shape: [1], data_offsets: [0, 4] })) as Record<string, unknown>;
          const offsets = Array.isArray(entry.data_offsets) ? (entry.data_offsets as unknown[]).slice() : [0, 0];
          switch (e.field) {
            case "begin": offsets[0] = typeof offsets[0] === "number" ? offsets[0] + e.shift : e.value; entry.data_offsets = offsets; break;
            case "end": offsets[1] = typeof offsets[1] === "number" ? offsets[1] + e.shift : e.value; entry.data_offsets = offsets; break;
            case "extra": entry.stride = e.value; break;
            case "delete": delete entry[["dtype", "shape", "data_offsets"][e.target % 3]]; break;
            case "entry": json[name] = e.value; break;
            case "metadata": json.__metadata__ = e.value; break;
            case "declared": declared = BigInt(Math.max(0, dataStart - 8 + e.shift)); break;
            case "duplicate": {
              // JSON.stringify cannot repeat a key: splice a second copy of the entry into the text.
              const body = JSON.stringify(json);
              text = `{${JSON.stringify(name)}:${JSON.stringify(e.value)},${body.slice(1)}`;
              break;
            }
            default: entry[e.field] = e.value;
          }
        }
        checkReader(withHeader(text ?? JSON.stringify(json), data, declared));
      }),
      { numRuns: RUNS, seed: 1502 },
    );
  });

  it("random headers over random data: tensors the data accounts for, or an FcnError", () => {
    const entryArb = fc.record(
      {
        dtype: fc.oneof(fc.constantFrom(...Object.keys(FILE_WIDTH), "F8_E4M3", "C64", "f32"), oddValueArb),
        shape: fc.oneof(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), oddValueArb),
        data_offsets: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), oddValueArb),
      },
      { requiredKeys: [] },
    );
    const headerArb = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.dictionary(fc.oneof(fc.constantFrom("a", "b", "__metadata__"), fc.string({ maxLength: 3 })), fc.oneof(entryArb, oddValueArb), { maxKeys: 4 }).map((h) => JSON.stringify(h)),
      },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    );
    fc.assert(
      fc.property(headerArb, fc.uint8Array({ maxLength: 48 }), fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), (header, data, declared) => {
        checkReader(withHeader(header, data, declared ?? undefined));
      }),
      { numRuns: RUNS, seed: 1503 },
    );
  });

  it("random bytes: an FcnError or a file the data accounts for", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => checkReader(bytes)),
      { numRuns: RUNS, seed: 1504 },
    );
  });

  it("round trip: write then read gives the same names, dtypes, shapes, values (-0 and NaN included) and metadata", () => {
    fc.assert(
      fc.property(namedTensorsArb, metadataArb, (spec, metadata) => {
        const tensors = build(spec);
        const bytes = encodeSafetensors(tensors, metadata);
        const back = decodeSafetensors(bytes);
        expect(new Set(back.tensors.keys())).toEqual(new Set(tensors.keys()));
        for (const [name, t] of tensors) {
          const b = back.tensors.get(name)!;
          expect([b.dtype, b.shape]).toEqual([t.dtype, t.shape]);
          const want = t.dataSync();
          const got = b.dataSync();
          expect(got.length).toBe(want.length);
          for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect(got[i]).toBe(want[i]);
        }
        expect(back.metadata).toEqual(metadata ?? {});
        // Header padded in UTF-8 bytes: the data starts 8-byte aligned whatever the names.
        expect(inspectSafetensors(bytes).dataStart % 8).toBe(0);
        tensors.forEach((t) => t.dispose());
        back.tensors.forEach((t) => t.dispose());
      }),
      { numRuns: RUNS, seed: 1505 },
    );
  });
});
