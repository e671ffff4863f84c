import { FcnError, tensor } from "@fcn/tensor";
import { describe, expect, it } from "vitest";
import { FcnError as DataCopyOfFcnError } from "../../data/src/errorHierarchy.js";
import * as K from "../src/index.js";

/** Expects an FcnError naming `fn` (and `argument` when given). */
function expectNamedError(fn: string, call: () => unknown, argument?: string): FcnError {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, `${fn} should throw`).toBeInstanceOf(FcnError);
  const e = error as FcnError;
  expect(e.functionName, e.message).toBe(fn);
  expect(e.message.startsWith(`${fn}: `), e.message).toBe(true);
  if (argument) expect(e.argument, e.message).toBe(argument);
  return e;
}

const sym = () => K.fromRows([[2, 1], [1, 2]]);
const graph = () => K.toCsr(K.fromRows([[0, 1], [1, 0]]));
const BAD_MATRICES: unknown[] = ["1", null, 3, { rows: 2, cols: 2 }, { rows: 2, cols: 2, data: new Float64Array(3) }, [1, 2], tensor([1, 2])];

/** [function, call with a bad matrix or graph, argument]. */
const MATRIX_TABLE: [string, (bad: never) => unknown, string][] = [
  ["eigh", (b) => K.eigh(b), "a"], ["eigvalsh", (b) => K.eigvalsh(b), "a"], ["eigvals", (b) => K.eigvals(b), "a"],
  ["spectralRadius", (b) => K.spectralRadius(b), "a"], ["lu", (b) => K.lu(b), "a"], ["det", (b) => K.det(b), "a"],
  ["logdet", (b) => K.logdet(b), "a"], ["inverse", (b) => K.inverse(b), "a"], ["cholesky", (b) => K.cholesky(b), "a"],
  ["qr", (b) => K.qr(b), "a"], ["svd", (b) => K.svd(b), "a"], ["lstsq", (b) => K.lstsq(b, new Float64Array(2)), "a"],
  ["solve", (b) => K.solve(b, new Float64Array(2)), "a"],
  ["transpose", (b) => K.transpose(b), "a"], ["matmul", (b) => K.matmul(sym(), b), "b"], ["add", (b) => K.add(b, sym()), "a"],
  ["trace", (b) => K.trace(b), "a"], ["frobeniusNorm", (b) => K.frobeniusNorm(b), "a"], ["toRows", (b) => K.toRows(b), "m"],
  ["kron", (b) => K.kron(sym(), b), "factors[1]"], ["kronPower", (b) => K.kronPower(b, 2), "initiator"],
  ["toCsr", (b) => K.toCsr(b), "m"], ["kroneckerGraph", (b) => K.kroneckerGraph(b, 2), "initiator"],
  ["symmetricSpectrum", (b) => K.symmetricSpectrum(b), "m"], ["kronPowerSpectrum", (b) => K.kronPowerSpectrum(b, 2), "initiator"],
  ["nearestKroneckerProduct", (b) => K.nearestKroneckerProduct(b, [1, 1], [2, 2]), "a"],
  ["stochasticKronecker", (b) => K.stochasticKronecker(b, 2, 0), "probabilities"],
  ["addSymmetricNoise", (b) => K.addSymmetricNoise(b, 0.1, 0), "m"],
  ["KronOperator", (b) => new K.KronOperator([sym(), b]), "factors[1]"],
  ["normalizedLaplacian", (b) => K.normalizedLaplacian(b), "graph"], ["spectralGap", (b) => K.spectralGap(b), "graph"],
  ["scaleGraph", (b) => K.scaleGraph(b), "graph"],
];
const GRAPH_TABLE: [string, (bad: never) => unknown, string?][] = [
  ["density", (b) => K.density(b)], ["degreeStatistics", (b) => K.degreeStatistics(b)], ["bfsDistances", (b) => K.bfsDistances(b, 0)],
  ["diameter", (b) => K.diameter(b)], ["connectedComponents", (b) => K.connectedComponents(b)],
  ["averageClustering", (b) => K.averageClustering(b)], ["diffuse", (b) => K.diffuse(b)], ["binarize", (b) => K.binarize(b), "s"],
  ["removeSelfLoops", (b) => K.removeSelfLoops(b), "s"], ["permuteGraph", (b) => K.permuteGraph(b, 0)],
];

describe("kron argument validation", () => {
  it("every function given a bad matrix throws an FcnError naming itself and the argument", () => {
    for (const [fn, call, argument] of MATRIX_TABLE) {
      for (const bad of BAD_MATRICES) expectNamedError(fn, () => call(bad as never), argument);
    }
  });

  it("every graph function given something that is not a CSR graph names itself", () => {
    for (const [fn, call, argument] of GRAPH_TABLE) {
      for (const bad of ["1", null, [[0, 1], [1, 0]], sym(), { ...graph(), rowPointer: new Int32Array(1) }]) {
        expectNamedError(fn, () => call(bad as never), argument ?? "graph");
      }
    }
  });

  it("a hand-made Matrix whose data is too short is rejected, not read as NaNs", () => {
    const short = { rows: 3, cols: 3, data: new Float64Array(4) };
    expect(expectNamedError("eigvalsh", () => K.eigvalsh(short)).message).toBe("eigvalsh: a.data holds 4 numbers, but shape [3, 3] needs 9");
    expectNamedError("matmul", () => K.matmul(short, short), "a");
    expectNamedError("det", () => K.det({ rows: 2.5, cols: 2, data: new Float64Array(5) }));
  });

  it("a 2-D Tensor or nested number arrays are accepted where a Matrix is expected", () => {
    expect(Array.from(K.eigvalsh([[2, 1], [1, 2]] as never))).toEqual([1, 3].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(K.eigvalsh(tensor([[2, 1], [1, 2]], { dtype: "float64" }) as never))).toEqual([1, 3].map((v) => expect.closeTo(v, 12)));
    expect(K.det([[1, 2], [3, 4]] as never)).toBeCloseTo(-2, 12);
    expect(K.nearestKroneckerProduct(tensor([[1, 0], [0, 1]]) as never, [1, 1], [2, 2]).relativeError).toBeCloseTo(0, 12);
    expect(K.asMatrix({ rows: 1, cols: 2, data: [3, 4] })).toEqual({ rows: 1, cols: 2, data: Float64Array.of(3, 4) });
  });

  it("nearestKroneckerProduct names a shape argument that is not a pair", () => {
    expectNamedError("nearestKroneckerProduct", () => K.nearestKroneckerProduct(sym(), "2x2" as never, [1, 1]), "leftShape");
  });

  it("eigh rejects an unknown method naming the valid ones, and mistyped numeric options", () => {
    const e = expectNamedError("eigh", () => K.eigh(sym(), { method: "jacobi" as never }), "method");
    expect(e.message).toBe('eigh: unknown method "jacobi"; expected one of "auto", "ql", "divideAndConquer"');
    expectNamedError("eigvalsh", () => K.eigvalsh(sym(), { method: "QL" as never }), "method");
    expectNamedError("eigh", () => K.eigh(sym(), { blockSize: 0 }), "blockSize");
    expectNamedError("eigh", () => K.eigh(sym(), { symmetryTolerance: "1e-3" as never }), "symmetryTolerance");
    expectNamedError("eigh", () => K.eigh(sym(), null as never), "options");
  });

  it("kronApply names a factor that is a plain array", () => {
    expectNamedError("kronApply", () => K.kronApply([[[1]]] as never, tensor([1])), "factors[0]");
    expectNamedError("kronApply", () => K.kronApply([tensor([[1]])], [1] as never), "x");
  });
});

describe("ConvergenceError in the shared hierarchy", () => {
  it("is an FcnError of tensor's copy and of data's copy", () => {
    const e = new K.ConvergenceError("eigh: no convergence after 60 iterations");
    expect(e).toBeInstanceOf(FcnError);
    expect(e).toBeInstanceOf(DataCopyOfFcnError);
    expect(e.name).toBe("ConvergenceError");
    expect(e.functionName).toBe("eigh");
    expect(new FcnError("x")).not.toBeInstanceOf(K.ConvergenceError);
  });
});
