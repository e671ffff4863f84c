/** Renders a vega-lite spec to SVG with vega's headless view (no browser, no canvas). */
import * as vega from "vega";
import * as vl from "vega-lite";

/** vega-lite spec → SVG text. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
