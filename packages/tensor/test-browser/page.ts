/**
 * The page script of the browser test, bundled for the browser (ESM) from src/ by
 * webgpu.browser.test.ts. It runs matmuls and their gradients on the 'webgpu' device
 * (navigator.gpu) and on the CPU backend in the same page, and hands every input, output
 * and gradient back as plain arrays for the test to compare.
 */
import * as T from "../src/index.js";

/** One case: C = op(A, B), loss = Σ W ⊙ C, so dL/dC = W. */
export interface CaseSpec {
  name: string;
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
  seed: number;
}

export interface Values {
  c: number[];
  dA: number[];
  dB: number[];
  loss: number;
}

export interface CaseResult {
  name: string;
  shapes: { a: number[]; b: number[]; c: number[] };
  inputs: { a: number[]; b: number[]; w: number[] };
  webgpu: Values;
  cpu: Values;
  ms: { webgpu: number; cpu: number };
}

export interface PageResult {
  userAgent: string;
  crossOriginIsolated: boolean;
  capabilities: T.WebGPUCapabilities;
  adapterInfo: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean | null };
  cases: CaseResult[];
  webgpuStats: ReturnType<typeof T.webgpuStats>;
}

async function run(device: "cpu" | "webgpu", spec: CaseSpec, a0: T.Tensor, b0: T.Tensor, w0: T.Tensor): Promise<Values & { shape: number[] }> {
  const move = (t: T.Tensor) => (device === "cpu" ? t.detach() : t.to("webgpu"));
  const a = move(a0).requireGrad();
  const b = move(b0).requireGrad();
  const w = move(w0);
  const c = T.matmul(a, b, { transposeA: spec.transposeA ?? false, transposeB: spec.transposeB ?? false });
  const loss = c.mul(w).sum();
  loss.backward();
  const values: Values & { shape: number[] } = {
    c: Array.from(await c.data()),
    dA: Array.from(await a.grad!.data()),
    dB: Array.from(await b.grad!.data()),
    loss: (await loss.data())[0],
    shape: [...c.shape],
  };
  T.dispose([a, b, w, c, loss, a.grad!, b.grad!]);
  return values;
}

async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const gen = new T.Generator(spec.seed);
  const a0 = T.randn(spec.a, gen);
  const b0 = T.randn(spec.b, gen);
  // The output shape comes from a CPU forward pass without gradients.
  const cShape = T.noGrad(() => T.matmul(a0, b0, { transposeA: spec.transposeA ?? false, transposeB: spec.transposeB ?? false }).shape);
  const w0 = T.randn(cShape, gen);
  let t = performance.now();
  const gpu = await run("webgpu", spec, a0, b0, w0);
  const msGpu = performance.now() - t;
  t = performance.now();
  const cpu = await run("cpu", spec, a0, b0, w0);
  const msCpu = performance.now() - t;
  const result: CaseResult = {
    name: spec.name,
    shapes: { a: spec.a, b: spec.b, c: gpu.shape },
    inputs: { a: Array.from(a0.dataSync()), b: Array.from(b0.dataSync()), w: Array.from(w0.dataSync()) },
    webgpu: { c: gpu.c, dA: gpu.dA, dB: gpu.dB, loss: gpu.loss },
    cpu: { c: cpu.c, dA: cpu.dA, dB: cpu.dB, loss: cpu.loss },
    ms: { webgpu: msGpu, cpu: msCpu },
  };
  T.dispose([a0, b0, w0]);
  return result;
}

/** Entry point called by the test through page.evaluate. */
async function fcnBrowserTest(specs: CaseSpec[]): Promise<PageResult> {
  const capabilities = await T.initWebGPU({ debug: true });
  const adapter = await navigator.gpu.requestAdapter();
  const info = adapter?.info;
  const cases: CaseResult[] = [];
  for (const spec of specs) cases.push(await runCase(spec));
  await T.syncWebGPU();
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    capabilities,
    adapterInfo: {
      vendor: info?.vendor ?? "",
      architecture: info?.architecture ?? "",
      device: info?.device ?? "",
      description: info?.description ?? "",
      isFallbackAdapter: (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? null,
    },
    cases,
    webgpuStats: T.webgpuStats(),
  };
}

(globalThis as { fcnBrowserTest?: typeof fcnBrowserTest }).fcnBrowserTest = fcnBrowserTest;
