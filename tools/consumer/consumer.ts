/**
 * A consumer of the packed packages, installed from their tarballs into an empty folder outside
 * the workspace and compiled as ESM and as CommonJS by tools/consumer-test.mjs (no skipLibCheck).
 * With testing-kits.ts it imports every package and subpath export and uses each once, so a broken
 * declaration file, export map or CommonJS build fails here as it would for a user.
 */
import { strict as assert } from "node:assert";
import { DeviceError, type WebGPUOptions, initWebGPU, tensor } from "@fcn/tensor";
import { gemmF64 } from "@fcn/tensor/gemm";
import { expInto } from "@fcn/tensor/kernels";
import { kron, sierpinski } from "@fcn/kron";
import { DenseMLP } from "@fcn/nn";
import { moons } from "@fcn/data";
import { datasetToTensors } from "@fcn/data/tensor";
import { renderSvg, stableStringify } from "@fcn/bench";

async function main(): Promise<void> {
  const a = tensor([[1, 2], [3, 4]]);
  assert.deepEqual(Array.from(a.matmul(a).dataSync()), [7, 10, 15, 22]);

  // WebGPU's types are spelled out structurally: a consumer without @webgpu/types can inject a GPU.
  const noAdapter: WebGPUOptions = { gpu: { requestAdapter: async () => null }, powerPreference: "low-power" };
  await assert.rejects(initWebGPU(noAdapter), DeviceError);

  const c = new Float64Array(4);
  gemmF64(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4), c, 2, 2, 2, false, false);
  assert.deepEqual(Array.from(c), [7, 10, 15, 22]);
  const e = new Float32Array(2);
  expInto(Float32Array.of(0, 1), e);
  assert.deepEqual(Array.from(e), [1, Math.fround(Math.E)]);

  const graph = kron(sierpinski(), sierpinski());
  assert.deepEqual([graph.rows, graph.cols, graph.data.reduce((s, v) => s + v, 0)], [4, 4, 9]);

  const { x } = datasetToTensors(moons({ n: 16, seed: 1 }));
  const model = new DenseMLP({ inputs: 2, outputs: 2, width: 8 });
  assert.deepEqual(Array.from(model.forward(x).shape), [16, 2]);

  assert.equal(stableStringify({ b: 1, a: [1, 2] }), '{"a":[1,2],"b":1}');
  // vega is ESM with top-level await: a CommonJS consumer reaches it only through bench's lazy import.
  const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } } });
  assert.match(svg, /^<svg/);

  console.log(`consumer ok (${typeof module === "undefined" ? "esm" : "cjs"})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
