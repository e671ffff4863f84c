// Entry of the elementwise wasm module (AssemblyScript). Rebuild with `pnpm --filter @fcn/tensor build:wasm`.
export { binary } from "./binary";
export { sumRows32, finishSums32, sumRowsInOrder64, extremeRows, reduceColumns } from "./reduce";
export { adam, sgd } from "./optim";
export { unary } from "./unary";
export { softmax } from "./softmax";
export { scratchBase } from "./math";
export { compare, where } from "./compare";
export { firstIndexRows, argColumns } from "./argreduce";
export { fastUnary32, fastSoftmax32 } from "./fastmath";
export { fastSumRows32 } from "./fastsum";
