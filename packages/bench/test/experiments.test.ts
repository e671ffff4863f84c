import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CsrMatrix, density } from "@fcn/kron";
import { describe, expect, it } from "vitest";
import { type Experiment, type RunRecord, executeConfig, findExperiment, runSweep, writeReport, EXPERIMENTS } from "../src/index.js";
import { GRAPH_FAMILIES, buildGraph } from "../src/experiments/graphs.js";

async function run(id: string, config: Record<string, unknown>): Promise<RunRecord> {
  const record = await executeConfig(findExperiment(id), config as never, "quick");
  if (record.status !== "ok") throw new Error(record.error);
  return record;
}

/** Independent BFS eccentricity maximum (the oracle for Exp1's diameter). */
function bfsDiameter(g: CsrMatrix): number {
  let widest = 0;
  for (let s = 0; s < g.rows; s++) {
    const dist = new Array<number>(g.rows).fill(-1);
    dist[s] = 0;
    const queue = [s];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head];
      for (let q = g.rowPointer[u]; q < g.rowPointer[u + 1]; q++) {
        const v = g.colIndex[q];
        if (dist[v] < 0) { dist[v] = dist[u] + 1; queue.push(v); }
      }
    }
    widest = Math.max(widest, ...dist);
  }
  return widest;
}

describe("exp1", () => {
  it("measures every family; the diameter equals a BFS over the same graph", async () => {
    for (const family of GRAPH_FAMILIES) {
      const r = await run("exp1", { family, depth: 5, noise: 1e-3, seed: 11 });
      const g = buildGraph(family, 5, 11);
      expect(r.metrics.diameter_largest_component).toBe(bfsDiameter(g));
      expect(r.metrics.density).toBeCloseTo(g.values.length / (32 * 31), 12);
      const staircase = r.metrics.staircase as number[];
      expect(staircase).toHaveLength(32);
      for (let i = 1; i < 32; i++) expect(staircase[i]).toBeGreaterThanOrEqual(staircase[i - 1]);
      expect(staircase[0]).toBeGreaterThan(-1e-9);
      expect(staircase[31]).toBeLessThanOrEqual(2 + 1e-9);
      // The number of zero eigenvalues of L is the number of components (isolated nodes included).
      expect(staircase.filter((v) => Math.abs(v) < 1e-8).length).toBe(r.metrics.components);
    }
  });
  it("the binarized Sierpinski power has 3^k − 1 stored entries", async () => {
    const r = await run("exp1", { family: "kronecker_deterministic", depth: 6, noise: 1e-3, seed: 1 });
    expect(r.metrics.stored_entries).toBe(3 ** 6 - 1);
    expect(r.metrics.density).toBe(density(buildGraph("kronecker_deterministic", 6, 1)));
  });
});

describe("exp3", () => {
  it("records entropy and variance curves of the right length and bounds", async () => {
    for (const family of ["kronecker_deterministic", "complete", "watts_strogatz"]) {
      const r = await run("exp3", { family, depth: 5, alpha: 0.5, steps: 60, seed: 2 });
      const entropy = r.metrics.entropy as number[];
      expect(entropy).toHaveLength(61);
      expect(entropy[0]).toBe(0);
      for (const h of entropy) expect(h).toBeLessThanOrEqual(Math.log(32) + 1e-9);
      for (const v of r.metrics.global_variance as number[]) expect(v).toBeGreaterThanOrEqual(0);
      expect((r.metrics.total_variation as number[]).at(-1)).toBeLessThanOrEqual((r.metrics.total_variation as number[])[0]);
    }
    const complete = await run("exp3", { family: "complete", depth: 5, alpha: 0.5, steps: 60, seed: 2 });
    expect(complete.metrics.mixing_step_tv_0_01).not.toBeNull();
    expect(complete.metrics.distinct_timescales).toBe(1);
  });
});

describe("report", () => {
  it("puts every experiment's table beside the published one, with plots", async () => {
    const out = mkdtempSync(join(tmpdir(), "fcn-report-"));
    try {
      const tiny: Record<string, Record<string, unknown>[]> = {
        exp1: [{ family: "kronecker_deterministic", depth: 7, noise: 1e-3 }, { family: "complete", depth: 7, noise: 1e-3 }],
        exp2: [{ pattern: "exact_kronecker", branching: 4, depth: 3 }, { pattern: "local_window", branching: 4, depth: 3 }],
        exp3: [{ family: "complete", depth: 5, alpha: 0.5, steps: 30 }],
        exp4: [{ operator: "kronecker", signals: 4 }, { operator: "local_band", signals: 4 }],
        exp5: [{ part: "memory", structure: "kronecker", depth: 4, radius: 0.95, steps: 300, count: 32, iterations: 1 }, ...[0.5, 1.5, 2].map((radius) => ({ part: "lyapunov", structure: "kronecker", depth: 4, radius, steps: 50, count: 2 }))],
      };
      const experiments = Object.keys(tiny).map((id) => {
        const e = findExperiment(id);
        return { ...e, grid: (_m: string, seeds: readonly number[]) => seeds.flatMap((seed) => tiny[id].map((c) => ({ ...c, seed }))) } as Experiment;
      });
      const results = join(out, "results");
      await runSweep(experiments, { mode: "quick", seeds: [1, 2], out: results, workers: 1 });
      const readme = await writeReport({ results, out: join(out, "report"), experiments: EXPERIMENTS, command: "test" });
      const text = readFileSync(readme, "utf8");
      for (const e of EXPERIMENTS) expect(text).toContain(`## ${e.id}:`);
      expect(text).toContain("| kronecker_deterministic | density | 0.1345 | 2 | 0.0078 |");
      expect(text).toContain("contradicts its own construction");
      expect(readFileSync(join(out, "report", "exp1-staircase.svg"), "utf8")).toMatch(/^<svg/);
      expect(existsSync(join(out, "report", "exp5-lyapunov.svg"))).toBe(true);
      expect(readFileSync(join(out, "report", "results.csv"), "utf8").split("\n").length).toBeGreaterThan(10);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
