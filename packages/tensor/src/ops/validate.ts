/** Runtime checks of arguments, for JavaScript callers who have no compiler to catch a wrong type. */
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";

/** How a bad value reads in a message: `string "1"`, `null`, `an array`, `a Map`. */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return `a ${(x as object).constructor?.name ?? "object"}`;
  if (typeof x === "string") return `string ${JSON.stringify(x)}`;
  return `${typeof x} ${String(x)}`;
}

/** Throws an ArgumentError naming `op` and `argument` unless `x` is a Tensor. */
export function assertTensor(x: unknown, op: string, argument: string): asserts x is Tensor {
  if (typeof x !== "object" || x === null || (x as { isTensor?: unknown }).isTensor !== true) {
    const hint = Array.isArray(x) || typeof x === "number" ? " (wrap it with tensor())" : "";
    throw new ArgumentError(`${op}: ${argument} must be a Tensor, got ${describeValue(x)}${hint}`, { functionName: op, argument });
  }
}

/** Throws an ArgumentError unless `list` is an array of Tensors (naming the first bad entry). */
export function assertTensors(list: unknown, op: string, argument: string): asserts list is readonly Tensor[] {
  if (!Array.isArray(list)) throw new ArgumentError(`${op}: ${argument} must be an array of Tensors, got ${describeValue(list)}`, { functionName: op, argument });
  list.forEach((x, i) => assertTensor(x, op, `${argument}[${i}]`));
}

/** Throws an ArgumentError unless `x` is a Tensor or a number (the operands of arithmetic). */
export function assertOperand(x: unknown, op: string, argument: string): void {
  if (typeof x !== "number") assertTensor(x, op, argument);
}

/** Throws an ArgumentError unless `value` is an array (a shape, a permutation, a list of pairs). */
export function assertArray(value: unknown, op: string, argument: string): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${op}: ${argument} must be an array, got ${describeValue(value)}`, { functionName: op, argument });
}

/** Throws an ArgumentError unless `value` is a number (NaN included: the op decides about NaN). */
export function assertNumber(value: unknown, op: string, argument: string): asserts value is number {
  if (typeof value !== "number") throw new ArgumentError(`${op}: ${argument} must be a number, got ${describeValue(value)}`, { functionName: op, argument });
}

/** Throws an ArgumentError unless `value` is an options object (undefined is taken as `{}` by default parameters). */
export function assertOptions(value: unknown, op: string, argument = "options"): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ArgumentError(`${op}: ${argument} must be an object, got ${describeValue(value)}`, { functionName: op, argument });
  }
}

/** Throws an ArgumentError unless `value` is a seeded Generator (anything with uniform()). */
export function assertGenerator(value: unknown, op: string, argument = "generator"): void {
  if (typeof value !== "object" || value === null || typeof (value as { uniform?: unknown }).uniform !== "function") {
    throw new ArgumentError(`${op}: ${argument} must be a seeded Generator (new Generator(seed)), got ${describeValue(value)}`, { functionName: op, argument });
  }
}
