import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Experiment, findExperiment, runSweep, writeReport, EXPERIMENTS } from "../src/index.js";

describe("report", () => {
  it("puts every experiment's table beside the published one, with plots", async () => {
    const out = mkdtempSync(join(tmpdir(), "fcn-report-"));
    try {
      const tiny: Record<string, Record<string, unknown>[]> = {
        exp1: [{ family: "kronecker_deterministic", depth: 7, noise: 1e-3 }, { family: "complete", depth: 7, noise: 1e-3 }],
        exp2: [{ pattern: "exact_kronecker", branching: 4, depth: 3 }, { pattern: "local_window", branching: 4, depth: 3 }],
        exp3: [{ family: "complete", depth: 5, alpha: 0.5, steps: 30 }],
        exp4: [{ operator: "kronecker", signals: 4 }, { operator: "local_band", signals: 4 }],
        exp5: [
          { part: "memory", structure: "kronecker", depth: 4, radius: 0.95, steps: 300, count: 32, iterations: 1 },
          ...[0.5, 1.5, 2].map((radius) => ({ part: "lyapunov", structure: "kronecker", depth: 4, radius, steps: 50, count: 2 })),
        ],
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
      expect(text).toContain("contradicts the seed's own definitions: eq. 4 gives");
      expect(readFileSync(join(out, "report", "exp1-staircase.svg"), "utf8")).toMatch(/^<svg/);
      expect(existsSync(join(out, "report", "exp5-lyapunov.svg"))).toBe(true);
      expect(readFileSync(join(out, "report", "results.csv"), "utf8").split("\n").length).toBeGreaterThan(10);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
