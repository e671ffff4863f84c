/**
 * The float32 math mode of the CPU backend, per process (like TensorFlow's TF32 switch or JAX's
 * default matmul precision). "exact" (the default): every float32 result equals the JavaScript
 * loops' (float64 Math.* rounded once, float64 sums). "fast": float32 exp, log, tanh and sigmoid are
 * float32 polynomial approximations, softmax/logSoftmax use them, and float32 sum/mean (of
 * everything or along the last axis) accumulate in float32 lanes, within the bounds stated in
 * docs/gemm.md ("Fast float32 math"). float64 tensors, WebGPU and every other op are unaffected.
 */
import { ArgumentError } from "./errors.js";

export type MathMode = "exact" | "fast";

let mode: MathMode = "exact";

/** Sets the process-wide float32 math mode of the CPU backend ("exact" or "fast"). */
export function setMathMode(next: MathMode): void {
  if (next !== "exact" && next !== "fast") {
    throw new ArgumentError(`setMathMode: mode must be "exact" or "fast", got ${typeof next === "string" ? JSON.stringify(next) : String(next)}`, "mode");
  }
  mode = next;
}

/** The current float32 math mode ("exact" unless setMathMode changed it). */
export function getMathMode(): MathMode {
  return mode;
}

/** True when float32 CPU kernels may take the fast approximations. */
export function fastMath(): boolean {
  return mode === "fast";
}
