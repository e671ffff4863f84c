/**
 * Browser test of the WebGPU backend: page.ts is bundled for the browser from src/, served
 * from a loopback HTTP server, and run in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) with WebGPU enabled on its software adapter (SwiftShader). The page runs
 * matmuls in every transposed form, with a broadcast batch, and their gradients on the
 * 'webgpu' device (navigator.gpu) and on the CPU backend; here both are checked against a
 * float64 reference and against the CPU backend in Node on the same inputs.
 *
 * Run with `pnpm test:browser` after `bash tools/setup-browser.sh`. Not part of `pnpm test`.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { CHROMIUM, CHROMIUM_FLAGS as FLAGS } from "../../../tools/chromium.js";
import type { CaseResult, CaseSpec, PageResult, Values } from "./page.js";


const CASES: CaseSpec[] = [
  { name: "A·B 37×53 · 53×41", a: [37, 53], b: [53, 41], seed: 1 },
  { name: "Aᵀ·B (45×33)ᵀ · 45×70", a: [45, 33], b: [45, 70], transposeA: true, seed: 2 },
  { name: "A·Bᵀ 64×96 · (80×96)ᵀ", a: [64, 96], b: [80, 96], transposeB: true, seed: 3 },
  { name: "AᵀBᵀ (40×24)ᵀ · (36×40)ᵀ", a: [40, 24], b: [36, 40], transposeA: true, transposeB: true, seed: 4 },
  { name: "batched 3×20×24 · 24×18 (B broadcast)", a: [3, 20, 24], b: [24, 18], seed: 5 },
  { name: "batched 2×1×16×24 · 3×24×20 (both broadcast)", a: [2, 1, 16, 24], b: [3, 24, 20], seed: 6 },
  { name: "A·B 256×192 · 192×128", a: [256, 192], b: [192, 128], seed: 7 },
];

/** Tolerances |x − ref| ≤ atol + rtol·|ref| for float32 results against float64 and against each other. */
const TOL = { atol: 2e-4, rtol: 1e-4 };
const LOSS_TOL = { atol: 1e-2, rtol: 1e-4 };

const here = fileURLToPath(new URL(".", import.meta.url));

/** esbuild, reached through tsup (the workspace's bundler), so no extra dependency is needed. */
async function bundle(): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuild = createRequire(require.resolve("tsup"))("esbuild") as {
    build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
  };
  const out = await esbuild.build({
    entryPoints: [join(here, "page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@fcn/source"],
    write: false,
    logLevel: "error",
  });
  return out.outputFiles[0].text;
}

function serve(script: string): Promise<Server> {
  const html = '<!doctype html><meta charset="utf-8"><title>fcn tensor browser test</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const body = req.url === "/page.js" ? script : req.url === "/" ? html : undefined;
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": req.url === "/page.js" ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** C = op(A)·op(B) with NumPy batch broadcasting, and the gradients of Σ W ⊙ C, in float64. */
function reference(spec: CaseSpec, inputs: CaseResult["inputs"], cShape: number[]): Values {
  const ta = spec.transposeA ?? false;
  const tb = spec.transposeB ?? false;
  const [ar, ac] = spec.a.slice(-2);
  const [br, bc] = spec.b.slice(-2);
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const n = tb ? br : bc;
  const outBatch = cShape.slice(0, -2);
  const batchOffset = (batch: number[], shape: number[]) => {
    const dims = shape.slice(0, -2);
    let flat = 0;
    for (let d = 0; d < dims.length; d++) {
      const i = batch[batch.length - dims.length + d];
      flat = flat * dims[d] + (dims[d] === 1 ? 0 : i);
    }
    return flat;
  };
  const batches = outBatch.reduce((p, d) => p * d, 1);
  const c = new Float64Array(batches * m * n);
  const dA = new Float64Array(inputs.a.length);
  const dB = new Float64Array(inputs.b.length);
  let loss = 0;
  for (let bi = 0; bi < batches; bi++) {
    const idx: number[] = [];
    for (let d = outBatch.length - 1, r = bi; d >= 0; d--) {
      idx[d] = r % outBatch[d];
      r = Math.floor(r / outBatch[d]);
    }
    const oa = batchOffset(idx, spec.a) * ar * ac;
    const ob = batchOffset(idx, spec.b) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const ci = (bi * m + i) * n + j;
        const w = inputs.w[ci];
        let s = 0;
        for (let p = 0; p < k; p++) {
          const ia = oa + (ta ? p * ac + i : i * ac + p);
          const ib = ob + (tb ? j * bc + p : p * bc + j);
          s += inputs.a[ia] * inputs.b[ib];
          dA[ia] += w * inputs.b[ib];
          dB[ib] += inputs.a[ia] * w;
        }
        c[ci] = s;
        loss += w * s;
      }
    }
  }
  return { c: Array.from(c), dA: Array.from(dA), dB: Array.from(dB), loss };
}

/** The same case on the CPU backend in Node, from the inputs the page used. */
function nodeCpu(spec: CaseSpec, inputs: CaseResult["inputs"], cShape: number[]): Values {
  const a = T.tensor(Float32Array.from(inputs.a)).reshape(spec.a).detach().requireGrad();
  const b = T.tensor(Float32Array.from(inputs.b)).reshape(spec.b).detach().requireGrad();
  const w = T.tensor(Float32Array.from(inputs.w)).reshape(cShape);
  const c = T.matmul(a, b, { transposeA: spec.transposeA ?? false, transposeB: spec.transposeB ?? false });
  const loss = c.mul(w).sum();
  loss.backward();
  const values = { c: Array.from(c.dataSync()), dA: Array.from(a.grad!.dataSync()), dB: Array.from(b.grad!.dataSync()), loss: loss.item() };
  T.dispose([a, b, w, c, loss, a.grad!, b.grad!]);
  return values;
}

/** Largest |x − ref| / (atol + rtol·|ref|): ≤ 1 passes. Also returns the worst element for the message. */
function worst(actual: number[], expected: number[], tol: { atol: number; rtol: number }) {
  expect(actual.length).toBe(expected.length);
  let ratio = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const r = Math.abs(actual[i] - expected[i]) / (tol.atol + tol.rtol * Math.abs(expected[i]));
    if (!(r <= ratio)) {
      ratio = r;
      at = i;
    }
  }
  return { ratio, at, actual: actual[at], expected: expected[at] };
}

function check(label: string, got: Values, want: Values): string[] {
  const failures: string[] = [];
  for (const key of ["c", "dA", "dB"] as const) {
    const w = worst(got[key], want[key], TOL);
    if (!(w.ratio <= 1)) failures.push(`${label} ${key}[${w.at}] = ${w.actual}, expected ${w.expected} (${w.ratio.toFixed(2)}× the tolerance)`);
  }
  const l = worst([got.loss], [want.loss], LOSS_TOL);
  if (!(l.ratio <= 1)) failures.push(`${label} loss = ${got.loss}, expected ${want.loss}`);
  return failures;
}

describe("WebGPU backend in headless Chromium", () => {
  let context: BrowserContext | undefined;
  let page: Page;
  let server: Server | undefined;
  let profile = "";
  const log: string[] = [];
  const started = performance.now();
  const ms: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: run \`bash tools/setup-browser.sh\` (Debian's chromium package) or set FCN_CHROMIUM`);
    }
    let t = performance.now();
    const script = await bundle();
    ms.bundle = performance.now() - t;
    server = await serve(script);
    t = performance.now();
    profile = mkdtempSync(join(tmpdir(), "fcn-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => log.push(`[console.${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => log.push(`[pageerror] ${e.message}`));
    ms.launch = performance.now() - t;
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("matmul + backward on 'webgpu' match the CPU backend and a float64 reference", async () => {
    const { port } = server!.address() as AddressInfo;
    let t = performance.now();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof (globalThis as { fcnBrowserTest?: unknown }).fcnBrowserTest === "function", undefined, { timeout: 30_000 });
    let result: PageResult;
    try {
      result = await page.evaluate(
        (specs) => (globalThis as unknown as { fcnBrowserTest: (s: CaseSpec[]) => Promise<PageResult> }).fcnBrowserTest(specs),
        CASES,
      );
    } catch (error) {
      throw new Error(`the page failed: ${(error as Error).message}\n${log.join("\n")}`, { cause: error });
    }
    ms.page = performance.now() - t;

    const a = result.adapterInfo;
    console.log(
      `[browser] ${result.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? result.userAgent}; adapter: vendor '${a.vendor}', architecture '${a.architecture}'` +
        `${a.description ? `, '${a.description}'` : ""}, fallback ${a.isFallbackAdapter}; feature level ${result.capabilities.featureLevel}, shader-f16 ${result.capabilities.shaderF16}`,
    );
    expect(result.capabilities.adapter.architecture || result.capabilities.adapter.vendor).not.toBe("");
    expect(result.webgpuStats.dispatches).toBeGreaterThan(0);

    t = performance.now();
    const failures: string[] = [];
    for (const [i, r] of result.cases.entries()) {
      const spec = CASES[i];
      const ref = reference(spec, r.inputs, r.shapes.c);
      const node = nodeCpu(spec, r.inputs, r.shapes.c);
      failures.push(...check(`${r.name}: webgpu vs float64`, r.webgpu, ref));
      failures.push(...check(`${r.name}: webgpu vs page CPU`, r.webgpu, r.cpu));
      failures.push(...check(`${r.name}: page CPU vs float64`, r.cpu, ref));
      failures.push(...check(`${r.name}: page CPU vs Node CPU`, r.cpu, node));
      const err = Math.max(...(["c", "dA", "dB"] as const).map((k) => worst(r.webgpu[k], ref[k], { atol: 1, rtol: 0 }).ratio));
      console.log(`[browser] ${r.name} → [${r.shapes.c}]: max |webgpu − float64| ${err.toExponential(2)}; webgpu ${r.ms.webgpu.toFixed(0)} ms, page CPU ${r.ms.cpu.toFixed(0)} ms`);
    }
    ms.compare = performance.now() - t;
    console.log(
      `[browser] bundle ${ms.bundle.toFixed(0)} ms, launch ${ms.launch.toFixed(0)} ms, page ${ms.page.toFixed(0)} ms, ` +
        `compare ${ms.compare.toFixed(0)} ms, total ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(failures).toEqual([]);
  });
});
