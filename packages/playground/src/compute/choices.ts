/** The models and data sets the trainer offers, as the page lists them (no engine code here). */
export const MODEL_LABELS = {
  dense: "Dense MLP (h = 64)",
  circulator: "FractalCirculator (H = 64, T = 5, fixed Sierpinski G)",
  hsn: "HSN (DG 32, CA3 16 on the Kronecker support)",
  cen: "CEN (H = 512, fixed sparse expander)",
} as const;

export type ModelName = keyof typeof MODEL_LABELS;

/** Both labellings of the Swiss roll (packages/data; bench's swissRollLabels reading). */
export const DATASETS = {
  moons: { label: "moons", name: "moons", options: {} },
  circles: { label: "circles", name: "circles", options: {} },
  swissRollHalves: { label: "swiss roll — halves (inner vs outer half of one arm)", name: "swissRoll", options: { labelling: "halves" } },
  swissRollArms: { label: "swiss roll — arms (two interleaved spirals)", name: "swissRoll", options: { labelling: "arms" } },
} as const;

export type DatasetName = keyof typeof DATASETS;
