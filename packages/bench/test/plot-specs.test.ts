// The report's plot specs: panel order, chance lines, error bars, enough colours, legend names whole.
import { describe, expect, it } from "vitest";
import { renderSvg } from "../src/index.js";
import { barSpec, fieldOrder, scatterSpec } from "../src/report/specs.js";

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("plot specs", () => {
  it("numeric groups are ordered as numbers, other groups as first seen", () => {
    expect(fieldOrder([{ N: "16" }, { N: "32" }, { N: "64" }, { N: "8" }], "N")).toEqual(["8", "16", "32", "64"]);
    expect(fieldOrder([{ d: "sine" }, { d: "iris" }, { d: "sine" }], "d")).toEqual(["sine", "iris"]);
  });

  it("bar panels of N come out 8, 16, 32, 64, with error bars and a labelled chance line", async () => {
    const values = ["16", "32", "64", "8"].flatMap((N) => ["fractal", "dense"].map((attention) => ({ N, attention, accuracy: 0.5, std: 0.02 })));
    const spec = barSpec(values, { group: "N", series: "attention", y: "accuracy", error: "std", rule: { y: 0.5, label: "chance" }, title: "t", yTitle: "test accuracy" });
    expect((spec.facet as { column: { sort: unknown } }).column.sort).toEqual(["8", "16", "32", "64"]);
    const svg = await renderSvg(spec);
    const labels = texts(svg);
    expect(labels.filter((t) => ["8", "16", "32", "64"].includes(t))).toEqual(["8", "16", "32", "64"]);
    expect(labels.filter((t) => t === "chance")).toHaveLength(4); // one line per panel
    expect(svg).toContain("mark-rule");
  });

  it("scatter: 20 distinct categorical colours, legend names not cut, axis titles and error bars as given", async () => {
    const families = Array.from({ length: 13 }, (_, i) => `a_rather_long_family_name_number_${i}`);
    const values = families.map((family, i) => ({ dataset: "sine — MSE (lower is better)", family, params: 10 + i, score: i, std: 0.5 }));
    const spec = scatterSpec(
      values,
      { x: "params", y: "score", series: "family", facet: "dataset", logX: true, error: "std", xTitle: "effective learned parameters", yTitle: "validation accuracy / MSE", title: "t" },
    ) as { spec: { layer: { encoding: { color: { scale: unknown; legend: { labelLimit: number } } } }[] } };
    const color = spec.spec.layer[1].encoding.color;
    expect(color.scale).toEqual({ scheme: "tableau20" });
    expect(color.legend.labelLimit).toBeGreaterThanOrEqual(300);
    const svg = await renderSvg(spec as unknown as Record<string, unknown>);
    const labels = texts(svg);
    for (const family of families) expect(labels).toContain(family);
    expect(labels).toContain("validation accuracy / MSE");
    expect(labels).toContain("sine — MSE (lower is better)");
    expect(labels).not.toContain("score");
    const colours = new Set([...svg.matchAll(/class="mark-symbol[\s\S]*?<\/g>/g)].flatMap((m) => [...m[0].matchAll(/fill="(#[0-9a-f]{6})"/g)].map((c) => c[1])));
    expect(colours.size).toBeGreaterThanOrEqual(families.length);
  });
});
