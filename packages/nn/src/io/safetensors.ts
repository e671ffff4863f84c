/**
 * safetensors files (https://github.com/huggingface/safetensors): encoding, decoding and
 * atomic writes. The header is read and checked in safetensorsLayout.ts before any tensor is
 * allocated. This is the package's only file I/O; writes go to a temporary file that is then
 * renamed into place.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { ArgumentError, DTypeError, Tensor, fromHalfBits, halfBits, tensor } from "@fcn/tensor";
import type { Module } from "../module.js";
import { FILE_DTYPES, WRITTEN_DTYPE } from "./safetensorsDtypes.js";
import { type SafetensorsEntry, readLayout } from "./safetensorsLayout.js";

type NamedTensors = Map<string, Tensor> | Record<string, Tensor>;

function namedTensors(fn: string, tensors: unknown): [string, Tensor][] {
  const isRecord = typeof tensors === "object" && tensors !== null && !Array.isArray(tensors) && !(tensors instanceof Map);
  if (!(tensors instanceof Map) && !isRecord) {
    throw new ArgumentError(`${fn}: tensors must be a Map or an object of named tensors, got ${tensors === null ? "null" : Array.isArray(tensors) ? "an array" : typeof tensors}`);
  }
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors as Record<string, unknown>);
  for (const [name, t] of entries) {
    if (typeof name !== "string") throw new ArgumentError(`${fn}: tensor names must be strings, got ${typeof name}`);
    // The header keeps metadata under this key: a tensor of that name would be lost.
    if (name === "__metadata__") throw new ArgumentError(`${fn}: a tensor cannot be named '__metadata__' (the format keeps the metadata under that key)`);
    if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: '${name}' must be a Tensor, got ${t === null ? "null" : typeof t}`);
  }
  return entries as [string, Tensor][];
}

function checkedMetadata(fn: string, metadata: unknown): Record<string, string> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new ArgumentError(`${fn}: metadata must be an object of strings, got ${metadata === null ? "null" : Array.isArray(metadata) ? "an array" : typeof metadata}`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== "string") throw new ArgumentError(`${fn}: metadata '${key}' must be a string, got ${typeof value}`);
  }
  return metadata as Record<string, string>;
}

/**
 * Serializes named tensors to safetensors bytes. Data is ordered as the reference writer
 * orders it (widest dtype first, then by name), so every tensor's data is aligned to its
 * element size; the header is padded with spaces to a multiple of 8 bytes (UTF-8 bytes, so
 * non-ASCII names keep the alignment). bool is written as BOOL, int32 as I32, floats as
 * F16/F32/F64.
 */
export function encodeSafetensors(tensors: NamedTensors, metadata?: Record<string, string>): Uint8Array {
  const fn = "encodeSafetensors";
  const entries = namedTensors(fn, tensors).sort(([a, ta], [b, tb]) => WRITTEN_DTYPE[tb.dtype].bytes - WRITTEN_DTYPE[ta.dtype].bytes || (a < b ? -1 : a > b ? 1 : 0));
  const meta = checkedMetadata(fn, metadata);
  const header: Record<string, unknown> = {};
  if (meta) header.__metadata__ = meta;
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of entries) {
    const kind = WRITTEN_DTYPE[t.dtype];
    if (!kind) throw new DTypeError(`${fn}: tensor '${name}' has dtype ${String(t.dtype)}, which has no safetensors dtype`);
    const bytes = encodeValues(t);
    Object.defineProperty(header, name, { value: { dtype: kind.name, shape: t.shape.slice(), data_offsets: [offset, offset + bytes.length] }, enumerable: true });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // space padding: the data starts 8-byte aligned
  let at = 8 + headerLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A tensor's values as little-endian bytes of its written dtype. */
function encodeValues(t: Tensor): Uint8Array {
  const data = t.dataSync();
  const width = WRITTEN_DTYPE[t.dtype].bytes;
  const bytes = new Uint8Array(data.length * width);
  const view = new DataView(bytes.buffer);
  if (t.dtype === "float16") {
    // float16 values are held as float32 on the host; the file gets their binary16 bits.
    const half = halfBits(data);
    for (let i = 0; i < data.length; i++) view.setUint16(i * 2, half[i], true);
  } else if (t.dtype === "bool") bytes.set(data);
  else {
    for (let i = 0; i < data.length; i++) {
      if (t.dtype === "float64") view.setFloat64(i * 8, data[i], true);
      else if (t.dtype === "float32") view.setFloat32(i * 4, data[i], true);
      else view.setInt32(i * 4, data[i], true);
    }
  }
  return bytes;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Reads one entry's data (already checked to lie within the file) into a tensor of its engine dtype. */
function decodeEntry(view: DataView, at: number, entry: SafetensorsEntry, where: string): Tensor {
  const kind = FILE_DTYPES.get(entry.dtype)!;
  const count = (entry.dataOffsets[1] - entry.dataOffsets[0]) / kind.bytes;
  const shape = entry.shape as number[];
  const outOfRange = (i: number, value: bigint | number, range: string): never => {
    throw new DTypeError(`${where}: tensor '${entry.name}' (${kind.name}) holds ${value} at index ${i}, outside ${range}; it cannot be read as ${kind.target}`);
  };
  switch (kind.name) {
    case "F16": {
      const bits = new Uint16Array(count);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(at + i * 2, true);
      return tensor(fromHalfBits(bits), { shape, dtype: "float16" });
    }
    case "BF16": {
      // bfloat16 is the upper 16 bits of a float32: the conversion is exact.
      const values = new Float32Array(count);
      const words = new Uint32Array(values.buffer);
      for (let i = 0; i < count; i++) words[i] = view.getUint16(at + i * 2, true) << 16;
      return tensor(values, { shape, dtype: "float32" });
    }
    case "F32": {
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(at + i * 4, true);
      return tensor(values, { shape, dtype: "float32" });
    }
    case "F64": {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) values[i] = view.getFloat64(at + i * 8, true);
      return tensor(values, { shape, dtype: "float64" });
    }
    case "BOOL": {
      const values = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        const b = view.getUint8(at + i);
        if (b > 1) outOfRange(i, b, "a bool's 0 and 1");
        values[i] = b;
      }
      return tensor(values, { shape, dtype: "bool" });
    }
    default: {
      const values = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = readInteger(view, at, i, kind.name);
        if (v < INT32_MIN || v > INT32_MAX) outOfRange(i, v, `int32's range [${INT32_MIN}, ${INT32_MAX}]`);
        values[i] = Number(v);
      }
      return tensor(values, { shape, dtype: "int32" });
    }
  }
}

function readInteger(view: DataView, at: number, i: number, name: string): number | bigint {
  switch (name) {
    case "U8": return view.getUint8(at + i);
    case "I8": return view.getInt8(at + i);
    case "U16": return view.getUint16(at + i * 2, true);
    case "I16": return view.getInt16(at + i * 2, true);
    case "U32": return view.getUint32(at + i * 4, true);
    case "I32": return view.getInt32(at + i * 4, true);
    case "I64": return view.getBigInt64(at + i * 8, true);
    default: return view.getBigUint64(at + i * 8, true); // U64
  }
}

/**
 * Parses safetensors bytes into tensors (in data order) and the metadata. Every malformed
 * file is refused before any tensor is allocated (see `inspectSafetensors`); values
 * that do not fit the engine dtype (an I64 beyond int32, a BOOL byte other than 0/1) raise a
 * DTypeError naming the tensor, the index and the value. `source` names the file in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, source = "<bytes>"): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  return decode("decodeSafetensors", bytes, source);
}

function decode(fn: string, bytes: Uint8Array, source: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  const layout = readLayout(fn, bytes, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, Tensor>();
  try {
    for (const entry of layout.entries) {
      tensors.set(entry.name, decodeEntry(view, layout.dataStart + entry.dataOffsets[0], entry, `${fn}: ${source}`));
    }
  } catch (e) {
    tensors.forEach((t) => t.dispose());
    throw e;
  }
  return { tensors, metadata: layout.metadata };
}

/** Writes named tensors to `path` atomically (temporary file, fsync, rename). */
export function saveSafetensors(path: string, tensors: NamedTensors, metadata?: Record<string, string>): void {
  if (typeof path !== "string" || path === "") throw new ArgumentError(`saveSafetensors: path must be a non-empty string, got ${JSON.stringify(path) ?? String(path)}`);
  const bytes = encodeSafetensors(tensors, metadata);
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (e) {
    try { unlinkSync(temporary); } catch { /* already gone */ }
    throw e;
  }
}

/** Reads a safetensors file; errors name the file. */
export function loadSafetensors(path: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  if (typeof path !== "string" || path === "") throw new ArgumentError(`loadSafetensors: path must be a non-empty string, got ${JSON.stringify(path) ?? String(path)}`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path); // a Buffer is a Uint8Array: no copy of the file
  } catch (e) {
    throw new ArgumentError(`loadSafetensors: cannot read ${path} (${(e as Error).message})`);
  }
  return decode("loadSafetensors", bytes, path);
}

/** Saves a module's state dict (parameters and buffers) to `path`. */
export function saveModule(module: Module, path: string, metadata?: Record<string, string>): void {
  saveSafetensors(path, module.stateDict(), metadata);
}

/** Loads a state dict from `path` into `module`; names and shapes are checked (typed errors name the tensor). */
export function loadModule(module: Module, path: string, options: { strict?: boolean } = {}): void {
  const { tensors } = loadSafetensors(path);
  try {
    module.loadStateDict(tensors, options);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}
