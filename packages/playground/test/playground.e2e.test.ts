/**
 * End-to-end test of the playground: builds the page with Vite, serves the built folder from a
 * plain static server, and drives it in headless Chromium (Debian's, via playwright-core; WebGPU
 * on its software adapter). Checks the explorer's spectrum of K₀^{⊗8} against @fcn/kron computed
 * here, trains a model and checks that the loss fell and the boundary is drawn, checks the
 * attention panel's error and the results viewer on generated records, and saves a screenshot
 * of each panel in test-artifacts/.
 *
 * Needs Chromium (`bash tools/setup-browser.sh`): without it the test fails under CI and is
 * skipped elsewhere.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kronPowerSpectrum, sierpinski } from "@fcn/kron";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, launch, serveStatic } from "./harness.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const artifacts = join(packageDir, "test-artifacts");
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI) {
  throw new Error(`playground e2e: Chromium not found at ${CHROMIUM}; install it with \`bash tools/setup-browser.sh\` (or set FCN_CHROMIUM)`);
}

describe.skipIf(!haveChromium)("playground in Chromium", () => {
  let out: string;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "fcn-playground-"));
    const vite = join(packageDir, "node_modules", "vite", "bin", "vite.js");
    const built = spawnSync(process.execPath, [vite, "build", "--outDir", out, "--emptyOutDir", "--logLevel", "error"], { cwd: packageDir, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
    ({ server, url } = await serveStatic(out));
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => errors.push(error.message));
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const state = (panel: string, wanted: string[]) =>
    page.waitForFunction(([id, w]) => w.includes(document.getElementById(id)?.dataset.state ?? ""), [panel, wanted] as const, { timeout: 60_000 });

  it("shows the spectrum of K₀^{⊗8} that @fcn/kron computes, and stays lazy for large k", async () => {
    await page.goto(`${url}#/explorer`);
    await state("explorer", ["ready", "error"]);
    const table = page.locator("#power-spectrum");
    expect(await table.getAttribute("data-k")).toBe("8");
    const shown = JSON.parse((await table.getAttribute("data-spectrum"))!) as [number, number][];
    const expected = kronPowerSpectrum(sierpinski(), 8);
    expect(shown.length).toBe(expected.length);
    shown.forEach(([value, multiplicity], i) => {
      expect(multiplicity).toBe(expected[i].multiplicity);
      expect(Math.abs(value - expected[i].value)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i].value)));
    });
    // The visible table agrees, dense column included (k = 8: 256 nodes, dense eigvalsh beside the factors).
    const rows = await table.locator("tbody tr").allTextContents();
    expect(rows.length).toBe(expected.length);
    const denseMultiplicities = await table.locator("tbody tr td:nth-child(4)").allTextContents();
    expect(denseMultiplicities.map(Number)).toEqual(expected.map((e) => e.multiplicity));
    expect(await page.locator("#explorer canvas.square").getAttribute("data-drawn")).toBe("true");
    await page.screenshot({ path: join(artifacts, "explorer.png"), fullPage: true });

    await page.fill('#explorer input[aria-label="power k"], #explorer label:has-text("power k") input', "20");
    await page.waitForFunction(() => document.querySelector("#power-spectrum")?.getAttribute("data-k") === "20", null, { timeout: 30_000 });
    const lazy = JSON.parse((await table.getAttribute("data-spectrum"))!) as [number, number][];
    expect(lazy.reduce((s, [, m]) => s + m, 0)).toBe(2 ** 20);
    expect(await page.locator("#explorer canvas.square").getAttribute("data-drawn")).toBe("false");
  });

  it("trains a model: the loss falls and the decision boundary is drawn", async () => {
    await page.click("#tab-train");
    await page.selectOption('#train label:has-text("model") select', "dense");
    await page.fill('#train label:has-text("steps") input', "150");
    await page.fill('#train label:has-text("update every") input', "25");
    await page.click("#train button.primary");
    await state("train", ["done", "error"]);
    expect(await page.locator("#train").getAttribute("data-state"), await page.locator("#train p.note").last().textContent() ?? "").toBe("done");
    const losses = JSON.parse((await page.locator("#loss-curve").getAttribute("data-losses"))!) as number[];
    expect(losses.length).toBe(150);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(losses.slice(-20))).toBeLessThan(0.6 * mean(losses.slice(0, 10)));
    expect(Number(await page.locator("#boundary").getAttribute("data-updates"))).toBe(6);
    // Not blank: both classes' colours cover a real share of the boundary image.
    const shares = await page.evaluate(() => {
      const canvas = document.getElementById("boundary") as HTMLCanvasElement;
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let orange = 0, blue = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] > data[i + 2] + 60) orange++;
        else if (data[i + 2] > data[i] + 60) blue++;
      }
      return { orange: orange / (data.length / 4), blue: blue / (data.length / 4) };
    });
    expect(shares.orange).toBeGreaterThan(0.1);
    expect(shares.blue).toBeGreaterThan(0.1);
    const device = await page.locator("#train .device").textContent();
    expect(device).toMatch(/^Training on (WebGPU|the CPU): /);
    console.log(`playground e2e: ${device}`);
    await page.screenshot({ path: join(artifacts, "train.png"), fullPage: true });
  });

  it("trains an HSN on the dense MLP's device (no fallback from WebGPU) and the stop button ends it at an update", async () => {
    const denseDevice = await page.locator("#train").getAttribute("data-device");
    await page.selectOption('#train label:has-text("model") select', "hsn");
    await page.fill('#train label:has-text("steps") input', "5000");
    await page.fill('#train label:has-text("update every") input', "5");
    await page.click("#train button.primary");
    await page.waitForFunction(() => Number(document.getElementById("boundary")?.dataset.updates ?? 0) >= 2, null, { timeout: 60_000 });
    await page.click("#train button.secondary");
    await state("train", ["done", "error"]);
    expect(await page.locator("#train").getAttribute("data-state"), await page.locator("#train p.note").last().textContent() ?? "").toBe("done");
    const device = await page.locator("#train .device").textContent();
    expect(device).not.toContain("WebGPU failed");
    expect(await page.locator("#train").getAttribute("data-device")).toBe(denseDevice);
    const losses = JSON.parse((await page.locator("#loss-curve").getAttribute("data-losses"))!) as number[];
    expect(losses.length % 5).toBe(0);
    expect(losses.length).toBeGreaterThanOrEqual(10);
    expect(losses.length).toBeLessThan(5000);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(await page.locator("#train p.note").last().textContent()).toMatch(new RegExp(`^Finished at step ${losses.length}: `));
    await page.screenshot({ path: join(artifacts, "train-hsn.png"), fullPage: true });
  });

  it("shows fractal attention beside its factored approximation, with the error", async () => {
    await page.click("#tab-attention");
    await state("attention", ["ready", "error"]);
    const error = Number(await page.locator("#attention").getAttribute("data-relative-error"));
    expect(error).toBeGreaterThan(1e-3); // random scores multiply across factors: the factored form is not exact
    expect(error).toBeLessThan(2);
    await page.screenshot({ path: join(artifacts, "attention.png"), fullPage: true });
  });

  it("reads a results folder's records and shows ours beside published", async () => {
    const folder = mkdtempSync(join(tmpdir(), "fcn-records-"));
    const paths: string[] = [];
    const scores: Record<string, number[]> = { fractal_circulator: [0.95, 0.97], dense_mlp: [0.96, 0.98] };
    for (const [model, values] of Object.entries(scores)) {
      values.forEach((score, i) => {
        const record = { hash: "0".repeat(64), experiment: "exp9", mode: "quick", config: { model, dataset: "moons", seed: i }, seed: i, status: "ok", metrics: { score } };
        const path = join(folder, `${model}-${i}.json`);
        writeFileSync(path, JSON.stringify(record));
        paths.push(path);
      });
    }
    writeFileSync(join(folder, "notes.json"), "{}");
    paths.push(join(folder, "notes.json"));
    await page.click("#tab-results");
    await page.setInputFiles('#results input[aria-label="record files"]', paths);
    await state("results", ["ready"]);
    expect(await page.locator("#results p.note").first().textContent()).toContain("4 records in 1 experiment; 1 file(s) skipped");
    const rows = (await page.locator("#results table tbody tr").allTextContents());
    expect(rows).toHaveLength(2);
    const circulator = await page.locator("#results table tbody tr", { hasText: "fractal_circulator" }).locator("td").allTextContents();
    expect(circulator.slice(1, 4)).toEqual(["fractal_circulator", "2", "0.96"]);
    expect(circulator[5]).toBe("0.961"); // published.json: exp9 moons, fractal_circulator
    await page.hover("#results-chart");
    await page.screenshot({ path: join(artifacts, "results.png"), fullPage: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it("fits a phone screen and raised no page error", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.click("#tab-explorer");
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(artifacts, "explorer-phone.png"), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
});
