import { expect } from "vitest";
import type { Matrix } from "../src/linalg/matrix.js";

/** Asserts two matrices agree entrywise within tol·max(1, ‖scale‖∞). */
export function expectClose(actual: Matrix, expected: Matrix, tol = 1e-9): void {
  expect([actual.rows, actual.cols]).toEqual([expected.rows, expected.cols]);
  let scale = 1;
  for (const v of expected.data) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < actual.data.length; i++) {
    if (!(Math.abs(actual.data[i] - expected.data[i]) <= tol * scale)) {
      throw new Error(`entry ${i}: ${actual.data[i]} vs ${expected.data[i]} (tol ${tol * scale})`);
    }
  }
}

/** Asserts two arrays agree within tol·max(1, max|expected|). */
export function expectArrayClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * scale)) throw new Error(`index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}
