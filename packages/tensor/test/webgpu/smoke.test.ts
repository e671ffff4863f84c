import { describe, expect, it } from "vitest";
import * as T from "../../src/index.js";
import { hasGpu, read } from "./gpu.js";

describe.skipIf(!hasGpu)("webgpu smoke", () => {
  it("elementwise, reduce, matmul", async () => {
    const a = T.tensor([[1, 2, 3], [4, 5, 6]]).to("webgpu");
    expect(await read(a.mul(2).add(1))).toEqual([3, 5, 7, 9, 11, 13]);
    expect(await read(a.sum(1))).toEqual([6, 15]);
    expect(await read(a.matmul(a, { transposeB: true }))).toEqual([14, 32, 32, 77]);
    expect(await read(a.softmax(1).sum(1))).toEqual([1, 1].map((v) => expect.closeTo(v, 5)));
  });
});
