/**
 * Argument checks shared by every generator. Each throws an {@link ArgumentError} whose
 * message reads `<function>: <argument> must be <rule>, got <value>`.
 */
import { ArgumentError } from "./errors.js";

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return String(value);
}

function fail(fn: string, argument: string, rule: string, value: unknown): never {
  throw new ArgumentError(`${fn}: ${argument} must be ${rule}, got ${show(value)}`, argument);
}

/** Checks that `value` is an integer ≥ `minimum` (default 1) and returns it. */
export function integerAtLeast(fn: string, argument: string, value: unknown, minimum = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) {
    fail(fn, argument, minimum === 1 ? "a positive integer" : `an integer ≥ ${minimum}`, value);
  }
  return value;
}

/** Checks that `value` is a finite number ≥ 0 and returns it. */
export function nonNegative(fn: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(fn, argument, "a finite number ≥ 0", value);
  }
  return value;
}

/** Checks that `value` is a finite number and returns it. */
export function finite(fn: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(fn, argument, "a finite number", value);
  return value;
}

/** Checks that `value` is a finite number > 0 and returns it. */
export function positive(fn: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(fn, argument, "a finite number > 0", value);
  }
  return value;
}

/** Checks that `value` lies in the closed interval [low, high] and returns it. */
export function inRange(fn: string, argument: string, value: unknown, low: number, high: number): number {
  if (typeof value !== "number" || !(value >= low && value <= high)) {
    fail(fn, argument, `a number in [${low}, ${high}]`, value);
  }
  return value;
}

/** Checks that `value` is a safe integer usable as a seed and returns it. */
export function seedValue(fn: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) fail(fn, "seed", "a safe integer", value);
  return value;
}

/** Checks that `value` is one of `allowed` and returns it. */
export function oneOf<T extends string>(fn: string, argument: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    fail(fn, argument, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
  }
  return value as T;
}

/** Checks that `value` is a non-empty array of finite numbers and returns it. */
export function finiteList(fn: string, argument: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    fail(fn, argument, "a non-empty array of finite numbers", value);
  }
  return value as number[];
}

/** Throws an {@link ArgumentError} for `argument` with a free-form rule. */
export function invalid(fn: string, argument: string, rule: string, value: unknown): never {
  fail(fn, argument, rule, value);
}

/** The common `{n, noise, seed}` options, checked, with defaults filled in. */
export function commonOptions(
  fn: string,
  options: { n?: number; noise?: number; seed?: number },
  defaults: { n: number; noise: number },
): { n: number; noise: number; seed: number } {
  return {
    n: integerAtLeast(fn, "n", options.n ?? defaults.n),
    noise: nonNegative(fn, "noise", options.noise ?? defaults.noise),
    seed: seedValue(fn, options.seed ?? 0),
  };
}
