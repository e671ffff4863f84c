/**
 * The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header {name: {dtype, shape, data_offsets: [begin, end]}} (plus an
 * optional "__metadata__" string map), then the raw little-endian tensor bytes. This is the
 * package's only file I/O; writes go to a temporary file that is then renamed into place.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { ArgumentError, DTypeError, type DType, ShapeError, type Tensor, formatShape, fromHalfBits, halfBits, tensor } from "@fcn/tensor";
import type { Module } from "../module.js";

const DTYPES: Partial<Record<DType, { name: string; bytes: number }>> = {
  float16: { name: "F16", bytes: 2 },
  float32: { name: "F32", bytes: 4 },
  float64: { name: "F64", bytes: 8 },
  int32: { name: "I32", bytes: 4 },
};
const FROM_NAME: Record<string, DType> = { F16: "float16", F32: "float32", F64: "float64", I32: "int32" };

/** Serializes named tensors (names sorted, data 8-byte aligned) to safetensors bytes. */
export function encodeSafetensors(tensors: Map<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors : new Map(Object.entries(tensors)))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, t] of entries) {
    const kind = DTYPES[t.dtype];
    if (!kind) throw new DTypeError(`safetensors: tensor '${name}' has dtype ${t.dtype}; only float16, float32, float64 and int32 are written`);
    const data = t.dataSync();
    const bytes = new Uint8Array(data.length * kind.bytes);
    const view = new DataView(bytes.buffer);
    // float16 values are held as float32 on the host; the file gets their binary16 bits.
    const half = t.dtype === "float16" ? halfBits(data) : null;
    for (let i = 0; i < data.length; i++) {
      if (half) view.setUint16(i * 2, half[i], true);
      else if (t.dtype === "float64") view.setFloat64(i * 8, data[i], true);
      else if (t.dtype === "float32") view.setFloat32(i * 4, data[i], true);
      else view.setInt32(i * 4, data[i], true);
    }
    header[name] = { dtype: kind.name, shape: t.shape.slice(), data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  while ((json.length + 8) % 8 !== 0) json += " "; // pad so the data starts 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Parses safetensors bytes; throws ArgumentError naming the tensor on malformed entries. */
export function decodeSafetensors(bytes: Uint8Array): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new ArgumentError(`safetensors: file of ${bytes.length} bytes has no header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw new ArgumentError(`safetensors: header length ${headerLength} exceeds the file (${bytes.length} bytes)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new ArgumentError(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const kind = FROM_NAME[dtype];
    if (!kind) throw new DTypeError(`safetensors: tensor '${name}' has unsupported dtype ${String(dtype)} (F16, F32, F64, I32 are read)`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`safetensors: tensor '${name}' has invalid shape ${JSON.stringify(shape)}`);
    const count = shape.reduce((a, b) => a * b, 1);
    const width = DTYPES[kind]!.bytes;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets[1] - offsets[0] !== count * width || offsets[0] < 0 || offsets[1] > dataLength) {
      throw new ArgumentError(`safetensors: tensor '${name}' ${formatShape(shape)} ${dtype} has data_offsets ${JSON.stringify(offsets)} inconsistent with its size or the file`);
    }
    const at = dataStart + offsets[0];
    if (kind === "float16") {
      const bits = new Uint16Array(count);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(at + i * 2, true);
      tensors.set(name, tensor(fromHalfBits(bits), { shape, dtype: "float16" }));
      continue;
    }
    const values = kind === "float64" ? new Float64Array(count) : kind === "float32" ? new Float32Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      values[i] = kind === "float64" ? view.getFloat64(at + i * 8, true) : kind === "float32" ? view.getFloat32(at + i * 4, true) : view.getInt32(at + i * 4, true);
    }
    tensors.set(name, tensor(values, { shape, dtype: kind }));
  }
  return { tensors, metadata };
}

/** Writes named tensors to `path` atomically (temporary file, fsync, rename). */
export function saveSafetensors(path: string, tensors: Map<string, Tensor> | Record<string, Tensor>, metadata?: Record<string, string>): void {
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

/** Reads a safetensors file. */
export function loadSafetensors(path: string): { tensors: Map<string, Tensor>; metadata: Record<string, string> } {
  return decodeSafetensors(new Uint8Array(readFileSync(path)));
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
