/**
 * Module: the unit of a network. A module owns named parameters (learned tensors), buffers
 * (fixed tensors such as a frozen graph or a mask) and child modules, all in insertion order,
 * so names like `blocks.0.attention.factors.1` are deterministic.
 */
import { ArgumentError, ShapeError, type Tensor, formatShape, noGrad } from "@fcn/tensor";

/**
 * A learned tensor. `value` is the leaf tensor the optimizer updates (it requires grad);
 * `mask`, when set, is a 0/1 tensor of the same shape: the layer uses `value ⊙ mask`, so
 * masked-out entries can never change the function (they count in `rawParams`, not in
 * `effectiveParams`).
 */
export interface ParameterOptions {
  mask?: Tensor | null;
  /**
   * The mask's nonzero count, counted from the host array the mask was built from. Required for a
   * mask on a device without synchronous reads (WebGPU); on the CPU it is checked against the mask.
   */
  maskNonzeros?: number;
  trainable?: boolean;
}

export class Parameter {
  value: Tensor;
  readonly mask: Tensor | null;
  /** Entries that can change the function (the mask's nonzeros, or every entry). */
  readonly effective: number;
  /** False freezes the parameter: it stops requiring grad and counts as fixed. */
  trainable: boolean;

  constructor(value: Tensor, options: ParameterOptions = {}) {
    const mask = options.mask ?? null;
    if (mask && mask.shape.join() !== value.shape.join()) {
      throw new ShapeError(`Parameter: mask ${formatShape(mask.shape)} does not match value ${formatShape(value.shape)}`);
    }
    this.trainable = options.trainable ?? true;
    this.value = value.requireGrad(this.trainable);
    this.mask = mask;
    this.effective = mask ? maskNonzeros(mask, options.maskNonzeros) : value.size;
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }

  /** The tensor the layer computes with: value ⊙ mask, or value. */
  get masked(): Tensor {
    return this.mask ? this.value.mul(this.mask) : this.value;
  }
}

/** The mask's nonzeros: the given count (checked on the CPU), or counted on the CPU. */
function maskNonzeros(mask: Tensor, given: number | undefined): number {
  if (given !== undefined && (!Number.isInteger(given) || given < 0 || given > mask.size)) {
    throw new ArgumentError(`Parameter: maskNonzeros must be an integer in [0, ${mask.size}], got ${given}`);
  }
  if (mask.device !== "cpu") {
    if (given === undefined) throw new ArgumentError(`Parameter: a mask on '${mask.device}' needs maskNonzeros (its nonzero count, from the host array)`);
    return given;
  }
  let count = 0;
  for (const v of mask.dataSync()) if (v !== 0) count++;
  if (given !== undefined && given !== count) throw new ArgumentError(`Parameter: maskNonzeros is ${given} but the mask has ${count} nonzeros`);
  return count;
}

/** Scalars of a module, as seed 001 counts them. */
export interface ParamCounts {
  /** All trainable scalars (every entry of every trainable tensor, masked or not). */
  raw: number;
  /** Trainable scalars that can change the function (masked-out entries excluded). */
  effective: number;
  /** Frozen scalars that define the function (fixed graphs, fixed expanders; nonzeros). */
  fixed: number;
}

export type Forward = (input: Tensor) => Tensor;

export abstract class Module {
  private readonly paramTable = new Map<string, Parameter>();
  private readonly bufferTable = new Map<string, { tensor: Tensor; fixed: number }>();
  private readonly childTable = new Map<string, Module>();
  /** True in training mode (dropout active). */
  training = true;

  abstract forward(input: Tensor): Tensor;

  /** Same as `forward`. */
  call(input: Tensor): Tensor {
    return this.forward(input);
  }

  /** Registers a learned tensor under `name` and returns its Parameter. */
  protected param(name: string, value: Tensor, options: ParameterOptions = {}): Parameter {
    this.checkName(name);
    const p = new Parameter(value, options);
    this.paramTable.set(name, p);
    return p;
  }

  /**
   * Registers a fixed tensor. `fixed` is how many of its scalars count as frozen weights
   * (default: 0, a mask or an index, not a weight).
   */
  protected buffer(name: string, tensor: Tensor, fixed = 0): Tensor {
    this.checkName(name);
    this.bufferTable.set(name, { tensor, fixed });
    return tensor;
  }

  /** Registers a child module. */
  protected module<M extends Module>(name: string, child: M): M {
    this.checkName(name);
    this.childTable.set(name, child);
    return child;
  }

  private checkName(name: string): void {
    if (!name || name.includes(".")) throw new ArgumentError(`Module: name must be non-empty without '.', got '${name}'`);
    if (this.paramTable.has(name) || this.bufferTable.has(name) || this.childTable.has(name)) {
      throw new ArgumentError(`Module: name '${name}' is already registered`);
    }
  }

  /** Children in registration order. */
  children(): [string, Module][] {
    return [...this.childTable.entries()];
  }

  /** Every parameter with its dotted name, depth first, registration order. */
  namedParameters(prefix = ""): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [name, p] of this.paramTable) out.push([prefix + name, p]);
    for (const [name, child] of this.childTable) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Every buffer with its dotted name. */
  namedBuffers(prefix = ""): [string, Tensor, number][] {
    const out: [string, Tensor, number][] = [];
    for (const [name, b] of this.bufferTable) out.push([prefix + name, b.tensor, b.fixed]);
    for (const [name, child] of this.childTable) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Trainable parameters. */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p).filter((p) => p.trainable);
  }

  /** Parameter counts: raw, effective and fixed scalars. */
  paramCounts(): ParamCounts {
    let raw = 0;
    let effective = 0;
    let fixed = 0;
    for (const [, p] of this.namedParameters()) {
      if (p.trainable) {
        raw += p.value.size;
        effective += p.effective;
      } else fixed += p.effective;
    }
    for (const [, , f] of this.namedBuffers()) fixed += f;
    return { raw, effective, fixed };
  }

  get rawParams(): number {
    return this.paramCounts().raw;
  }

  get effectiveParams(): number {
    return this.paramCounts().effective;
  }

  get fixedParams(): number {
    return this.paramCounts().fixed;
  }

  /** Sets training mode on this module and every descendant. */
  train(flag = true): this {
    this.training = flag;
    for (const child of this.childTable.values()) child.train(flag);
    return this;
  }

  /** Evaluation mode (dropout off). */
  eval(): this {
    return this.train(false);
  }

  /** Freezes (or unfreezes) every parameter of this module and its descendants. */
  freeze(flag = true): this {
    for (const [, p] of this.namedParameters()) {
      p.trainable = !flag;
      p.value.requireGrad(!flag);
    }
    return this;
  }

  /** Parameters and buffers by dotted name (buffers under their own names). */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, p] of this.namedParameters()) out.set(name, p.value);
    for (const [name, t] of this.namedBuffers()) out.set(name, t);
    return out;
  }

  /**
   * Copies `state` into this module's parameters and buffers, in place. Throws a ShapeError
   * naming the tensor on a shape mismatch, and an ArgumentError naming missing or unexpected
   * tensors (unless `strict` is false).
   */
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const given = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    if (strict) {
      const missing = [...own.keys()].filter((k) => !given.has(k));
      const unexpected = [...given.keys()].filter((k) => !own.has(k));
      if (missing.length > 0) throw new ArgumentError(`loadStateDict: missing tensor${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")}`);
      if (unexpected.length > 0) throw new ArgumentError(`loadStateDict: unexpected tensor${unexpected.length > 1 ? "s" : ""} ${unexpected.map((m) => `'${m}'`).join(", ")}`);
    }
    for (const [name, target] of own) {
      const source = given.get(name);
      if (!source) continue;
      if (source.shape.join() !== target.shape.join()) {
        throw new ShapeError(`loadStateDict: tensor '${name}' has shape ${formatShape(source.shape)}, expected ${formatShape(target.shape)}`);
      }
    }
    noGrad(() => {
      for (const [name, target] of own) {
        const source = given.get(name);
        if (source) target.assign(source);
      }
    });
  }
}

/**
 * Runs `fn` with the module's parameters temporarily replaced by `values` (in
 * `namedParameters()` order), then restores them. The functional form gradient checks need.
 */
export function withParameters<T>(module: Module, values: readonly Tensor[], fn: () => T): T {
  const params = module.namedParameters().map(([, p]) => p);
  if (values.length !== params.length) {
    throw new ArgumentError(`withParameters: module has ${params.length} parameters, got ${values.length} values`);
  }
  const saved = params.map((p) => p.value);
  params.forEach((p, i) => {
    p.value = values[i];
  });
  try {
    return fn();
  } finally {
    params.forEach((p, i) => {
      p.value = saved[i];
    });
  }
}
