/** Small vega-lite spec builders for the report's plots (data inline, rendered to SVG by vega). */

type Row = Record<string, string | number>;

const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;

/** Lines of y against x, one per `series` value. */
export function lineSpec(
  values: Row[],
  options: { x: string; y: string; series: string; title: string; xTitle?: string; yTitle?: string; logY?: boolean; facet?: string; width?: number },
): Record<string, unknown> {
  const layer = {
    mark: { type: "line", point: values.length <= 200 },
    encoding: {
      x: { field: options.x, type: "quantitative", title: options.xTitle ?? options.x },
      y: { field: options.y, type: "quantitative", title: options.yTitle ?? options.y, ...(options.logY ? { scale: { type: "log" } } : {}) },
      color: { field: options.series, type: "nominal", title: options.series },
    },
  };
  if (options.facet) {
    return { ...base, title: options.title, data: { values }, facet: { field: options.facet, type: "nominal" }, columns: 3, spec: { width: options.width ?? 220, height: 160, ...layer } };
  }
  return { ...base, title: options.title, data: { values }, width: options.width ?? 420, height: 260, ...layer };
}

/**
 * The distinct values of `field` in order: numerically when every one is a number (so the
 * panels of N = 8, 16, 32, 64 do not come out 16, 32, 64, 8), else as first seen.
 */
export function fieldOrder(values: readonly Row[], field: string): (string | number)[] {
  const seen = [...new Set(values.map((v) => v[field]))];
  return seen.every((v) => v !== "" && Number.isFinite(Number(v))) ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

/** A horizontal reference line (a chance level) with its label, as a layer of a per-panel spec (one line per panel). */
function ruleLayer(rule: { y: number; label: string }): Record<string, unknown> {
  return {
    transform: [{ aggregate: [{ op: "count", as: "rows" }] }],
    layer: [
      { mark: { type: "rule", strokeDash: [4, 3], color: "#666" }, encoding: { y: { datum: rule.y } } },
      { mark: { type: "text", align: "left", baseline: "bottom", x: 2, dy: -2, color: "#666", fontSize: 10, text: rule.label }, encoding: { y: { datum: rule.y } } },
    ],
  };
}

/**
 * Grouped bars of `y` per `group` (panels in numeric order when the groups are numbers),
 * coloured by `series`, with optional error bars from `error` (± that field) and an optional
 * reference line `rule` (e.g. chance) in every panel.
 */
export function barSpec(
  values: Row[],
  options: { group: string; series: string; y: string; error?: string; title: string; yTitle?: string; rule?: { y: number; label: string } },
): Record<string, unknown> {
  const bars = {
    mark: "bar",
    encoding: {
      x: { field: options.series, type: "nominal", title: null, axis: { labels: false, ticks: false } },
      y: { field: options.y, type: "quantitative", title: options.yTitle ?? options.y },
      color: { field: options.series, type: "nominal" },
    },
  };
  const layers: unknown[] = [bars];
  if (options.error) {
    layers.push({
      mark: { type: "errorbar", ticks: true },
      transform: [{ calculate: `datum.${options.y} - datum.${options.error}`, as: "low" }, { calculate: `datum.${options.y} + datum.${options.error}`, as: "high" }],
      encoding: { x: { field: options.series, type: "nominal" }, y: { field: "low", type: "quantitative", title: options.yTitle ?? options.y }, y2: { field: "high" } },
    });
  }
  if (options.rule) layers.push(ruleLayer(options.rule));
  return {
    ...base, title: options.title, data: { values },
    facet: { column: { field: options.group, type: "nominal", title: null, sort: fieldOrder(values, options.group) } },
    spec: { width: 120, height: 220, layer: layers },
  };
}

/** Histograms of `field` (bins of `step`), one panel per `facet`, with an optional reference curve per panel. */
export function histogramSpec(values: Row[], options: { field: string; facet: string; title: string; step: number; maxValue: number }): Record<string, unknown> {
  return {
    ...base, title: options.title, data: { values },
    facet: { field: options.facet, type: "nominal" }, columns: 3,
    spec: {
      width: 200, height: 140,
      mark: "bar",
      encoding: {
        x: { field: options.field, type: "quantitative", bin: { step: options.step, extent: [0, options.maxValue] }, title: "unfolded spacing s" },
        y: { aggregate: "count", type: "quantitative", title: "count" },
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

/** Enough distinct colours for every series of a categorical plot (up to 20). */
const CATEGORICAL = { scheme: "tableau20" } as const;

/**
 * Points of y against x coloured by series (20 distinct colours, legend names never cut),
 * optionally faceted (panels with independent y scales), with a log x axis, a shape per
 * `shape` value and vertical error bars of ± `error`.
 */
export function scatterSpec(
  values: Row[],
  options: { x: string; y: string; series: string; title: string; facet?: string; logX?: boolean; shape?: string; xTitle?: string; yTitle?: string; error?: string },
): Record<string, unknown> {
  const x = { field: options.x, type: "quantitative", title: options.xTitle ?? options.x, ...(options.logX ? { scale: { type: "log" } } : {}) };
  const color = { field: options.series, type: "nominal", scale: CATEGORICAL, legend: { labelLimit: 400 } };
  const points = {
    mark: { type: "point", filled: true, size: 50 },
    encoding: {
      x,
      y: { field: options.y, type: "quantitative", title: options.yTitle ?? options.y, scale: { zero: false } },
      color,
      ...(options.shape ? { shape: { field: options.shape, type: "nominal" } } : {}),
    },
  };
  const layer = options.error
    ? {
      layer: [
        {
          mark: { type: "rule", opacity: 0.6 },
          transform: [{ calculate: `datum.${options.y} - datum.${options.error}`, as: "low" }, { calculate: `datum.${options.y} + datum.${options.error}`, as: "high" }],
          encoding: { x, y: { field: "low", type: "quantitative", title: options.yTitle ?? options.y, scale: { zero: false } }, y2: { field: "high" }, color },
        },
        points,
      ],
    }
    : points;
  if (options.facet) {
    return {
      ...base,
      title: options.title,
      data: { values },
      facet: { field: options.facet, type: "nominal", title: null, header: { labelLimit: 400 } },
      columns: 3,
      spec: { width: 220, height: 160, ...layer },
      resolve: { scale: { y: "independent" } },
    };
  }
  return { ...base, title: options.title, data: { values }, width: 420, height: 260, ...layer };
}
