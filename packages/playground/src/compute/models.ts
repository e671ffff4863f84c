/**
 * The four models of the live trainer, in the seed's configurations for two inputs and one
 * logit (parameter counts as in @fcn/nn's README: 4,417 / 325 / 897 / 513).
 */
import { CEN, DenseMLP, FractalCirculator, HSN, type Module } from "@fcn/nn";
import type { ModelName } from "./choices.js";

export const BUILDERS: Record<ModelName, (seed: number) => Module> = {
  dense: (seed) => new DenseMLP({ inputs: 2, outputs: 1, width: 64, seed }),
  circulator: (seed) => new FractalCirculator({ inputs: 2, outputs: 1, hidden: 64, steps: 5, seed }),
  hsn: (seed) => new HSN({ inputs: 2, outputs: 1, seed }),
  cen: (seed) => new CEN({ inputs: 2, outputs: 1, hidden: 512, seed }),
};
