import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArgumentError, DTypeError, FcnError, ShapeError, type Tensor, tensor, zeros } from "@fcn/tensor";
import { Module, decodeSafetensors, encodeSafetensors, inspectSafetensors, loadModule, loadSafetensors } from "../src/index.js";

/** A safetensors file from a header (object or raw JSON text) and the data bytes (or their count). */
function file(header: unknown, data: Uint8Array | number = 0, declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const body = typeof data === "number" ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

const f32 = (begin: number, end: number, shape = [(end - begin) / 4]) => ({ dtype: "F32", shape, data_offsets: [begin, end] });

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, none was thrown");
}

describe("safetensors reader: offsets must tile the data exactly", () => {
  it("2,000 entries pointing at the same 1 MiB are refused before anything is allocated", () => {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) header[`t${i}`] = f32(0, 1 << 20);
    const bytes = file(header, 1 << 20);
    const before = process.memoryUsage().arrayBuffers;
    const error = thrown(() => decodeSafetensors(bytes, "many.safetensors"));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/many\.safetensors: tensor 't\d+' has data_offsets \[0,1048576\], overlapping tensor 't\d+'/);
    // Accepting them would have allocated 2,000 × 1 MiB (twice: the read and the tensor).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });

  it.each([
    ["identical offsets", { a: f32(0, 8), b: f32(0, 8) }, 8, /tensor '[ab]' .* overlapping tensor '[ab]'/],
    ["overlapping offsets", { a: f32(0, 8), b: f32(4, 12) }, 12, /tensor 'b' has data_offsets \[4,12\], overlapping tensor 'a' \[0,8\]/],
    ["a gap", { a: f32(0, 4), b: f32(8, 12) }, 12, /tensor 'b' .* leaving a gap \(tensor 'a' ends at 4\): bytes 4…7 belong to no tensor/],
    ["offsets not starting at 0", { a: f32(4, 8) }, 8, /tensor 'a' .* leaving a gap \(the data starts at 0\): bytes 0…3/],
    ["trailing bytes", { a: f32(0, 4) }, 9, /5 bytes after the last tensor's data \(the tensors cover 4 of 9 data bytes\)/],
    ["data past the end", { a: f32(0, 16) }, 12, /tensor 'a' has data_offsets \[0,16\] past the end of the data \(12 bytes\)/],
    ["fractional offsets", { a: { dtype: "F32", shape: [1], data_offsets: [0.5, 4.5] } }, 5, /tensor 'a' has data_offsets \[0.5,4.5\]; expected \[begin, end\], two non-negative safe integers/],
    ["string offsets", { a: { dtype: "F32", shape: [1], data_offsets: ["0", "4"] } }, 4, /tensor 'a' has data_offsets \["0","4"\]/],
    ["negative offsets", { a: { dtype: "F32", shape: [1], data_offsets: [-4, 0] } }, 4, /data_offsets \[-4,0\]/],
    ["three offsets", { a: { dtype: "F32", shape: [1], data_offsets: [0, 4, 8] } }, 4, /data_offsets \[0,4,8\]/],
    ["end before begin", { a: { dtype: "F32", shape: [0], data_offsets: [4, 0] } }, 4, /ending before they begin/],
    ["a size that does not match the shape", { a: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, 4, /\(4 bytes\) but shape \[2\] of F32 needs 2 × 4 = 8 bytes/],
  ])("refuses %s with an ArgumentError naming the tensor and the offsets", (_, header, data, message) => {
    const error = thrown(() => decodeSafetensors(file(header, data), "x.safetensors"));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(/^decodeSafetensors: x\.safetensors: /);
    expect(error.message).toMatch(message);
  });

  it("accepts empty tensors anywhere (zero bytes at any offset that continues the data), as the reference does", () => {
    const bytes = file({ a: f32(0, 4), empty: { dtype: "F64", shape: [0, 3], data_offsets: [4, 4] }, also: { dtype: "I64", shape: [2, 0], data_offsets: [4, 4] }, b: f32(4, 8) }, 8);
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.get("empty")!.shape).toEqual([0, 3]);
    expect(tensors.get("also")!.dtype).toBe("int32");
    expect([...tensors.keys()]).toEqual(["a", "empty", "also", "b"]); // data order
    expect(decodeSafetensors(file({})).tensors.size).toBe(0);
  });
});

describe("safetensors reader: the header", () => {
  it.each([
    ["a bare JSON number", "3", /header must be a JSON object, got 3/],
    ["null", "null", /header must be a JSON object, got null/],
    ["an array", "[]", /header must be a JSON object, got \[\]/],
    ["a string", '"w"', /header must be a JSON object, got "w"/],
    ["invalid JSON", '{"a":', /header is not valid JSON/],
    ["empty", "", /header is not valid JSON/],
    ["a duplicate tensor", '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', /header repeats the key 'w'$/],
    ["a duplicate field", '{"w":{"dtype":"F32","shape":[1],"dtype":"I32","data_offsets":[0,4]}}', /header repeats the key 'dtype' in 'w'/],
    ["a duplicate metadata key", '{"__metadata__":{"k":"1","k":"2"}}', /header repeats the key 'k' in '__metadata__'/],
    ["a byte-order mark", "\ufeff{}", /header is not valid JSON/],
    ["non-string metadata", '{"__metadata__":{"epoch":3}}', /__metadata__ 'epoch' must be a string, got 3/],
    ["null metadata", '{"__metadata__":null}', /__metadata__ must be an object of strings, got null/],
    ["a metadata string", '{"__metadata__":"pt"}', /__metadata__ must be an object of strings, got "pt"/],
    ["an entry that is not an object", '{"w":[0,4]}', /tensor 'w' must be an object \{dtype, shape, data_offsets\}, got \[0,4\]/],
    ["a missing field", '{"w":{"dtype":"F32","shape":[1]}}', /tensor 'w' has data_offsets nothing/],
  ])("refuses %s with an ArgumentError", (_, header, message) => {
    const error = thrown(() => decodeSafetensors(file(header, 4), "h.safetensors"));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toMatch(message);
  });

  it("ignores fields beyond dtype, shape and data_offsets, as the reference reader does", () => {
    const tensors = decodeSafetensors(file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"stride":[1]}}', 4), "h.safetensors");
    expect([...tensors.tensors.keys()]).toEqual(["w"]);
  });

  it("refuses a header that is not UTF-8", () => {
    const bytes = file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
    bytes[8 + 2] = 0xff; // inside the name
    expect(() => decodeSafetensors(bytes)).toThrow(ArgumentError);
    expect(() => decodeSafetensors(bytes)).toThrow(/header is not valid UTF-8/);
  });

  it("refuses a header length beyond the file, or the whole u64 range, before reading it", () => {
    expect(() => decodeSafetensors(file("{}", 0, 1n))).toThrow(/header is not valid JSON/);
    expect(() => decodeSafetensors(file("{}", 0, 100n))).toThrow(/header length 100 exceeds the 2 bytes after the length field/);
    expect(() => decodeSafetensors(file("{}", 0, 2n ** 64n - 1n))).toThrow(/header length 18446744073709551615 exceeds/);
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(/file of 5 bytes is shorter than the 8-byte header length/);
    expect(() => decodeSafetensors(null as unknown as Uint8Array)).toThrow(ArgumentError);
  });

  it.each([
    ["[1e20, 0]", [1e20, 0], /shape \[100000000000000000000,0\]; dimensions must be non-negative safe integers/],
    ["a negative dimension", [-1], /shape \[-1\]/],
    ["a fractional dimension", [1.5], /shape \[1.5\]/],
    ["a count that overflows before a 0", [2 ** 40, 2 ** 40, 0], /element count overflows/],
    ["no array", 4, /shape 4/],
  ])("refuses shape %s with a ShapeError", (_, shape, message) => {
    const error = thrown(() => decodeSafetensors(file({ w: { dtype: "F32", shape, data_offsets: [0, 0] } })));
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toMatch(/tensor 'w'/);
    expect(error.message).toMatch(message);
  });

  it("refuses unknown or unread dtypes with a DTypeError that lists the read ones", () => {
    expect(() => decodeSafetensors(file({ w: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, 1))).toThrow(DTypeError);
    expect(() => decodeSafetensors(file(
      { w: { dtype: "C64", shape: [1], data_offsets: [0, 8] } },
      8,
    ))).toThrow(/tensor 'w' has dtype "C64"; BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64 are read/);
    expect(() => decodeSafetensors(file({ w: { dtype: "__proto__", shape: [1], data_offsets: [0, 8] } }, 8))).toThrow(DTypeError);
  });

  it("errors from a file name the file; a missing file is an ArgumentError naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "fcn-st-"));
    const path = join(dir, "bad.safetensors");
    writeFileSync(path, file({ a: f32(0, 4) }, 6));
    expect(() => loadSafetensors(path)).toThrow(`loadSafetensors: ${path}: 2 bytes after`);
    expect(() => loadSafetensors(join(dir, "absent.safetensors"))).toThrow(ArgumentError);
    expect(() => loadSafetensors(join(dir, "absent.safetensors"))).toThrow(/cannot read .*absent\.safetensors/);
  });

  it("inspectSafetensors gives the checked layout without reading the data", () => {
    const layout = inspectSafetensors(encodeSafetensors({ w: zeros([2, 3]), n: tensor([1, 2], { dtype: "float64" }) }, { format: "pt" }));
    expect(layout.metadata).toEqual({ format: "pt" });
    expect(layout.entries.map((e) => [e.name, e.dtype, e.shape, e.dataOffsets])).toEqual([["n", "F64", [2], [0, 16]], ["w", "F32", [2, 3], [16, 40]]]);
    expect(layout.dataStart % 8).toBe(0);
  });
});

describe("safetensors dtypes PyTorch writes: I64, BOOL, BF16 and the small integers", () => {
  /** Little-endian bytes of typed values. */
  const le = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

  it("a PyTorch BatchNorm state dict (num_batches_tracked: I64 scalar) loads into a module with those names", () => {
    // The layout torch's save_file writes: widest dtype first (I64), then by name, metadata {"format": "pt"}.
    const header = '{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"running_mean":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},' +
      '"running_var":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"weight":{"dtype":"F32","shape":[2],"data_offsets":[32,40]}}';
    const data = new Uint8Array(40);
    data.set(le(BigInt64Array.of(1234n)), 0);
    data.set(le(Float32Array.of(0.5, -0.5, 0.1, 0.2, 1.5, 2.5, 3, 4)), 8);
    const bytes = file(header.padEnd(Math.ceil(header.length / 8) * 8, " "), data);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt" });
    const steps = tensors.get("num_batches_tracked")!;
    expect([steps.dtype, steps.shape, steps.dataSync()[0]]).toEqual(["int32", [], 1234]);

    class TorchBatchNorm extends Module {
      readonly weight = this.param("weight", zeros([2])).value;
      readonly bias = this.param("bias", zeros([2])).value;
      readonly runningMean = this.buffer("running_mean", zeros([2]));
      readonly runningVar = this.buffer("running_var", zeros([2]));
      readonly steps = this.buffer("num_batches_tracked", zeros([], { dtype: "int32" }));
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "fcn-st-"));
    const path = join(dir, "bn.safetensors");
    writeFileSync(path, bytes);
    const bn = new TorchBatchNorm();
    loadModule(bn, path);
    expect(Array.from(bn.stateDict().get("weight")!.dataSync())).toEqual([3, 4]);
    expect(bn.steps.dataSync()[0]).toBe(1234);
    expect(Array.from(bn.runningVar.dataSync())).toEqual([1.5, 2.5]);
  });

  it("I64 values outside int32 are a DTypeError naming the tensor, the index and the value; the edges are read", () => {
    const edges = le(BigInt64Array.of(-(2n ** 31n), 2n ** 31n - 1n));
    expect(Array.from(decodeSafetensors(file({ e: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }, edges)).tensors.get("e")!.dataSync())).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    const big = le(BigInt64Array.of(0n, 3000000000n));
    const error = thrown(() => decodeSafetensors(file({ n: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }, big), "big.safetensors"));
    expect(error).toBeInstanceOf(DTypeError);
    expect(error.message).toBe("decodeSafetensors: big.safetensors: tensor 'n' (I64) holds 3000000000 at index 1, outside int32's range [-2147483648, 2147483647]; it cannot be read as int32");
    expect(() => decodeSafetensors(file({ n: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, le(BigInt64Array.of(-(2n ** 31n) - 1n))))).toThrow(/holds -2147483649 at index 0/);
    expect(() => decodeSafetensors(file({ n: { dtype: "U64", shape: [1], data_offsets: [0, 8] } }, le(BigUint64Array.of(2n ** 64n - 1n))))).toThrow(/holds 18446744073709551615/);
    expect(() => decodeSafetensors(file({ n: { dtype: "U32", shape: [1], data_offsets: [0, 4] } }, le(Uint32Array.of(2 ** 31))))).toThrow(/holds 2147483648/);
  });

  it("BOOL reads as bool (bytes 0 and 1 only); BF16 as float32, exactly", () => {
    const flags = decodeSafetensors(file({ f: { dtype: "BOOL", shape: [3], data_offsets: [0, 3] } }, Uint8Array.of(1, 0, 1))).tensors.get("f")!;
    expect([flags.dtype, Array.from(flags.dataSync())]).toEqual(["bool", [1, 0, 1]]);
    expect(() => decodeSafetensors(file({ f: { dtype: "BOOL", shape: [2], data_offsets: [0, 2] } }, Uint8Array.of(0, 2)))).toThrow(/tensor 'f' \(BOOL\) holds 2 at index 1, outside a bool's 0 and 1/);
    // 1, -3, the largest finite bfloat16, +∞, NaN, the smallest subnormal.
    const bits = le(Uint16Array.of(0x3f80, 0xc040, 0x7f7f, 0x7f80, 0x7fc0, 0x0001));
    const b = decodeSafetensors(file({ b: { dtype: "BF16", shape: [6], data_offsets: [0, 12] } }, bits)).tensors.get("b")!;
    expect(b.dtype).toBe("float32");
    expect(Array.from(b.dataSync())).toEqual([1, -3, 3.3895313892515355e38, Infinity, NaN, 2 ** -133]);
  });

  it("U8, I8, I16, U16 and U32 read as int32", () => {
    const read = (dtype: string, values: ArrayBufferView, n: number) =>
      Array.from(decodeSafetensors(file({ v: { dtype, shape: [n], data_offsets: [0, values.byteLength] } }, le(values))).tensors.get("v")!.dataSync());
    expect(read("U8", Uint8Array.of(0, 255), 2)).toEqual([0, 255]);
    expect(read("I8", Int8Array.of(-128, 127), 2)).toEqual([-128, 127]);
    expect(read("I16", Int16Array.of(-32768, 7), 2)).toEqual([-32768, 7]);
    expect(read("U16", Uint16Array.of(65535), 1)).toEqual([65535]);
    expect(read("U32", Uint32Array.of(2 ** 31 - 1), 1)).toEqual([2 ** 31 - 1]);
  });
});

describe("safetensors writer", () => {
  it("a tensor named __metadata__ is an ArgumentError, not a lost tensor", () => {
    expect(() => encodeSafetensors({ __metadata__: zeros([1]) })).toThrow(ArgumentError);
    expect(() => encodeSafetensors(new Map([["__metadata__", zeros([1])]]))).toThrow(/a tensor cannot be named '__metadata__'/);
  });

  it("non-ASCII names keep the data 8-byte aligned (padding counts UTF-8 bytes) and read back", () => {
    for (const name of ["权重", "é", "😀", "ü.weight", "a"]) {
      const bytes = encodeSafetensors({ [name]: tensor([1, 2, 3], { dtype: "float64" }) });
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect((8 + n) % 8).toBe(0);
      expect(bytes.length).toBe(8 + n + 24);
      expect(new DataView(bytes.buffer).getFloat64(8 + n, true)).toBe(1);
      expect(Array.from(decodeSafetensors(bytes).tensors.get(name)!.dataSync())).toEqual([1, 2, 3]);
    }
  });

  it("names such as __proto__ and constructor survive the round trip", () => {
    const back = decodeSafetensors(encodeSafetensors(new Map([["__proto__", zeros([1])], ["constructor", zeros([2])]]), { __proto__x: "1" })).tensors;
    expect([...back.keys()].sort()).toEqual(["__proto__", "constructor"]);
  });

  it("bad arguments are ArgumentErrors naming them", () => {
    expect(() => encodeSafetensors(null as never)).toThrow(/encodeSafetensors: tensors must be a Map or an object of named tensors, got null/);
    expect(() => encodeSafetensors({ w: [1, 2] } as never)).toThrow(/'w' must be a Tensor, got object/);
    expect(() => encodeSafetensors({}, { epoch: 3 } as never)).toThrow(/metadata 'epoch' must be a string, got number/);
    for (const bad of [() => encodeSafetensors(7 as never), () => encodeSafetensors({}, [] as never)]) expect(thrown(bad)).toBeInstanceOf(FcnError);
  });
});
