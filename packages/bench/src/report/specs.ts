/** Small vega-lite spec builders for the report's plots (data inline, rendered to SVG by vega). */

type Row = Record<string, string | number>;

const base = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", background: "white" } as const;

/** Lines of y against x, one per `series` value. */
export function lineSpec(values: Row[], options: { x: string; y: string; series: string; title: string; xTitle?: string; yTitle?: string; logY?: boolean; facet?: string; width?: number }): Record<string, unknown> {
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

/** Grouped bars of `y` per `group`, coloured by `series`, with optional error bars from `error`. */
export function barSpec(values: Row[], options: { group: string; series: string; y: string; error?: string; title: string; yTitle?: string }): Record<string, unknown> {
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
      mark: { type: "errorbar" },
      transform: [{ calculate: `datum.${options.y} - datum.${options.error}`, as: "low" }, { calculate: `datum.${options.y} + datum.${options.error}`, as: "high" }],
      encoding: { x: { field: options.series, type: "nominal" }, y: { field: "low", type: "quantitative" }, y2: { field: "high" } },
    });
  }
  return { ...base, title: options.title, data: { values }, facet: { column: { field: options.group, type: "nominal", title: null } }, spec: { width: 120, height: 220, layer: layers } };
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

/** Points of y against x coloured by series, optionally faceted, with a log x axis. */
export function scatterSpec(values: Row[], options: { x: string; y: string; series: string; title: string; facet?: string; logX?: boolean; shape?: string }): Record<string, unknown> {
  const layer = {
    mark: { type: "point", filled: true, size: 50 },
    encoding: {
      x: { field: options.x, type: "quantitative", ...(options.logX ? { scale: { type: "log" } } : {}) },
      y: { field: options.y, type: "quantitative", scale: { zero: false } },
      color: { field: options.series, type: "nominal" },
      ...(options.shape ? { shape: { field: options.shape, type: "nominal" } } : {}),
    },
  };
  if (options.facet) {
    return { ...base, title: options.title, data: { values }, facet: { field: options.facet, type: "nominal" }, columns: 3, spec: { width: 220, height: 160, ...layer }, resolve: { scale: { y: "independent" } } };
  }
  return { ...base, title: options.title, data: { values }, width: 420, height: 260, ...layer };
}
