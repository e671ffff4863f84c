import { readFileSync } from "node:fs";
import * as Tensor from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import * as Data from "../src/index.js";

describe("one error hierarchy across packages", () => {
  it("data keeps a byte-identical copy of tensor's hierarchy (it must load without tensor)", () => {
    const here = readFileSync(new URL("../src/errorHierarchy.ts", import.meta.url), "utf8");
    const tensor = readFileSync(new URL("../../tensor/src/errorHierarchy.ts", import.meta.url), "utf8");
    expect(here).toBe(tensor);
  });

  it("a data error is an FcnError of tensor's copy, and tensor's errors are instances of data's classes", () => {
    const argument = new Data.ArgumentError("makeMoons: n must be a positive integer, got 0", "n");
    expect(argument).toBeInstanceOf(Tensor.FcnError);
    expect(argument).toBeInstanceOf(Tensor.ArgumentError);
    expect(argument).not.toBeInstanceOf(Tensor.ShapeError);
    expect(new Tensor.ShapeError("zeros: bad")).toBeInstanceOf(Data.ShapeError);
    expect(new Tensor.ShapeError("zeros: bad")).toBeInstanceOf(Data.FcnError);
    expect(new Tensor.ShapeError("zeros: bad")).not.toBeInstanceOf(Data.ArgumentError);
    expect(new Tensor.AllocationError("zeros", [1e6, 1e6], 1e12, 10)).toBeInstanceOf(Data.FcnError);
    const file = new Data.DataFileError("loadCifar10: data_batch_1.bin is truncated", "/tmp/x");
    expect(file).toBeInstanceOf(Tensor.FcnError);
    expect(file).toBeInstanceOf(Data.DataError);
    expect(new Tensor.FcnError("x")).not.toBeInstanceOf(Data.DataError);
    expect(new Error("plain")).not.toBeInstanceOf(Data.FcnError);
    expect("text").not.toBeInstanceOf(Data.FcnError);
  });

  it("errors thrown by data functions carry the function and argument names", () => {
    let caught: unknown;
    try {
      Data.oneHot(Int32Array.of(0, 5), 3);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Tensor.FcnError);
    expect((caught as Data.FcnError).functionName).toBe("oneHot");
    expect((caught as Data.FcnError).argument).toBe("labels");
    expect((caught as Error).name).toBe("ArgumentError");
  });

  it("the function name comes from the message's prefix unless given", () => {
    expect(new Data.FcnError("split: fraction must be in (0, 1)").functionName).toBe("split");
    expect(new Data.FcnError("no prefix here").functionName).toBeUndefined();
    expect(new Data.FcnError("x", { functionName: "f", argument: "a" })).toMatchObject({ functionName: "f", argument: "a" });
  });

  it("a subclass outside the hierarchy keeps its own kind", () => {
    class ConvergenceLike extends Tensor.FcnError {}
    const e = new ConvergenceLike("solver: 60 iterations");
    expect(e).toBeInstanceOf(Data.FcnError);
    expect(e.name).toBe("ConvergenceLike");
    expect(new Tensor.FcnError("x")).not.toBeInstanceOf(ConvergenceLike);
  });
});
