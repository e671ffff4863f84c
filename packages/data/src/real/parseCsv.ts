import { DataError } from "../errors.js";
import type { ClassificationDataset } from "../types.js";

/**
 * Parses a shipped CSV (header of feature names then `target`; one row per sample; LF line
 * endings; no quoting) into a classification data set. Throws a {@link DataError} naming the
 * line on a ragged row, a non-numeric field or a target outside 0..classes−1.
 */
export function parseClassificationCsv(
  text: string,
  fields: { name: string; classNames: readonly string[]; source: string },
): ClassificationDataset {
  const lines = text.split("\n").filter((line) => line.length > 0);
  const header = lines[0].split(",");
  const features = header.length - 1;
  if (header[features] !== "target") throw new DataError(`${fields.name}: the last header field must be "target"`);
  const n = lines.length - 1;
  const x = new Float64Array(n * features);
  const y = new Int32Array(n);
  const classes = fields.classNames.length;
  for (let i = 0; i < n; i++) {
    const values = lines[i + 1].split(",");
    if (values.length !== features + 1) {
      throw new DataError(`${fields.name}: line ${i + 2} has ${values.length} fields, expected ${features + 1}`);
    }
    for (let j = 0; j < features; j++) {
      const value = Number(values[j]);
      if (values[j] === "" || !Number.isFinite(value)) {
        throw new DataError(`${fields.name}: line ${i + 2}, field ${j + 1} is not a number: ${JSON.stringify(values[j])}`);
      }
      x[i * features + j] = value;
    }
    const label = Number(values[features]);
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataError(`${fields.name}: line ${i + 2} has target ${values[features]}, expected 0..${classes - 1}`);
    }
    y[i] = label;
  }
  return {
    x: { data: x, shape: [n, features] },
    y: { data: y, shape: [n] },
    meta: {
      name: fields.name,
      task: classes === 2 ? "binary" : "multiclass",
      classes,
      featureNames: header.slice(0, features),
      targetNames: ["target"],
      classNames: fields.classNames,
      seed: null,
      options: {},
      source: fields.source,
    },
  };
}
