import { DeviceError } from "../../errors.js";
import { type Shape, broadcastStrides, sizeOf } from "../../shape.js";

/** A batched matmul's sizes and its uniform block, shared by the scalar and vec4 kernels. */
export interface MatmulGeometry {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batches: number;
  /** [M, N, K, batchRank, batch shape…, A batch strides…, B batch strides…] (broadcast axes 0). */
  readonly meta: number[];
}

/** Sizes and uniforms of op(A)·op(B); batch strides count elements, or vec4s when `perLoad` is 4. */
export function matmulGeometry(aShape: Shape, bShape: Shape, outShape: Shape, transposeA: boolean, perLoad = 1): MatmulGeometry {
  const r = outShape.length;
  const m = outShape[r - 2];
  const n = outShape[r - 1];
  const k = transposeA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const batchShape = outShape.slice(0, -2);
  const batches = sizeOf(batchShape);
  if (batches > 65535) throw new DeviceError(`matmul: ${batches} batches exceed the 65535 workgroups WebGPU allows along z; reshape into fewer batches`);
  const aMat = (aShape[aShape.length - 2] * aShape[aShape.length - 1]) / perLoad;
  const bMat = (bShape[bShape.length - 2] * bShape[bShape.length - 1]) / perLoad;
  const sa = broadcastStrides(aShape.slice(0, -2), batchShape).map((s) => s * aMat);
  const sb = broadcastStrides(bShape.slice(0, -2), batchShape).map((s) => s * bMat);
  return { m, n, k, batches, meta: [m, n, k, batchShape.length, ...batchShape, ...sa, ...sb] };
}

/** WGSL at the top of a matmul's main: M, N, K and this workgroup's batch offsets aOff/bOff. */
export const MATMUL_PREAMBLE = `let M = param(0u);
  let N = param(1u);
  let K = param(2u);
  let br = param(3u);
  var aOff = 0u;
  var bOff = 0u;
  var rem = wid.z;
  for (var d = br; d > 0u; d = d - 1u) {
    let dim = param(3u + d);
    let c = rem % dim;
    rem = rem / dim;
    aOff = aOff + c * param(3u + br + d);
    bOff = bOff + c * param(3u + 2u * br + d);
  }`;
