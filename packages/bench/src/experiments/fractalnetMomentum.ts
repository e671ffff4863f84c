/** FractalNet's SGD momentum: a choice 003 leaves open, run as a reading. */
import type { Config, Reading } from "../framework/types.js";

/** 003 names SGD and its learning rate, batch size and dropout, but no momentum. */
export const SGD_MOMENTUM: Reading = {
  id: "sgdMomentum",
  values: {
    "0": "no momentum, torch.optim.SGD's default",
    "0.9": "momentum 0.9, the usual setting for CNNs on CIFAR-10 (FractalNet's own training)",
  },
  default: "0",
  basis: "003: \"A runner orchestrates training using PyTorch with SGD\" with \"Table 1 defaults: lr=0.01, batch_size=16, " +
    "dropout=0.2\" — no momentum is listed, and PyTorch's SGD has none unless one is given",
};

/** The momentum a run trains with: its sgdMomentum reading when a sweep set one, else its settings'. */
export function effectiveMomentum(config: Config & { readonly train: { readonly momentum: number } }): number {
  const reading = config.reading && typeof config.reading === "object" && !Array.isArray(config.reading) ? config.reading[SGD_MOMENTUM.id] : undefined;
  return typeof reading === "string" ? Number(reading) : config.train.momentum;
}
