import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, Generator } from "@fcn/tensor";
import { createRandom } from "../src/random.js";

/** Seeds across the whole safe-integer range, negative ones and those above 2³² included. */
const seeds = fc.oneof(fc.integer(), fc.maxSafeInteger().map((s) => Math.abs(s)), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }));

/** A mix of the three draws, so a difference in how they share the stream shows too. */
const draws = fc.array(fc.constantFrom("uniform", "normal", "integer"), { minLength: 1, maxLength: 60 });

describe("createRandom draws tensor's Generator stream", () => {
  it("gives, for every seed, the uniforms, normals and integers of new Generator(seed)", () => {
    fc.assert(
      fc.property(seeds, draws, fc.integer({ min: 1, max: 1000 }), (seed, kinds, bound) => {
        const ours = createRandom(seed);
        const tensors = new Generator(seed);
        for (const kind of kinds) {
          if (kind === "uniform") expect(ours.uniform()).toBe(tensors.uniform());
          else if (kind === "normal") expect(ours.normal()).toBe(tensors.normal());
          else expect(ours.integer(bound)).toBe(tensors.integer(0, bound));
        }
      }),
    );
  });

  it("rounds a fractional seed down, as before", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 30), max: 2 ** 30 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (seed, fraction) => {
        const a = createRandom(seed + fraction);
        const b = new Generator(seed);
        for (let i = 0; i < 8; i++) expect(a.uniform()).toBe(b.uniform());
      }),
    );
  });

  it("is deterministic: one seed, one stream; neighbouring seeds differ", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const first = Array.from({ length: 16 }, createRandom(seed).uniform);
        const again = Array.from({ length: 16 }, createRandom(seed).uniform);
        const next = Array.from({ length: 16 }, createRandom(seed + 1).uniform);
        expect(again).toEqual(first);
        expect(next).not.toEqual(first);
      }),
    );
  });

  it("keeps integers in [0, bound)", () => {
    const random = createRandom(3);
    for (let i = 0; i < 1000; i++) {
      const k = random.integer(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
  });

  it("refuses a seed that is not a finite number, naming it", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "1" as unknown as number]) {
      expect(() => createRandom(bad)).toThrow(ArgumentError);
      expect(() => createRandom(bad)).toThrow(/createRandom: seed must be a finite number/);
    }
  });
});
