import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor } from "../src/index.js";
import { checkGrads } from "../src/testing.js";
import { type Domain, GRAD_TABLE, domainValues } from "./gradcheck-table.js";
import { propertyOptions } from "./helpers.js";

const RUNS = 30;

describe("gradients match float64 central differences", () => {
  for (const row of GRAD_TABLE) {
    it(`${row.op}`, () => {
      const domains: readonly Domain[] = typeof row.domain === "string" ? [row.domain] : row.domain;
      const arbitrary = row.cases.chain((c) =>
        fc.tuple(
          fc.constant(c),
          fc.tuple(...c.shapes.map((s, i) => domainValues(domains[Math.min(i, domains.length - 1)], s.reduce((a, b) => a * b, 1)))),
        ),
      );
      fc.assert(
        fc.property(arbitrary, ([c, data]) => {
          const inputs = c.shapes.map((s, i) => tensor(Float64Array.from(data[i]), { shape: s }));
          const result = checkGrads(row.fn(c.params), inputs, row.tol);
          if (!result.ok) {
            throw new Error(`${row.op} on shapes ${JSON.stringify(c.shapes)} params ${JSON.stringify(c.params)}: ${JSON.stringify(result.worst)} (excess ${result.worstExcess})`);
          }
        }),
        propertyOptions(RUNS),
      );
    });
  }

  it("checkGrads detects a wrong gradient and reports where", () => {
    // x · detach(x) has autograd gradient x, but its true derivative is 2x.
    const x = tensor(new Float64Array([1, -2, 3]));
    const result = checkGrads((v) => v.mul(v.detach()), [x]);
    expect(result.ok).toBe(false);
    expect(result.worst?.input).toBe(0);
    expect(Math.abs(result.worst!.numeric - 2 * result.worst!.analytic)).toBeLessThan(1e-6);
    expect(checkGrads((v) => v.mul(v), [x]).ok).toBe(true);
    expect(() => checkGrads((v) => v, [x], { eps: 0 })).toThrow(/checkGrads: eps must be positive/);
  });

  it("every row's arity matches the inputs its cases generate", () => {
    for (const row of GRAD_TABLE) {
      fc.assert(
        fc.property(row.cases, (c) => {
          expect(c.shapes.length, row.op).toBeLessThanOrEqual(row.arity);
        }),
        { numRuns: 5, seed: 1 },
      );
    }
  });
});
