import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { digits, digitsImages } from "../src/real/digits.js";
import { digitsCsv, digitsSha256 } from "../src/real/embedded/digits.js";
import { irisCsv, irisSha256 } from "../src/real/embedded/iris.js";
import { wineCsv, wineSha256 } from "../src/real/embedded/wine.js";
import { iris } from "../src/real/iris.js";
import { wine } from "../src/real/wine.js";
import { column, labelCounts, mean } from "./helpers.js";

const datasetsDirectory = new URL("../datasets/", import.meta.url);
const provenance = readFileSync(new URL("PROVENANCE.md", datasetsDirectory), "utf8");
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe.each([
  { name: "iris", csv: irisCsv, hash: irisSha256 },
  { name: "wine", csv: wineCsv, hash: wineSha256 },
  { name: "digits", csv: digitsCsv, hash: digitsSha256 },
])("embedded $name", ({ name, csv, hash }) => {
  it("equals datasets/<name>.csv byte for byte and matches the sha256 in PROVENANCE.md", () => {
    const file = readFileSync(new URL(`${name}.csv`, datasetsDirectory), "utf8");
    expect(csv).toBe(file);
    expect(sha256(csv)).toBe(hash);
    expect(provenance).toContain(`| ${name}.csv |`);
    expect(provenance).toContain(hash);
  });
});

describe("real data sets", () => {
  it("iris: 150 × 4, 3 classes of 50, sklearn column means, Fisher's rows 35 and 38", () => {
    const data = iris();
    expect(data.x.shape).toEqual([150, 4]);
    expect(data.meta).toMatchObject({ task: "multiclass", classes: 3, seed: null });
    expect(labelCounts(data.y.data, 3)).toEqual([50, 50, 50]);
    const means = [0, 1, 2, 3].map((j) => mean(column(data.x.data, 4, j)));
    expect(means.map((m) => Number(m.toFixed(3)))).toEqual([5.843, 3.057, 3.758, 1.199]);
    expect([...data.x.data.subarray(34 * 4, 35 * 4)]).toEqual([4.9, 3.1, 1.5, 0.2]);
    expect([...data.x.data.subarray(37 * 4, 38 * 4)]).toEqual([4.9, 3.6, 1.4, 0.1]);
    expect(data.meta.featureNames[0]).toBe("sepal length (cm)");
  });

  it("wine: 178 × 13, classes (59, 71, 48), first row as in UCI", () => {
    const data = wine();
    expect(data.x.shape).toEqual([178, 13]);
    expect(labelCounts(data.y.data, 3)).toEqual([59, 71, 48]);
    expect([...data.x.data.subarray(0, 13)]).toEqual([14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29, 5.64, 1.04, 3.92, 1065]);
    expect(data.x.data[171 * 13 + 9]).toBe(9.899999);
  });

  it("digits: 1797 × 64 integers 0..16, 10 classes with UCI's counts", () => {
    const data = digits();
    expect(data.x.shape).toEqual([1797, 64]);
    expect(labelCounts(data.y.data, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(data.x.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(data.meta.featureNames[63]).toBe("pixel_7_7");
  });

  it("digitsImages: the same rows as [1797, 1, 8, 8] images in [0, 1]", () => {
    const table = digits();
    const images = digitsImages();
    expect(images.x.shape).toEqual([1797, 1, 8, 8]);
    expect(images.meta.classes).toBe(10);
    expect([...images.y.data]).toEqual([...table.y.data]);
    // Row 5, pixel (row 3, column 6): feature 3·8 + 6 of the table, divided by 16.
    expect(images.x.data[5 * 64 + 3 * 8 + 6]).toBeCloseTo(table.x.data[5 * 64 + 30] / 16, 6);
    expect(Math.max(...images.x.data)).toBe(1);
  });

  it("returns fresh arrays on every call", () => {
    const a = iris();
    a.x.data[0] = -1;
    expect(iris().x.data[0]).toBe(5.1);
  });
});
