/**
 * Reads and checks a safetensors header without touching the tensor data. The format
 * (https://github.com/huggingface/safetensors): an 8-byte little-endian u64 N, N bytes of
 * UTF-8 JSON — an object {name: {dtype, shape, data_offsets: [begin, end]}} plus an optional
 * "__metadata__" string→string map — then the data, offsets relative to its start.
 *
 * Everything the format requires is checked here, before any tensor is allocated: entries
 * sorted by offset must tile the data exactly (start at 0, no gap, no overlap, nothing after
 * the last), and each entry's byte length must be its element count times its dtype's width.
 * So the tensors a file yields never hold more elements than the file has bytes.
 */
import { ArgumentError, DTypeError, ShapeError } from "@fcn/tensor";
import { findDuplicateKey } from "./jsonDuplicateKeys.js";
import { FILE_DTYPES, type FileDType, READ_DTYPE_NAMES } from "./safetensorsDtypes.js";

/** The reference implementation's limit on the header (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor as the header describes it. */
export interface SafetensorsEntry {
  readonly name: string;
  /** The dtype as the file names it ("F32", "I64", …). */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** [begin, end) in bytes, relative to the start of the data. */
  readonly dataOffsets: readonly [number, number];
}

/** A checked header: entries in data order, the metadata, and where the data starts. */
export interface SafetensorsLayout {
  readonly entries: readonly SafetensorsEntry[];
  readonly metadata: Record<string, string>;
  /** Byte offset of the data in the file: 8 + the header length. */
  readonly dataStart: number;
}

/** A JSON value, shortened for an error message. */
function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isOffset = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses and checks the header of safetensors `bytes`. Throws ArgumentError (layout, header,
 * offsets), ShapeError (shape) or DTypeError (dtype), each naming `source`, the tensor, the
 * field and the value.
 */
export function inspectSafetensors(bytes: Uint8Array, source = "<bytes>"): SafetensorsLayout {
  return readLayout("inspectSafetensors", bytes, source);
}

/** {@link inspectSafetensors} for the public function `fn`, which its errors name. */
export function readLayout(fn: string, bytes: Uint8Array, source: string): SafetensorsLayout {
  const where = `${fn}: ${source}`;
  if (!(bytes instanceof Uint8Array)) {
    throw new ArgumentError(`${fn}: bytes must be a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  }
  if (bytes.length < 8) throw new ArgumentError(`${where}: file of ${bytes.length} bytes is shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    throw new ArgumentError(`${where}: header length ${declared} exceeds the ${bytes.length - 8} bytes after the length field`);
  }
  const headerLength = Number(declared);
  if (headerLength > MAX_HEADER_BYTES) throw new ArgumentError(`${where}: header length ${headerLength} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  let text: string;
  try {
    // fatal: malformed UTF-8 is an error, not U+FFFD; ignoreBOM: a BOM stays and fails the parse.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    throw new ArgumentError(`${where}: header is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${where}: header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new ArgumentError(`${where}: header must be a JSON object, got ${show(header)}`);
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const inside = duplicate.path.length > 0 ? ` in '${duplicate.path.join("'.'")}'` : "";
    throw new ArgumentError(`${where}: header repeats the key '${duplicate.key}'${inside}`);
  }

  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = checkMetadata(entry, where);
      continue;
    }
    entries.push(checkEntry(name, entry, dataLength, where));
  }
  checkTiling(entries, dataLength, where);
  return { entries, metadata, dataStart };
}

function checkMetadata(value: unknown, where: string): Record<string, string> {
  if (!isObject(value)) throw new ArgumentError(`${where}: __metadata__ must be an object of strings, got ${show(value)}`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new ArgumentError(`${where}: __metadata__ '${key}' must be a string, got ${show(v)}`);
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkEntry(name: string, entry: unknown, dataLength: number, where: string): SafetensorsEntry {
  const at = `${where}: tensor '${name}'`;
  if (!isObject(entry)) throw new ArgumentError(`${at} must be an object {dtype, shape, data_offsets}, got ${show(entry)}`);
  // Fields beyond these three are ignored, as the reference reader (serde without deny_unknown_fields) does.
  const { dtype, shape, data_offsets: offsets } = entry;
  const kind: FileDType | undefined = typeof dtype === "string" ? FILE_DTYPES.get(dtype) : undefined;
  if (!kind || kind.target === null) {
    throw new DTypeError(`${at} has dtype ${show(dtype)}; ${READ_DTYPE_NAMES.join(", ")} are read`);
  }
  if (!Array.isArray(shape) || !shape.every(isOffset)) {
    throw new ShapeError(`${at} has shape ${show(shape)}; dimensions must be non-negative safe integers`);
  }
  // Multiplied in order, as the reference does, so an overflowing count is refused even when a later dimension is 0.
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) throw new ShapeError(`${at} has shape ${show(shape)}, whose element count overflows`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isOffset)) {
    throw new ArgumentError(`${at} has data_offsets ${show(offsets)}; expected [begin, end], two non-negative safe integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new ArgumentError(`${at} has data_offsets ${show(offsets)} ending before they begin`);
  if (end > dataLength) throw new ArgumentError(`${at} has data_offsets ${show(offsets)} past the end of the data (${dataLength} bytes)`);
  if (end - begin !== count * kind.bytes) {
    throw new ArgumentError(
      `${at} has data_offsets ${show(offsets)} (${end - begin} bytes) but shape ${show(shape)} of ${kind.name} needs ${count} × ${kind.bytes} = ${count * kind.bytes} bytes`,
    );
  }
  return { name, dtype: kind.name, shape: (shape as number[]).slice(), dataOffsets: [begin, end] };
}

/** Sorts `entries` by offset in place and requires them to cover [0, dataLength) exactly once. */
function checkTiling(entries: SafetensorsEntry[], dataLength: number, where: string): void {
  entries.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  let previous: SafetensorsEntry | null = null;
  for (const entry of entries) {
    const [begin] = entry.dataOffsets;
    if (begin < covered) {
      throw new ArgumentError(
        `${where}: tensor '${entry.name}' has data_offsets ${show(entry.dataOffsets)}, overlapping tensor '${previous!.name}' ${show(previous!.dataOffsets)}`,
      );
    }
    if (begin > covered) {
      const before = previous ? `tensor '${previous.name}' ends at ${covered}` : "the data starts at 0";
      throw new ArgumentError(`${where}: tensor '${entry.name}' has data_offsets ${show(entry.dataOffsets)}, leaving a gap (${before}): bytes ${covered}…${begin - 1} belong to no tensor`);
    }
    covered = entry.dataOffsets[1];
    previous = entry;
  }
  if (covered !== dataLength) {
    throw new ArgumentError(`${where}: ${dataLength - covered} bytes after the last tensor's data (the tensors cover ${covered} of ${dataLength} data bytes)`);
  }
}
