import fc from "fast-check";
import { Generator } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { ArgumentError, RandomGenerator } from "../src/index.js";

// @fcn/data carries its own copy of the stream so that it needs no tensor engine; this
// test keeps the two copies identical, so a seed means the same data in every package
// (@fcn/kron's createRandom draws from tensor's Generator, and its tests check that side).

/** Seeds across data's whole range (safe integers), negative ones and those above 2³² included. */
const seeds = fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.maxSafeInteger(), fc.constantFrom(0, 1, 42, 2 ** 32, -(2 ** 53) + 1));

type Draw = "uint32" | "float" | "normal" | "integer" | "permutation" | "split";
/** Draws interleaved, so a difference in how they share the stream (the spare normal) shows too. */
const draws = fc.array(fc.constantFrom<Draw>("uint32", "float", "normal", "integer", "permutation", "split"), { minLength: 1, maxLength: 40 });

function drawBoth(kind: Draw, ours: RandomGenerator, theirs: Generator, size: number): [unknown, unknown] {
  switch (kind) {
    case "uint32": return [ours.uint32(), theirs.nextUint32()];
    case "float": return [ours.float(), theirs.uniform()];
    case "normal": return [ours.normal(), theirs.normal()];
    case "integer": return [ours.integer(size), theirs.integer(0, size)];
    case "permutation": return [Array.from(ours.permutation(size)), Array.from(theirs.permutation(size))];
    case "split": return [ours.split().float(), theirs.split().uniform()];
  }
}

describe("random stream shared with @fcn/tensor", () => {
  it("gives, for every seed, the draws of tensor's Generator, in any order", () => {
    fc.assert(
      fc.property(seeds, draws, fc.integer({ min: 1, max: 60 }), (seed, kinds, size) => {
        const ours = new RandomGenerator(seed);
        const theirs = new Generator(seed);
        for (const kind of kinds) {
          const [a, b] = drawBoth(kind, ours, theirs, size);
          expect(a, kind).toEqual(b);
        }
      }),
    );
  });

  it("long streams agree too (200 uniforms, 200 normals, a permutation of 50)", () => {
    for (const seed of [0, 1, 42, 123456789, 2 ** 40 + 3]) {
      const ours = new RandomGenerator(seed);
      const theirs = new Generator(seed);
      for (let i = 0; i < 200; i++) expect(ours.float()).toBe(theirs.uniform());
      for (let i = 0; i < 200; i++) expect(ours.normal()).toBe(theirs.normal());
      expect(Array.from(ours.permutation(50))).toEqual(Array.from(theirs.permutation(50)));
    }
  });

  it("is deterministic: one seed, one stream", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const a = new RandomGenerator(seed);
        const b = new RandomGenerator(seed);
        for (let i = 0; i < 16; i++) expect(a.uint32()).toBe(b.uint32());
      }),
    );
  });

  it("rejects a bound below 1 with the shared ArgumentError, as tensor's integer does", () => {
    for (const bound of [0, -3, 2.5]) {
      expect(() => new RandomGenerator(1).integer(bound)).toThrow(ArgumentError);
      expect(() => new RandomGenerator(1).integer(bound)).toThrow(/RandomGenerator\.integer: bound must be a positive integer/);
      expect(() => new Generator(1).integer(0, bound)).toThrow(ArgumentError);
    }
  });
});
