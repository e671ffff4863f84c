import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { PRIMITIVES, getBackend } from "../src/index.js";
import { rules } from "../src/autograd/rules.js";
import { BINARY, COMPARE, NON_DIFFERENTIABLE, REDUCE, UNARY, isDifferentiable } from "../src/ops/primitives.js";
import { GRAD_TABLE } from "./gradcheck-table.js";

describe("the primitive set", () => {
  it("lists each primitive once, including every unary, binary, compare and reduce primitive", () => {
    expect(new Set(PRIMITIVES).size).toBe(PRIMITIVES.length);
    for (const p of [...UNARY, ...BINARY, ...COMPARE, ...REDUCE]) expect(PRIMITIVES).toContain(p);
  });

  it("gives every primitive a gradient rule, and the rule table has no extra entries", () => {
    for (const p of PRIMITIVES) expect(typeof rules[p], `rule for ${p}`).toBe("function");
    expect(Object.keys(rules).sort()).toEqual([...PRIMITIVES].sort());
  });

  it("gives every primitive but the reshape view a CPU kernel", () => {
    const kernels = getBackend("cpu").kernels as unknown as Record<string, unknown>;
    for (const p of PRIMITIVES) {
      if (p === "reshape") continue;
      expect(typeof kernels[p], `CPU kernel for ${p}`).toBe("function");
    }
  });

  it("gradient-checks every differentiable primitive, and lists the others as non-differentiable", () => {
    const checked = new Set<string>(GRAD_TABLE.flatMap((row): readonly string[] => row.covers ?? [row.op]));
    for (const p of PRIMITIVES) {
      const listed = !isDifferentiable(p);
      expect(checked.has(p) || listed, `${p} is neither gradient-checked nor listed as non-differentiable`).toBe(true);
      expect(checked.has(p) && listed, `${p} is both checked and listed as non-differentiable`).toBe(false);
    }
  });

  it("lists only primitives as non-differentiable, each once, and isDifferentiable reads the list", () => {
    expect(new Set(NON_DIFFERENTIABLE).size).toBe(NON_DIFFERENTIABLE.length);
    for (const p of NON_DIFFERENTIABLE) expect(PRIMITIVES).toContain(p);
    for (const p of PRIMITIVES) expect(isDifferentiable(p), p).toBe(!(NON_DIFFERENTIABLE as readonly string[]).includes(p));
  });

  it("records no tape entry for a non-differentiable primitive, even with a float output (sign)", () => {
    const x = T.tensor([1.5, -2, 0], { dtype: "float64" }).requireGrad();
    const outputs = { sign: T.sign(x), equal: T.equal(x, x), less: T.less(x, 0), argmax: T.argmax(x), argmin: T.argmin(x) };
    for (const [name, y] of Object.entries(outputs)) expect(y.requiresGrad, name).toBe(false);
    expect(T.abs(x).requiresGrad).toBe(true);
  });

  it("has non-differentiable rules that return no gradient", () => {
    for (const p of NON_DIFFERENTIABLE) {
      const rule = rules[p] as (...args: unknown[]) => (unknown | null)[];
      expect(rule(null, [], null, {}).every((g) => g === null), p).toBe(true);
    }
  });
});
