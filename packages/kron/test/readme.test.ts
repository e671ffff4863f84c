// The README example, run as written (keep the two in sync).
import { expect, it } from "vitest";
import { KronOperator, diameter, kronPowerSpectrum, kroneckerGraph, selfLoopRemovedSpectrum, sierpinski, spectrumSize } from "../src/index.js";
import { fileURLToPath } from "node:url";
import { checkReadme } from "../../../tools/readme-snippets.js";

it("README example", () => {
  const spectrum = kronPowerSpectrum(sierpinski(), 30); // 2³⁰ nodes, 31 distinct eigenvalues
  const top = spectrum[spectrum.length - 1]; // { value: φ³⁰, multiplicity: 1 }
  const loopFree = selfLoopRemovedSpectrum(sierpinski(), 30); // node 0's self-loop removed
  const op = new KronOperator(Array.from({ length: 20 }, () => sierpinski()));
  const degrees = op.apply(new Float64Array(op.cols).fill(1)); // row sums, never materialized
  const graph = kroneckerGraph(sierpinski(), 7); // CSR, 128 nodes
  expect(spectrumSize(spectrum)).toBe(2 ** 30);
  expect(top.multiplicity).toBe(1);
  expect(spectrumSize(loopFree)).toBe(2 ** 30);
  expect(degrees[0]).toBe(2 ** 20);
  expect(diameter(graph).diameter).toBe(2);
});

it("README kronApply example", async () => {
  const { kronApply } = await import("../src/index.js");
  const { randn, Generator, ones } = await import("@fcn/tensor");
  const gen = new Generator(1);
  const factors = [randn([2, 2], gen), randn([3, 3], gen)].map((f) => f.requireGrad());
  const y = kronApply(factors, ones([6])); // (A₁ ⊗ A₂)·1, shape [6]
  y.square().sum().backward(); // factors[i].grad: shape [nᵢ, nᵢ]
  expect(y.shape).toEqual([6]);
  expect(factors.map((f) => f.grad!.shape)).toEqual([[2, 2], [3, 3]]);
});

it("every ```ts block of the README type-checks on its own, imports included", () => {
  const { snippets, errors } = checkReadme(fileURLToPath(new URL("..", import.meta.url)));
  expect(snippets).toBeGreaterThan(0);
  expect(errors).toEqual([]);
}, 60_000);
