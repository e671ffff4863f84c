/**
 * The safetensors dtypes: each one's width in bytes and the engine dtype it is read into.
 * The engine has float16/32/64, int32 and bool, so wider or narrower integers are read as
 * int32 (values outside int32's range are an error, never wrapped) and BF16 as float32
 * (exact: bfloat16 is the upper half of a float32).
 */
import type { DType } from "@fcn/tensor";

export interface FileDType {
  /** The name in the header, e.g. "F32". */
  readonly name: string;
  /** Bytes per element in the file. */
  readonly bytes: number;
  /** The engine dtype the values are read into; null: known to the format but not read. */
  readonly target: DType | null;
}

const table: FileDType[] = [
  { name: "BOOL", bytes: 1, target: "bool" },
  { name: "U8", bytes: 1, target: "int32" },
  { name: "I8", bytes: 1, target: "int32" },
  { name: "F8_E5M2", bytes: 1, target: null },
  { name: "F8_E4M3", bytes: 1, target: null },
  { name: "I16", bytes: 2, target: "int32" },
  { name: "U16", bytes: 2, target: "int32" },
  { name: "F16", bytes: 2, target: "float16" },
  { name: "BF16", bytes: 2, target: "float32" },
  { name: "I32", bytes: 4, target: "int32" },
  { name: "U32", bytes: 4, target: "int32" },
  { name: "F32", bytes: 4, target: "float32" },
  { name: "F64", bytes: 8, target: "float64" },
  { name: "I64", bytes: 8, target: "int32" },
  { name: "U64", bytes: 8, target: "int32" },
];

/** Every dtype of the format by header name (a Map, so "__proto__" and the like are not found). */
export const FILE_DTYPES: ReadonlyMap<string, FileDType> = new Map(table.map((d) => [d.name, d]));

/** Header names of the dtypes this reader reads, for error messages. */
export const READ_DTYPE_NAMES: readonly string[] = table.filter((d) => d.target !== null).map((d) => d.name);

/** The header name each engine dtype is written as. */
export const WRITTEN_DTYPE: Readonly<Record<DType, FileDType>> = {
  bool: FILE_DTYPES.get("BOOL")!,
  int32: FILE_DTYPES.get("I32")!,
  float16: FILE_DTYPES.get("F16")!,
  float32: FILE_DTYPES.get("F32")!,
  float64: FILE_DTYPES.get("F64")!,
};
