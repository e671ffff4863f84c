import type { Backend, Device, Storage } from "./backend/backend.js";
import { getBackend } from "./backend/registry.js";
import type { GradNode } from "./autograd/node.js";
import { type BackwardOptions, backward } from "./autograd/tape.js";
import { type DType, type TypedArray, isFloat } from "./dtype.js";
import { DTypeError, DeviceError, ShapeError, formatShape } from "./errors.js";
import { trackTensor } from "./memory.js";
import { Lifetime, beginLifetime, endLifetime, readingSavedTensors } from "./lifetime.js";
import * as el from "./ops/elementwise.js";
import * as mm from "./ops/matmul.js";
import * as mv from "./ops/movement.js";
import * as nn from "./ops/nn.js";
import * as rd from "./ops/reduce.js";
import { type Shape, shapesEqual, sizeOf } from "./shape.js";
import { noGrad } from "./autograd/mode.js";

type Operand = Tensor | number;
type Axis = number | readonly number[];

/**
 * An n-dimensional array with reverse-mode autograd. Storage is owned by a backend
 * (TypedArrays on CPU, buffers on WebGPU); `reshape` makes views that share it.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.mul(x).sum().backward();
 * x.grad!.arraySync(); // [[2, 4], [6, 8]]
 */
export class Tensor {
  readonly isTensor = true;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** Whether gradients flow to (leaf) or through (interior) this tensor. */
  requiresGrad = false;
  /** Accumulated gradient, set by `backward()` on leaves that require grad. */
  grad: Tensor | null = null;
  /** Set by `keep()`: no `tidy` disposes this tensor. */
  isKept = false;
  /** @internal Storage, tape entry and disposal state (see lifetime.ts). */
  readonly life: Lifetime;

  constructor(storage: Storage, shape: Shape, dtype: DType) {
    this.life = new Lifetime(storage);
    this.shape = shape.slice();
    this.dtype = dtype;
    this.size = sizeOf(shape);
    beginLifetime();
    trackTensor(this);
  }

  /** The tape entry that produced this tensor (null for leaves). */
  get node(): GradNode | null {
    return this.life.node;
  }

  /**
   * The backing storage; throws once the tensor is disposed. Backward's rules may still read
   * a disposed tensor whose storage the graph kept for them.
   */
  get storage(): Storage {
    const life = this.life;
    if (life.storage === null || (life.disposed && !readingSavedTensors())) {
      const op = life.node && !life.node.freed ? `${life.node.primitive} ` : "";
      throw new DeviceError(`tensor ${op}${formatShape(this.shape)} ${this.dtype} was disposed and cannot be used`);
    }
    return life.storage;
  }

  get backend(): Backend {
    return this.storage.backend;
  }

  get device(): Device {
    return this.storage.backend.device;
  }

  get rank(): number {
    return this.shape.length;
  }

  get isDisposed(): boolean {
    return this.life.disposed;
  }

  /**
   * Ends this tensor's use: its storage is freed once no other view uses it and no tape node
   * still needs it for backward (then when backward or the graph's output frees that node).
   * Idempotent.
   */
  dispose(): void {
    if (this.life.disposed) return;
    endLifetime(this.life);
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  /**
   * Replaces this tensor's values with `value`'s (same shape; cast to this dtype), in
   * place and off the tape: how optimizers update parameters.
   */
  assign(value: Tensor): this {
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(`assign: value ${formatShape(value.shape)} does not match tensor ${formatShape(this.shape)}`);
    }
    if (value.backend !== this.backend) throw new DeviceError(`assign: value is on '${value.device}', tensor on '${this.device}'`);
    const source = value.dtype === this.dtype ? value : noGrad(() => value.cast(this.dtype));
    const old = this.storage;
    source.storage.refCount++;
    this.life.storage = source.storage;
    if (--old.refCount === 0) old.backend.free(old);
    if (source !== value) source.dispose();
    return this;
  }

  /** Marks a float tensor as a leaf whose gradient `backward()` should compute. */
  requireGrad(flag = true): this {
    if (flag && !isFloat(this.dtype)) {
      throw new DTypeError(`requireGrad: only float tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /**
   * Backpropagates from this tensor; a non-scalar needs an explicit `gradient`. The graph is
   * freed as it goes, so a second backward through it throws `GraphFreedError`, unless this
   * call passes `retainGraph` (PyTorch's retain_graph; on by default with `createGraph`).
   *
   * @example
   * loss.backward();                        // or loss.backward({ retainGraph: true })
   * y.backward(seed, { createGraph: true });
   */
  backward(options?: BackwardOptions): void;
  backward(gradient?: Tensor, options?: BackwardOptions): void;
  backward(gradientOrOptions?: Tensor | BackwardOptions, options: BackwardOptions = {}): void {
    const isOptions = typeof gradientOrOptions === "object" && gradientOrOptions !== null && (gradientOrOptions as { isTensor?: unknown }).isTensor !== true;
    if (isOptions) backward(this, undefined, gradientOrOptions as BackwardOptions);
    else backward(this, gradientOrOptions as Tensor | undefined, options);
  }

  /** The same values without a tape entry (shares storage). */
  detach(): Tensor {
    this.storage.refCount++;
    return new Tensor(this.storage, this.shape, this.dtype);
  }

  /** Host copy of the elements, synchronously (CPU only). */
  dataSync(): TypedArray {
    const backend = this.backend;
    if (!backend.readSync) {
      throw new DeviceError(`dataSync: synchronous reads are not possible on '${backend.device}'; use await tensor.data()`);
    }
    return backend.readSync(this.storage).slice();
  }

  /** Host copy of the elements. */
  async data(): Promise<TypedArray> {
    const backend = this.backend;
    return backend.readSync ? backend.readSync(this.storage).slice() : backend.read(this.storage);
  }

  /** The elements as nested arrays (bool as booleans), synchronously (CPU only). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, expected 1`);
    const backend = this.backend;
    if (!backend.readSync) {
      throw new DeviceError(`item: synchronous reads are not possible on '${backend.device}'; use (await tensor.data())[0]`);
    }
    return backend.readSync(this.storage)[0];
  }

  /**
   * A copy on `device` (this tensor when already there). Synchronous only from a device
   * that can be read synchronously (CPU); from WebGPU use `await tensor.toAsync(device)`.
   */
  to(device: Device): Tensor {
    if (device === this.device) return this;
    if (!this.backend.readSync) {
      throw new DeviceError(`to('${device}'): tensors on '${this.device}' cannot be read synchronously; use await tensor.toAsync('${device}')`);
    }
    const host = this.dataSync();
    return new Tensor(getBackend(device).upload(host, this.dtype), this.shape, this.dtype);
  }

  /** A copy on `device`, read back asynchronously: works from every device. */
  async toAsync(device: Device): Promise<Tensor> {
    if (device === this.device) return this;
    const host = await this.data();
    return new Tensor(getBackend(device).upload(host, this.dtype), this.shape, this.dtype);
  }

  toString(): string {
    const values = this.backend.readSync ? JSON.stringify(this.arraySync()) : "<on device>";
    return `Tensor(${values}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }

  // Elementwise
  add(other: Operand): Tensor { return el.add(this, other); }
  sub(other: Operand): Tensor { return el.sub(this, other); }
  mul(other: Operand): Tensor { return el.mul(this, other); }
  div(other: Operand): Tensor { return el.div(this, other); }
  pow(other: Operand): Tensor { return el.pow(this, other); }
  maximum(other: Operand): Tensor { return el.maximum(this, other); }
  minimum(other: Operand): Tensor { return el.minimum(this, other); }
  neg(): Tensor { return el.neg(this); }
  exp(): Tensor { return el.exp(this); }
  log(): Tensor { return el.log(this); }
  sqrt(): Tensor { return el.sqrt(this); }
  square(): Tensor { return el.square(this); }
  abs(): Tensor { return el.abs(this); }
  sign(): Tensor { return el.sign(this); }
  sin(): Tensor { return el.sin(this); }
  cos(): Tensor { return el.cos(this); }
  tanh(): Tensor { return el.tanh(this); }
  sigmoid(): Tensor { return el.sigmoid(this); }
  relu(): Tensor { return el.relu(this); }
  clamp(min?: number, max?: number): Tensor { return el.clamp(this, min, max); }
  equal(other: Operand): Tensor { return el.equal(this, other); }
  notEqual(other: Operand): Tensor { return el.notEqual(this, other); }
  less(other: Operand): Tensor { return el.less(this, other); }
  lessEqual(other: Operand): Tensor { return el.lessEqual(this, other); }
  greater(other: Operand): Tensor { return el.greater(this, other); }
  greaterEqual(other: Operand): Tensor { return el.greaterEqual(this, other); }
  cast(dtype: DType): Tensor { return el.cast(this, dtype); }

  // Reductions
  sum(axis?: Axis, keepDims = false): Tensor { return rd.sum(this, axis, keepDims); }
  mean(axis?: Axis, keepDims = false): Tensor { return rd.mean(this, axis, keepDims); }
  max(axis?: Axis, keepDims = false): Tensor { return rd.max(this, axis, keepDims); }
  min(axis?: Axis, keepDims = false): Tensor { return rd.min(this, axis, keepDims); }
  prod(axis?: Axis, keepDims = false): Tensor { return rd.prod(this, axis, keepDims); }
  argmax(axis?: number, keepDims = false): Tensor { return rd.argmax(this, axis, keepDims); }
  argmin(axis?: number, keepDims = false): Tensor { return rd.argmin(this, axis, keepDims); }
  variance(axis?: Axis, keepDims = false, correction = 0): Tensor { return rd.variance(this, axis, keepDims, correction); }
  std(axis?: Axis, keepDims = false, correction = 0): Tensor { return rd.std(this, axis, keepDims, correction); }
  logsumexp(axis?: Axis, keepDims = false): Tensor { return rd.logsumexp(this, axis, keepDims); }

  // Linear algebra
  matmul(other: Tensor, options?: mm.MatmulOptions): Tensor { return mm.matmul(this, other, options); }

  // Shape
  reshape(shape: readonly number[]): Tensor { return mv.reshape(this, shape); }
  view(shape: readonly number[]): Tensor { return mv.reshape(this, shape); }
  flatten(): Tensor { return mv.reshape(this, [this.size]); }
  transpose(axis0?: number, axis1?: number): Tensor { return mv.transpose(this, axis0, axis1); }
  /** Matrix transpose of the last two axes. */
  get T(): Tensor { return mv.transpose(this); }
  permute(perm: readonly number[]): Tensor { return mv.permute(this, perm); }
  expandDims(axis: number): Tensor { return mv.expandDims(this, axis); }
  squeeze(axis?: Axis): Tensor { return mv.squeeze(this, axis); }
  broadcastTo(shape: readonly number[]): Tensor { return mv.broadcastTo(this, shape); }
  slice(begin: readonly number[], end?: readonly number[]): Tensor { return mv.slice(this, begin, end); }
  index(i: number, axis = 0): Tensor { return mv.index(this, i, axis); }

  // Neural-network helpers
  softmax(axis = -1): Tensor { return nn.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return nn.logSoftmax(this, axis); }
}

export type NestedArray = number | boolean | NestedArray[];

function toNested(data: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const convert = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return convert(data[0]);
  let offset = 0;
  const build = (axis: number): NestedArray[] => {
    const out: NestedArray[] = new Array(shape[axis]);
    for (let i = 0; i < shape[axis]; i++) {
      out[i] = axis === shape.length - 1 ? convert(data[offset++]) : build(axis + 1);
    }
    return out;
  };
  return build(0);
}
