import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";

/**
 * JavaScript callers have no compiler: every public function given a wrong type must throw
 * an FcnError that names the function, never a TypeError from deep inside.
 */
function expectNamedError(name: string, fn: () => unknown, argument?: string): T.FcnError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `${name} should throw`).toBeInstanceOf(T.FcnError);
  const e = error as T.FcnError;
  expect(e.functionName, `${name}: ${e.message}`).toBe(name);
  expect(e.message.startsWith(`${name}: `), e.message).toBe(true);
  if (argument) expect(e.argument, e.message).toBe(argument);
  return e;
}

const x = () => T.ones([2, 2]);
const gen = () => new T.Generator(0);
const BAD = ["1", null, {}, [1, 2]] as const;
/** For arguments that are arrays: [1, 2] is the right type there (a wrong value is another test). */
const NOT_ARRAYS = ["1", null, {}, 3] as const;
const NOT_OPTIONS = ["1", null, [1, 2], 3] as const;

/** [function name, call with a bad value in one place, the argument it names]. */
const TABLE: [string, (bad: never) => unknown, string?, (readonly unknown[])?][] = [
  ["sum", (b) => T.sum(b), "x"], ["sum", (b) => T.sum(x(), b), "axis"],
  ["mean", (b) => T.mean(b), "x"], ["max", (b) => T.max(b)], ["min", (b) => T.min(b)], ["prod", (b) => T.prod(b)],
  ["variance", (b) => T.variance(b)], ["std", (b) => T.std(b)], ["std", (b) => T.std(x(), b)],
  ["logsumexp", (b) => T.logsumexp(b)], ["argmax", (b) => T.argmax(b)], ["argmin", (b) => T.argmin(b)],
  ["add", (b) => T.add(b, 1), "a"], ["add", (b) => T.add(x(), b), "b"], ["sub", (b) => T.sub(x(), b)],
  ["mul", (b) => T.mul(b, x())], ["div", (b) => T.div(x(), b)], ["pow", (b) => T.pow(b, 2)],
  ["maximum", (b) => T.maximum(x(), b)], ["minimum", (b) => T.minimum(b, x())],
  ["equal", (b) => T.equal(x(), b)], ["less", (b) => T.less(b, 1)], ["greaterEqual", (b) => T.greaterEqual(x(), b)],
  ["exp", (b) => T.exp(b), "x"], ["log", (b) => T.log(b)], ["sqrt", (b) => T.sqrt(b)], ["abs", (b) => T.abs(b)],
  ["neg", (b) => T.neg(b)], ["tanh", (b) => T.tanh(b)], ["sigmoid", (b) => T.sigmoid(b)], ["relu", (b) => T.relu(b)],
  ["square", (b) => T.square(b)], ["reciprocal", (b) => T.reciprocal(b)], ["log1p", (b) => T.log1p(b)], ["silu", (b) => T.silu(b)],
  ["gelu", (b) => T.gelu(b)], ["softplus", (b) => T.softplus(b)],
  ["leakyRelu", (b) => T.leakyRelu(b)], ["leakyRelu", (b) => T.leakyRelu(x(), b), "slope"],
  ["clamp", (b) => T.clamp(b, 0, 1)], ["clamp", (b) => T.clamp(x(), b), "min"], ["clamp", (b) => T.clamp(x(), 0, b), "max"],
  ["where", (b) => T.where(b, 1, 0)], ["cast", (b) => T.cast(b, "float32")],
  ["matmul", (b) => T.matmul(b, x()), "a"], ["matmul", (b) => T.matmul(x(), b), "b"], ["matmul", (b) => T.matmul(x(), x(), b), "options", NOT_OPTIONS],
  ["outer", (b) => T.outer(b, x())],
  ["reshape", (b) => T.reshape(b, [4])], ["reshape", (b) => T.reshape(x(), b), "shape", NOT_ARRAYS],
  ["permute", (b) => T.permute(x(), b), "perm", NOT_ARRAYS], ["transpose", (b) => T.transpose(b)],
  ["expandDims", (b) => T.expandDims(b, 0)], ["squeeze", (b) => T.squeeze(b)], ["broadcastTo", (b) => T.broadcastTo(x(), b), undefined, NOT_ARRAYS],
  ["slice", (b) => T.slice(x(), b), "begin", NOT_ARRAYS], ["index", (b) => T.index(b, 0)], ["pad", (b) => T.pad(x(), b), "padding", NOT_ARRAYS],
  ["concat", (b) => T.concat(b)], ["concat", (b) => T.concat([x(), b])], ["stack", (b) => T.stack(b)],
  ["flip", (b) => T.flip(b)], ["tile", (b) => T.tile(x(), b), "reps", NOT_ARRAYS],
  ["gather", (b) => T.gather(x(), b)], ["scatterAdd", (b) => T.scatterAdd(b, x(), x())], ["oneHot", (b) => T.oneHot(b, 3)],
  ["softmax", (b) => T.softmax(b)], ["logSoftmax", (b) => T.logSoftmax(b)],
  ["mse", (b) => T.mse(b, x())], ["mse", (b) => T.mse(x(), x(), b), "reduction"],
  ["crossEntropy", (b) => T.crossEntropy(b, x())], ["binaryCrossEntropyWithLogits", (b) => T.binaryCrossEntropyWithLogits(x(), b)],
  ["dropout", (b) => T.dropout(x(), 0.5, b), "generator"],
  ["dropout2d", (b) => T.dropout2d(x(), 0.5, b), "generator"], ["dropPath", (b) => T.dropPath(x(), 0.5, b), "generator"],
  ["conv2d", (b) => T.conv2d(b, x())], ["conv2d", (b) => T.conv2d(T.ones([1, 1, 3, 3]), T.ones([1, 1, 2, 2]), b), "options", NOT_OPTIONS],
  ["conv2dBackwardInput", (b) => T.conv2dBackwardInput(T.ones([1, 1, 2, 2]), T.ones([1, 1, 2, 2]), b), "inputSize", ["1", null, {}]],
  ["maxPool2d", (b) => T.maxPool2d(b, 2)], ["avgPool2d", (b) => T.avgPool2d(b, 2)], ["adaptiveAvgPool2d", (b) => T.adaptiveAvgPool2d(b, 1)],
  ["batchNorm", (b) => T.batchNorm(b, null, null)], ["kron", (b) => T.kron(b, x())],
  ["spmm", (b) => T.spmm(b, x()), "a"], ["sddmm", (b) => T.sddmm(b, x(), x()), "structure"],
  ["adamUpdate", (b) => T.adamUpdate(b, x(), x(), x(), {} as never)], ["sgdUpdate", (b) => T.sgdUpdate(x(), b, x(), {} as never)],
  ["tensor", (b) => T.tensor(b)], ["zeros", (b) => T.zeros(b), "shape", NOT_ARRAYS], ["ones", (b) => T.ones(b), "shape", NOT_ARRAYS], ["full", (b) => T.full([2], b)],
  ["eye", (b) => T.eye(b)], ["arange", (b) => T.arange(b)], ["linspace", (b) => T.linspace(0, 1, b)],
  ["randn", (b) => T.randn([2], b)], ["rand", (b) => T.rand(b, gen()), "shape", NOT_ARRAYS], ["randint", (b) => T.randint(0, 3, [2], b)],
  ["bernoulli", (b) => T.bernoulli(b, [2], gen())], ["permutation", (b) => T.permutation(b, gen())],
  ["zerosLike", (b) => T.zerosLike(b)], ["onesLike", (b) => T.onesLike(b)],
];

describe("argument validation", () => {
  it("every public function names itself (and the argument) when given a wrong type", () => {
    for (const [name, call, argument, values] of TABLE) {
      for (const bad of values ?? BAD) {
        if (name === "tensor" && Array.isArray(bad)) continue; // [1, 2] is a fine tensor
        if (["concat", "stack"].includes(name) && Array.isArray(bad)) continue; // an array of numbers fails per entry below
        expectNamedError(name, () => call(bad as never), argument);
      }
    }
  });

  it("sum('1') names sum and its argument, not 'list.map is not a function'", () => {
    const e = expectNamedError("sum", () => T.sum("1" as never), "x");
    expect(e.message).toBe('sum: x must be a Tensor, got string "1"');
    expect(expectNamedError("sum", () => T.sum(x(), "1" as never), "axis").message).toContain('axis must be an integer or an array of integers, got "1"');
  });

  it("a plain array where a Tensor belongs says to wrap it", () => {
    expect(expectNamedError("matmul", () => T.matmul([[1]] as never, x()), "a").message).toContain("wrap it with tensor()");
    expect(expectNamedError("concat", () => T.concat([x(), 3] as never)).message).toContain("tensors[1] must be a Tensor");
  });
});

describe("values a dtype cannot hold", () => {
  it("int32 rejects NaN and values outside int32, naming the element (PyTorch raises too)", () => {
    const nan = expectNamedError("tensor", () => T.tensor([NaN, 3e9], { dtype: "int32" }), "values");
    expect(nan.message).toBe("tensor: values[0] = NaN cannot be stored as int32: NaN has no integer value");
    const big = expectNamedError("tensor", () => T.tensor([1, 3e9], { dtype: "int32" }), "values");
    expect(big.message).toContain("values[1] = 3000000000 cannot be stored as int32: it is outside int32's range [-2147483648, 2147483647]");
    expect(expectNamedError("tensor", () => T.tensor([[1, 2], [3, -Infinity]], { dtype: "int32" })).message).toContain("values[1][1] = -Infinity");
    expect(expectNamedError("tensor", () => T.tensor(Float64Array.of(1, 2 ** 31), { dtype: "int32" })).message).toContain("values[1] = 2147483648");
    expect(expectNamedError("full", () => T.full([2], 2 ** 40, { dtype: "int32" }), "value").message).toContain("cannot be stored as int32");
    expect(expectNamedError("arange", () => T.arange(2 ** 31 - 2, 2 ** 31 + 1, 1, { dtype: "int32" })).message).toContain("outside int32's range");
  });

  it("int32 keeps the range's ends and truncates toward zero, as PyTorch", () => {
    expect(T.tensor([-(2 ** 31), 2 ** 31 - 1, 1.9, -1.9], { dtype: "int32" }).arraySync()).toEqual([-(2 ** 31), 2 ** 31 - 1, 1, -1]);
  });

  it("bool stores every non-zero value as true (NaN included), as PyTorch", () => {
    expect(T.tensor([0, 2, -0.5, NaN, 256], { dtype: "bool" }).arraySync()).toEqual([false, true, true, true, true]);
    expect(T.full([2], 7, { dtype: "bool" }).arraySync()).toEqual([true, true]);
  });
});

describe("options and numbers that only look right", () => {
  it("a null options object, or a number given as a string, is refused by name", () => {
    expectNamedError("zeros", () => T.zeros([2], null as never), "options");
    expectNamedError("randn", () => T.randn([2], new T.Generator(0), null as never), "options");
    expectNamedError("randn", () => T.randn([2], new T.Generator(0), { std: "2" as never }), "std");
    expectNamedError("rand", () => T.rand([2], new T.Generator(0), { high: "2" as never }), "high");
    expectNamedError("bernoulli", () => T.bernoulli("0.5" as never, [2], new T.Generator(0)), "p");
    expectNamedError("dropout", () => T.dropout(T.ones([2]), "0.5" as never, new T.Generator(0)), "p");
    expectNamedError("eye", () => T.eye(2, 2, null as never), "options");
  });
});
