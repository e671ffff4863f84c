import { Generator } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { RandomGenerator } from "../src/index.js";

// @fcn/data carries its own copy of the stream so that it needs no tensor engine; this
// test keeps the two copies identical, so a seed means the same data in every package.
describe("random stream shared with @fcn/tensor", () => {
  for (const seed of [0, 1, 42, 123456789, 2 ** 40 + 3]) {
    it(`seed ${seed}: same uniforms, normals and permutations`, () => {
      const ours = new RandomGenerator(seed);
      const theirs = new Generator(seed);
      for (let i = 0; i < 200; i++) expect(ours.float()).toBe(theirs.uniform());
      for (let i = 0; i < 200; i++) expect(ours.normal()).toBe(theirs.normal());
      expect(Array.from(ours.permutation(50))).toEqual(Array.from(theirs.permutation(50)));
    });
  }
});
