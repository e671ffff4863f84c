/**
 * The convolution and pooling primitives on WebGPU at layer-like shapes (batch 2, up to 8
 * channels, 12×12 images) against the CPU float64 oracle: values and gradients of
 * Σ w ⊙ f(x) (tolerances in each test name), and maxPool2dIndices exactly.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import * as T from "../../src/index.js";
import { PROPERTY_SEED } from "../helpers.js";
import { expectParity, hasGpu } from "./gpu.js";

const RUNS = Number(process.env.FCN_WEBGPU_RUNS ?? 3);
const options = { numRuns: RUNS, seed: PROPERTY_SEED, endOnFailure: true };
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const input = (shape: number[]) =>
  fc.array(fc.integer({ min: -256, max: 256 }).map((k) => k / 256), { minLength: size(shape), maxLength: size(shape) }).map((values) => ({ shape, values }));

describe.skipIf(!hasGpu)("WebGPU convolutions at layer shapes", () => {
  it("conv2d with bias: 3×3, stride 1–2, padding 0–1, dilation 1–2, groups 1–2 (atol 2e-4, rtol 1e-4)", async () => {
    const cases = fc.record({ groups: fc.constantFrom(1, 2), stride: fc.constantFrom(1, 2), padding: fc.constantFrom(0, 1), dilation: fc.constantFrom(1, 2) });
    await fc.assert(
      fc.asyncProperty(
        cases.chain((c) => fc.tuple(fc.constant(c), input([2, 4, 12, 12]), input([8, 4 / c.groups, 3, 3]), input([8]))),
        async ([c, x, w, b]) => expectParity(`conv2d ${JSON.stringify(c)}`, (xs, ws, bs) => T.conv2d(xs, ws, { ...c, bias: bs }), [x, w, b], { atol: 2e-4, rtol: 1e-4 }),
      ),
      options,
    );
  });

  it("maxPool2d 3×3 stride 2 padding 1 (and with ties, atol 1e-6), avgPool2d and adaptiveAvgPool2d (atol 1e-5, rtol 1e-5)", async () => {
    const [x] = fc.sample(input([2, 3, 12, 12]), { numRuns: 1, seed: PROPERTY_SEED });
    await expectParity("maxPool2d", (t) => T.maxPool2d(t, 3, { stride: 2, padding: 1 }), [x], { atol: 1e-5, rtol: 1e-5 });
    await expectParity("avgPool2d", (t) => T.avgPool2d(t, 3, { stride: 2, padding: 1 }), [x], { atol: 1e-5, rtol: 1e-5 });
    await expectParity("adaptiveAvgPool2d", (t) => T.adaptiveAvgPool2d(t, [5, 3]), [x], { atol: 1e-5, rtol: 1e-5 });
    // Ties (values on a coarse grid): the gradient lands on the same first maximum on both devices.
    const ties = { shape: x.shape, values: x.values.map((v) => Math.round(v * 2) / 2) };
    await expectParity("maxPool2d ties", (t) => T.maxPool2d(t, 2, { stride: 1 }), [ties], { atol: 1e-6, rtol: 1e-6 });
  });
});
