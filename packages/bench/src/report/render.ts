/**
 * Renders a vega-lite spec to SVG with vega's headless view (no browser, no canvas).
 *
 * vega and vega-lite are loaded here, on the first render, with a dynamic `import()`: vega's ESM
 * build uses top-level await, so a static import would make `require("@fcn/bench")` fail with
 * ERR_REQUIRE_ASYNC_MODULE. Nothing else in the package imports them.
 */

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

let plotting: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

/** vega and vega-lite, imported once. */
function loadPlotting(): Promise<{ vega: Vega; vl: VegaLite }> {
  plotting ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({ vega, vl }));
  return plotting;
}

/** vega-lite spec → SVG text. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const { vega, vl } = await loadPlotting();
  const compiled = vl.compile(spec as unknown as import("vega-lite").TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
