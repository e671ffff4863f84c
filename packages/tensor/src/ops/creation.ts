import { type DType, type TypedArray, assertDType, dtypeOfArray } from "../dtype.js";
import { checkAllocation } from "../allocation.js";
import { ArgumentError, ShapeError, formatShape } from "../errors.js";
import { getBackend } from "../backend/registry.js";
import type { Generator } from "../random.js";
import { type Shape, assertShape, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { checkFillValue, storeValues } from "./storeValues.js";
import { hostArray } from "./hostArray.js";
import { assertNumber, assertOptions, assertTensor, describeValue } from "./validate.js";

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export type NestedNumbers = number | boolean | readonly NestedNumbers[];

function make(array: TypedArray, shape: Shape, dtype: DType, requiresGrad = false): Tensor {
  const t = new Tensor(getBackend().upload(array, dtype), shape, dtype);
  if (requiresGrad) t.requireGrad();
  return t;
}

/**
 * A tensor from nested arrays or a TypedArray. Nested arrays must be rectangular; values
 * must be numbers (NaN and ±∞ are kept in float dtypes, as in PyTorch) or booleans. The dtype defaults to the
 * TypedArray's, to `bool` for booleans, else float32. int32 truncates toward zero and rejects NaN, ±∞ and values
 * outside int32 with an ArgumentError naming the element (PyTorch raises too); bool stores non-zero values as true.
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                       // float32 [2, 2]
 * tensor(new Float64Array(6), { shape: [2, 3] }); // float64 [2, 3]
 */
export function tensor(values: NestedNumbers | TypedArray, options: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let inferred: DType;
  if (typeof options !== "object" || options === null) throw new ArgumentError(`tensor: options must be an object, got ${String(options)}`, "options");
  if (values instanceof DataView) throw new ArgumentError("tensor: values is a DataView; pass a typed array or nested arrays", "values");
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = dtypeOfArray(values as TypedArray) ?? "float32";
    shape = options.shape ? assertShape(options.shape, "tensor") : [flat.length];
    if (sizeOf(shape) !== flat.length) {
      throw new ShapeError(`tensor: shape ${formatShape(shape)} needs ${sizeOf(shape)} values, got ${flat.length}`);
    }
  } else {
    const parsed = flatten(values);
    flat = parsed.values;
    inferred = parsed.isBool ? "bool" : "float32";
    shape = parsed.shape;
    if (options.shape) {
      const wanted = assertShape(options.shape, "tensor");
      if (sizeOf(wanted) !== flat.length) {
        throw new ShapeError(`tensor: shape ${formatShape(wanted)} needs ${sizeOf(wanted)} values, got ${flat.length}`);
      }
      shape = wanted;
    }
  }
  const dtype = options.dtype ? assertDType(options.dtype, "tensor") : inferred;
  return make(storeValues(flat, shape, dtype, "tensor", "values", getBackend()), shape, dtype, options.requiresGrad);
}

function flatten(values: NestedNumbers): { values: number[]; shape: number[]; isBool: boolean } {
  const shape: number[] = [];
  let probe: NestedNumbers = values;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as NestedNumbers;
  }
  const out: number[] = [];
  let isBool = typeof probe === "boolean";
  const walk = (v: NestedNumbers, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (Array.isArray(v)) throw new ShapeError(`tensor: ragged nested array: element ${path} is an array, expected a number (shape ${formatShape(shape)})`);
      if (typeof v === "boolean") {
        out.push(v ? 1 : 0);
        return;
      }
      if (typeof v !== "number") throw new ArgumentError(`tensor: element ${path} is ${String(v)}, not a number`);
      isBool = false;
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`tensor: ragged nested array: element ${path} has length ${Array.isArray(v) ? v.length : "(scalar)"}, expected ${shape[depth]}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i] as NestedNumbers, depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, "");
  return { values: out, shape, isBool };
}

function filled(shape: readonly number[], value: number, options: CreateOptions, op: string): Tensor {
  assertOptions(options, op);
  const s = assertShape(shape, op);
  const dtype = options.dtype ? assertDType(options.dtype, op) : "float32";
  checkFillValue(value, dtype, op);
  checkAllocation(op, s);
  const array = hostArray(getBackend(), dtype, sizeOf(s), op);
  if (value !== 0) array.fill(dtype === "bool" ? 1 : value);
  return make(array, s, dtype, options.requiresGrad);
}

export const zeros = (shape: readonly number[], options: CreateOptions = {}): Tensor => filled(shape, 0, options, "zeros");
export const ones = (shape: readonly number[], options: CreateOptions = {}): Tensor => filled(shape, 1, options, "ones");
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  if (typeof value !== "number" || Number.isNaN(value)) throw new ArgumentError(`full: value must be a number, got ${String(value)}`);
  return filled(shape, value, options, "full");
}
/** Zeros of x's shape and dtype, on x's device. */
export const zerosLike = (x: Tensor): Tensor => likeOf(x, 0, "zerosLike");
/** Ones of x's shape and dtype, on x's device. */
export const onesLike = (x: Tensor): Tensor => likeOf(x, 1, "onesLike");

function likeOf(x: Tensor, value: number, op: string): Tensor {
  assertTensor(x, op, "x");
  checkAllocation(op, x.shape);
  const array = hostArray(x.backend, x.dtype, x.size, op);
  if (value !== 0) array.fill(value);
  return new Tensor(x.backend.upload(array, x.dtype), x.shape, x.dtype);
}

/** start, start+step, … below stop (one argument: 0..stop-1). int32 if all are integers. */
export function arange(start: number, stop?: number, step?: number, options?: CreateOptions): Tensor;
export function arange(stop: number, options: CreateOptions): Tensor;
export function arange(a: number, b?: number | CreateOptions, c?: number, d?: CreateOptions): Tensor {
  const options = (typeof b === "object" ? b : d) ?? {};
  const [start, stop, step] = typeof b === "number" ? [a, b, c ?? 1] : [0, a, 1];
  for (const [name, v] of [["start", start], ["stop", stop], ["step", step]] as const) {
    if (!Number.isFinite(v)) throw new ArgumentError(`arange: ${name} must be finite, got ${v}`);
  }
  if (step === 0) throw new ArgumentError("arange: step must not be 0");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkAllocation("arange", [n]);
  const dtype = options.dtype ? assertDType(options.dtype, "arange") : [start, stop, step].every(Number.isInteger) ? "int32" : "float32";
  checkFillValue(start, dtype, "arange");
  checkFillValue(start + (n - 1) * step, dtype, "arange");
  const array = hostArray(getBackend(), dtype, n, "arange");
  for (let i = 0; i < n; i++) array[i] = start + i * step;
  return make(array, [n], dtype, options.requiresGrad);
}

/** `count` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, count: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(count) || count < 0) throw new ArgumentError(`linspace: count must be a non-negative integer, got ${count}`);
  for (const [name, v] of [["start", start], ["stop", stop]] as const) {
    if (typeof v !== "number" || Number.isNaN(v)) throw new ArgumentError(`linspace: ${name} must be a number, got ${String(v)}`, name);
  }
  checkAllocation("linspace", [count]);
  assertOptions(options, "linspace");
  const dtype = options.dtype ? assertDType(options.dtype, "linspace") : "float32";
  checkFillValue(start, dtype, "linspace");
  checkFillValue(stop, dtype, "linspace");
  const array = hostArray(getBackend(), dtype, count, "linspace");
  const step = count > 1 ? (stop - start) / (count - 1) : 0;
  for (let i = 0; i < count; i++) array[i] = start + i * step;
  if (count > 1) array[count - 1] = stop;
  return make(array, [count], dtype, options.requiresGrad);
}

/** n×m identity (m = n by default). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const t = assertShape([n, m], "eye");
  assertOptions(options, "eye");
  checkAllocation("eye", t);
  const dtype = options.dtype ? assertDType(options.dtype, "eye") : "float32";
  const array = hostArray(getBackend(), dtype, n * m, "eye");
  for (let i = 0; i < Math.min(n, m); i++) array[i * m + i] = 1;
  return make(array, t, dtype, options.requiresGrad);
}

function sampled(shape: readonly number[], options: CreateOptions, op: string, draw: () => number): Tensor {
  assertOptions(options, op);
  const s = assertShape(shape, op);
  checkAllocation(op, s);
  const dtype = options.dtype ? assertDType(options.dtype, op) : "float32";
  const array = hostArray(getBackend(), dtype, sizeOf(s), op);
  for (let i = 0; i < array.length; i++) array[i] = draw();
  return make(array, s, dtype, options.requiresGrad);
}

function checkGenerator(generator: Generator | undefined, op: string): Generator {
  if (!generator || typeof (generator as Generator).uniform !== "function") {
    throw new ArgumentError(`${op}: a seeded Generator is required (new Generator(seed))`);
  }
  return generator;
}

/** Uniform samples in [low, high). */
export function rand(shape: readonly number[], generator: Generator, options: CreateOptions & { low?: number; high?: number } = {}): Tensor {
  const gen = checkGenerator(generator, "rand");
  assertOptions(options, "rand");
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  assertNumber(low, "rand", "low");
  assertNumber(high, "rand", "high");
  if (!(high > low)) throw new ArgumentError(`rand: need low < high, got low=${low}, high=${high}`);
  return sampled(shape, options, "rand", () => low + (high - low) * gen.uniform());
}

/** Normal samples with the given mean and standard deviation. */
export function randn(shape: readonly number[], generator: Generator, options: CreateOptions & { mean?: number; std?: number } = {}): Tensor {
  const gen = checkGenerator(generator, "randn");
  assertOptions(options, "randn");
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  assertNumber(mean, "randn", "mean");
  assertNumber(std, "randn", "std");
  if (!(std >= 0)) throw new ArgumentError(`randn: std must be ≥ 0, got ${std}`);
  return sampled(shape, options, "randn", () => mean + std * gen.normal());
}

/** Integers uniform in [low, high), int32. */
export function randint(low: number, high: number, shape: readonly number[], generator: Generator): Tensor {
  const gen = checkGenerator(generator, "randint");
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ArgumentError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  if (low < -2147483648 || high > 2147483648) {
    throw new ArgumentError(`randint: bounds must fit int32 ([-2^31, 2^31]), got low=${low}, high=${high}`);
  }
  return sampled(shape, { dtype: "int32" }, "randint", () => gen.integer(low, high));
}

/** 1 with probability p, else 0 (float32 unless a dtype is given). */
export function bernoulli(p: number, shape: readonly number[], generator: Generator, options: CreateOptions = {}): Tensor {
  const gen = checkGenerator(generator, "bernoulli");
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ArgumentError(`bernoulli: p must be in [0, 1], got ${typeof p === "number" ? p : describeValue(p)}`, "p");
  return sampled(shape, options, "bernoulli", () => (gen.uniform() < p ? 1 : 0));
}

/** A random permutation of 0..n-1, int32. */
export function permutation(n: number, generator: Generator): Tensor {
  const gen = checkGenerator(generator, "permutation");
  assertShape([n], "permutation");
  checkAllocation("permutation", [n]);
  return make(gen.permutation(n), [n], "int32");
}
