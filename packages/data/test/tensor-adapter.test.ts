import { describe, expect, it } from "vitest";
import { iris, moons, sine } from "../src/index.js";
import { datasetToTensors, toTensor } from "../src/tensor.js";

describe("tensor adapter", () => {
  it("keeps shapes and values, labels as int32", () => {
    const data = moons({ n: 32, seed: 3 });
    const { x, y } = datasetToTensors(data);
    expect(x.shape).toEqual([32, 2]);
    expect(x.dtype).toBe("float32");
    expect(y.dtype).toBe("int32");
    expect(Array.from(y.dataSync())).toEqual(Array.from(data.y.data));
    const xs = x.dataSync();
    for (let i = 0; i < xs.length; i++) expect(xs[i]).toBeCloseTo(data.x.data[i], 5);
  });

  it("honours the float dtype for inputs and regression targets", () => {
    const { x, y } = datasetToTensors(sine({ n: 8, seed: 1 }), { dtype: "float64" });
    expect([x.dtype, y.dtype]).toEqual(["float64", "float64"]);
    expect(toTensor(iris().x, { dtype: "float64" }).shape).toEqual([150, 4]);
  });
});
