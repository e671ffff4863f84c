export { Tensor, type NestedArray } from "./tensor.js";
export { type DType, type TypedArray, DTYPES, isFloat, promoteTypes, bytesPerElement } from "./dtype.js";
export { FcnError, ShapeError, DTypeError, DeviceError, ArgumentError, AllocationError, GraphFreedError, formatShape, type ErrorDetails } from "./errors.js";
export { setAllocationLimit, getAllocationLimit, checkAllocation, DEFAULT_ALLOCATION_LIMIT } from "./allocation.js";
export { Generator } from "./random.js";
export { type Shape, broadcastShapes, sizeOf } from "./shape.js";
export { tidy, keep, dispose, memory, type MemoryInfo } from "./memory.js";
export type { ArenaStats, StorageStats } from "./backend/backend.js";
export { ARRAY_OVERHEAD_BYTES, DEFAULT_STORAGE_POOL_LIMIT } from "./backend/cpu/pool.js";
export { setStoragePoolLimit } from "./backend/cpu/storage.js";
export { DEFAULT_ARENA_BYTES, setCpuArenaBytes } from "./backend/cpu/arena.js";
export { noGrad, isGradEnabled } from "./autograd/mode.js";
export { setMathMode, getMathMode, type MathMode } from "./math-mode.js";
export { autocast, autocastDType, type AutocastOptions, type AutocastDType } from "./autocast.js";
export { HALF_MAX, toHalf, roundToHalf, halfBits, fromHalfBits } from "./half.js";
export { grad, valueAndGrad } from "./autograd/grad.js";
export { customVjp, checkpoint, type CustomBackward } from "./autograd/custom.js";
export { unbroadcast } from "./autograd/rules.js";
export type { Backend, Device, Storage, TensorInfo, KernelTable, FusedKernels } from "./backend/backend.js";
export { registerBackend, getBackend, setDefaultDevice, getDefaultDevice } from "./backend/registry.js";
export { initWebGPU, webgpuCapabilities, syncWebGPU, webgpuStats, type WebGPUOptions, type WebGPUCapabilities, type WebGPUEntryPoint, type WebGPUPowerPreference } from "./backend/webgpu/index.js";
export { PRIMITIVES, type PrimitiveName, type PrimitiveAttrs } from "./ops/primitives.js";
export * from "./ops/creation.js";
export * from "./ops/elementwise.js";
export * from "./ops/reduce.js";
export * from "./ops/matmul.js";
export * from "./ops/movement.js";
export * from "./ops/indexing.js";
export * from "./ops/nn.js";
export {
  conv2d, conv2dBackwardInput, conv2dBackwardWeight, convOutputSize, maxPool2d, avgPool2d, adaptiveAvgPool2d,
  type Conv2dOptions, type Pool2dOptions, type Pair,
} from "./ops/conv.js";
export { batchNorm, dropout2d, dropPath, type BatchNormOptions } from "./ops/norm.js";
export { kron } from "./ops/kron.js";
export { adamUpdate, sgdUpdate, type AdamHyper, type SgdHyper } from "./ops/optim.js";
export { SparseMatrix, spmm, sddmm } from "./ops/sparse.js";
export type { CsrStructure } from "./ops/csr.js";
