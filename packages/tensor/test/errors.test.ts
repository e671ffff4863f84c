import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";

/** Asserts `fn` throws `type` with a message matching every pattern. */
function expectError(fn: () => unknown, type: new (...args: never[]) => Error, ...patterns: (string | RegExp)[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "expected an error").toBeInstanceOf(type);
  expect(error).toBeInstanceOf(T.FcnError);
  const message = (error as Error).message;
  for (const p of patterns) {
    if (typeof p === "string") expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
  expect((error as Error).name).toBe(type.name);
}

describe("ShapeError", () => {
  it("mismatched shapes name the op and both shapes", () => {
    expectError(() => T.add(T.zeros([2, 3]), T.zeros([3, 2])), T.ShapeError, "add:", "[2, 3]", "[3, 2]", "axis -2: 2 vs 3");
    expectError(() => T.mul(T.zeros([4]), T.zeros([5])), T.ShapeError, "mul:", "[4]", "[5]");
    expectError(() => T.where(T.tensor([true, false]), T.zeros([3]), 0), T.ShapeError, "where:", "[2]", "[3]");
    expectError(() => T.matmul(T.zeros([2, 3]), T.zeros([2, 3])), T.ShapeError, "matmul:", "[2, 3]", "(3 vs 2)");
    expectError(() => T.concat([T.zeros([2, 3]), T.zeros([3, 4])], 1), T.ShapeError, "concat:", "[2, 3], [3, 4]", "axis 1");
    expectError(() => T.mse(T.zeros([2]), T.zeros([2, 1])), T.ShapeError, "mse:", "[2]", "[2, 1]");
    expectError(() => T.zeros([2]).assign(T.zeros([3])), T.ShapeError, "assign:", "[3]", "[2]");
  });

  it("non-integer and negative shapes", () => {
    expectError(() => T.zeros([2, 1.5]), T.ShapeError, "zeros:", "[2, 1.5]", "1.5");
    expectError(() => T.ones([-1]), T.ShapeError, "ones:", "-1");
    expectError(() => T.rand([Number.NaN], new T.Generator(0)), T.ShapeError, "rand:", "NaN");
    expectError(() => T.zeros([6]).reshape([4, -1]), T.ShapeError, "reshape:", "[6]", "[4, -1]");
    expectError(() => T.zeros([6]).reshape([2, 2.5]), T.ShapeError, "reshape:", "2.5");
    expectError(() => T.tensor([1, 2, 3], { shape: [2, 2] }), T.ShapeError, "tensor:", "[2, 2]", "got 3");
    expectError(() => T.eye(-2), T.ShapeError, "eye:", "-2");
  });

  it("out-of-range axes name the axis and the rank", () => {
    expectError(() => T.sum(T.zeros([2, 3]), 2), T.ShapeError, "sum:", "axis 2", "rank 2");
    expectError(() => T.softmax(T.zeros([2, 3]), -3), T.ShapeError, "softmax:", "axis -3", "rank 2");
    expectError(() => T.concat([T.zeros([2])], 1), T.ShapeError, "concat:", "axis 1");
    expectError(() => T.transpose(T.zeros([2, 3]), 0, 5), T.ShapeError, "transpose:", "axis 5");
    expectError(() => T.gather(T.zeros([2]), T.tensor(Int32Array.from([0])), 1), T.ShapeError, "gather:", "axis 1", "rank 1");
    expectError(() => T.argmax(T.zeros([2]), 1), T.ShapeError, "argmax:", "axis 1");
    expectError(() => T.squeeze(T.zeros([2, 3]), 1), T.ShapeError, "squeeze:", "axis 1", "[2, 3]", "size 3");
  });

  it("ragged nested arrays name the element and the expected length", () => {
    expectError(() => T.tensor([[1, 2], [3]]), T.ShapeError, "tensor: ragged nested array", "element [1]", "length 1", "expected 2");
    expectError(() => T.tensor([[1, 2], 3] as never), T.ShapeError, "ragged", "element [1]");
    expectError(() => T.tensor([1, [2]] as never), T.ShapeError, "ragged", "element [1] is an array");
    expectError(() => T.tensor([[[1], [2]], [[3], [4, 5]]]), T.ShapeError, "element [1][1]", "length 2", "expected 1");
  });

  it("out-of-range gather/scatter indices name the index, axis and size", () => {
    expectError(() => T.gather(T.zeros([3, 2]), T.tensor(Int32Array.from([1, 7])), 0), T.ShapeError, "gather:", "index 7", "axis 0", "size 3");
    expectError(() => T.gather(T.zeros([3, 2]), T.tensor(Int32Array.from([-1])), 1), T.ShapeError, "gather:", "index -1", "axis 1", "size 2");
    expectError(() => T.scatterAdd(T.zeros([3]), T.tensor(Int32Array.from([3])), T.zeros([1])), T.ShapeError, "scatterAdd:", "index 3");
  });

  it("backward of a non-scalar without a gradient, or with a mismatched one", () => {
    const x = T.ones([2, 2], { requiresGrad: true });
    expectError(() => x.mul(2).backward(), T.ShapeError, "backward:", "non-scalar", "[2, 2]");
    expectError(() => x.mul(2).backward(T.ones([2])), T.ShapeError, "backward:", "[2]", "[2, 2]");
    expectError(() => T.zeros([3]).item(), T.ShapeError, "item:", "[3]", "3 elements");
  });
});

describe("DTypeError", () => {
  it("bad dtypes name the op and the valid choices", () => {
    expectError(() => T.zeros([2], { dtype: "bfloat16" as T.DType }), T.DTypeError, "zeros:", '"bfloat16"', "float16, float32, float64, int32, bool");
    expectError(() => T.tensor([1], { dtype: "int8" as T.DType }), T.DTypeError, "tensor:", '"int8"');
    expectError(() => T.eye(2, 2, { dtype: "complex64" as T.DType }), T.DTypeError, "eye:", '"complex64"');
    expectError(() => T.arange(3, { dtype: "x" as T.DType }), T.DTypeError, "arange:");
    expectError(() => T.linspace(0, 1, 3, { dtype: "x" as T.DType }), T.DTypeError, "linspace:");
    expectError(() => T.rand([2], new T.Generator(0), { dtype: "x" as T.DType }), T.DTypeError, "rand:");
    expectError(() => T.randn([2], new T.Generator(0), { dtype: "x" as T.DType }), T.DTypeError, "randn:");
    expectError(() => T.bernoulli(0.5, [2], new T.Generator(0), { dtype: "x" as T.DType }), T.DTypeError, "bernoulli:");
    expectError(() => T.cast(T.zeros([1]), "uint8" as T.DType), T.DTypeError, "cast:", '"uint8"');
  });

  it("int tensors cannot require grad; indices must be int32; matmul rejects bool", () => {
    expectError(() => T.zeros([2], { dtype: "int32" }).requireGrad(), T.DTypeError, "requireGrad:", "int32");
    expectError(() => T.tensor([true]).requireGrad(), T.DTypeError, "requireGrad:", "bool");
    expectError(() => T.gather(T.zeros([2]), T.tensor([0])), T.DTypeError, "gather:", "int32", "float32");
    expectError(() => T.oneHot(T.tensor([0]), 2), T.DTypeError, "oneHot:");
    expectError(() => T.matmul(T.tensor([[true]]), T.zeros([1, 1])), T.DTypeError, "matmul:", "bool");
  });
});

describe("DeviceError", () => {
  it("using a disposed tensor names its shape", () => {
    const x = T.zeros([2, 3]);
    x.dispose();
    expectError(() => x.add(1), T.DeviceError, "[2, 3]", "disposed");
    expectError(() => x.dataSync(), T.DeviceError, "disposed");
  });

  it("an unregistered device names it", () => {
    expectError(() => T.getBackend("webgpu"), T.DeviceError, "'webgpu'", "initWebGPU");
    expectError(() => T.setDefaultDevice("webgpu"), T.DeviceError, "'webgpu'");
    expect(T.getDefaultDevice()).toBe("cpu");
  });
});

describe("ArgumentError", () => {
  it("bad seeds, probabilities, bounds and options name the value", () => {
    expectError(() => new T.Generator(Number.NaN), T.ArgumentError, "Generator:", "NaN");
    expectError(() => new T.Generator(0.5), T.ArgumentError, "Generator:", "0.5");
    expectError(() => T.bernoulli(-0.5, [2], new T.Generator(0)), T.ArgumentError, "bernoulli:", "-0.5");
    expectError(() => T.dropout(T.zeros([2]), 1.5, new T.Generator(0)), T.ArgumentError, "dropout:", "1.5");
    expectError(() => T.clamp(T.zeros([2]), 3, 1), T.ArgumentError, "clamp:", "min 3", "max 1");
    expectError(() => T.full([2], Number.NaN), T.ArgumentError, "full:", "NaN");
    expectError(() => T.permute(T.zeros([2, 3]), [1, 1]), T.ArgumentError, "permute:", "[1, 1]");
    expectError(() => T.sum(T.zeros([2]), 0.5), T.ArgumentError, "sum:", "0.5");
    expectError(() => T.pad(T.zeros([2]), [[-1, 0]]), T.ArgumentError, "pad:", "-1");
    expectError(() => T.tile(T.zeros([2]), [1.5]), T.ArgumentError, "tile:", "1.5");
    expectError(() => T.tensor([1, "a" as never]), T.ArgumentError, "tensor:", "element [1]");
    expectError(() => T.randint(0, 2 ** 40, [2], new T.Generator(0)), T.ArgumentError, "randint:", "int32", "high=1099511627776");
    expectError(() => T.randint(0, 1.5, [2], new T.Generator(0)), T.ArgumentError, "randint:", "high=1.5");
    expectError(() => T.concat([]), T.ArgumentError, "concat:");
    expectError(() => T.add(1 as never, 2), T.ArgumentError, "add:");
    expectError(() => T.zeros([2]).sum().backward(), T.ArgumentError, "backward:", "does not require grad");
    expectError(() => T.valueAndGrad((x) => T.sum(x))(T.zeros([2], { dtype: "int32" })), T.ArgumentError, "valueAndGrad:", "int32");
  });

  it("bad CSR arrays are rejected instead of building a wrong matrix", () => {
    const v = T.ones([3]);
    expectError(() => T.SparseMatrix.fromCSR([0, 2, 1, 3], [0, 1, 2], v, [3, 3]), T.ArgumentError, "fromCSR:", "non-decreasing", "rowPointer[1] = 2", "rowPointer[2] = 1");
    expectError(() => T.SparseMatrix.fromCSR([0], [], T.ones([0]), [0, -1]), T.ShapeError, "fromCSR:", "[0, -1]");
    expectError(() => T.SparseMatrix.fromCSR([0, 1], [0.5], T.ones([1]), [1, 2]), T.ArgumentError, "fromCSR:");
  });
});
