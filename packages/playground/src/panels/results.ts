/**
 * Panel 4, the results viewer: open a results folder of fcn-bench records (or pick record
 * files) and explore the report's comparisons: per experiment and metric, mean ± sd over seeds
 * for each family, the published figure beside it, hover for values, families toggled.
 */
import { PALETTE } from "../draw/canvas.js";
import { type Hit, type Series, attachHover, drawChart, formatNumber } from "../draw/chart.js";
import { DEFAULT_METRIC, publishedValue } from "../results/published.js";
import { type BenchRecord, type Grouping, groupingOf, parseRecords, summarize, summarizeCurves } from "../results/records.js";
import { Busy } from "../ui/busy.js";
import { debounce, el, labelled, select } from "../ui/dom.js";

const PUBLISHED = "published (seed)";

export function resultsPanel(root: HTMLElement): void {
  const folder = el("input", { type: "file", webkitdirectory: true, multiple: true, "aria-label": "results folder" });
  const files = el("input", { type: "file", multiple: true, accept: ".json,application/json", "aria-label": "record files" });
  const busy = new Busy(el("div"));
  const summary = el("p", { class: "note", "aria-live": "polite", text: "No records loaded. Choose the folder a sweep wrote (e.g. packages/bench/results/), or some of its record files." });
  const experiment = select([], "");
  const metric = select([], "");
  const legend = el("div", { class: "legend", role: "group", "aria-label": "families shown" });
  const chart = el("canvas", { id: "results-chart", role: "img", "aria-label": "results plot" });
  const table = el("table", { "aria-label": "results table" });
  const view = el("div", { hidden: true },
    el("div", { class: "controls" }, labelled("experiment", experiment), labelled("metric", metric)),
    legend,
    el("div", { class: "cards" }, el("figure", { class: "wide" }, chart), el("figure", { class: "wide" }, table)),
  );
  root.append(
    el("h2", { text: "Results viewer" }),
    el("p", { class: "lead", text: "The records of an fcn-bench sweep, read in your browser (nothing is uploaded): our mean ± standard deviation over " +
      "seeds beside the seeds' published figures (hollow diamonds)." }),
    el("div", { class: "controls" }, labelled("open a results folder", folder), labelled("or record files", files), busy.element),
    summary, view,
  );

  let records: BenchRecord[] = [];
  let hidden = new Set<string>();
  let hits: Hit[] = [];
  attachHover(chart, () => hits);

  const load = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    root.dataset.state = "loading";
    const chosen = [...list].filter((f) => f.name.endsWith(".json"));
    const parsed = await busy.run(async (progress) => {
      const texts: { name: string; text: string }[] = [];
      for (let i = 0; i < chosen.length; i++) {
        texts.push({ name: chosen[i].webkitRelativePath || chosen[i].name, text: await chosen[i].text() });
        if (i % 50 === 0) progress(i / chosen.length, `reading ${i} of ${chosen.length} files`);
      }
      return parseRecords(texts);
    });
    records = parsed.records;
    const experiments = [...new Set(records.map((r) => r.experiment))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    summary.textContent = `${records.length} records in ${experiments.length} experiment${experiments.length === 1 ? "" : "s"}` +
      (parsed.skipped.length ? `; ${parsed.skipped.length} file(s) skipped (${parsed.skipped[0].name}: ${parsed.skipped[0].reason}${parsed.skipped.length > 1 ? ", …" : ""})` : "") + ".";
    experiment.replaceChildren(...experiments.map((e) => el("option", { value: e, text: e })));
    view.hidden = records.length === 0;
    if (records.length) chooseExperiment();
    root.dataset.state = "ready";
  };
  folder.addEventListener("change", () => void load(folder.files));
  files.addEventListener("change", () => void load(files.files));

  let grouping: Grouping | undefined;
  let current: BenchRecord[] = [];
  const chooseExperiment = () => {
    current = records.filter((r) => r.experiment === experiment.value);
    grouping = groupingOf(current);
    const metrics = [...grouping.scalarMetrics, ...grouping.curveMetrics.map((m) => `${m} (curve)`)];
    metric.replaceChildren(...metrics.map((m) => el("option", { value: m, text: m })));
    const preferred = DEFAULT_METRIC[experiment.value];
    metric.value = metrics.includes(preferred) ? preferred : metrics.find((m) => /score|accuracy/.test(m)) ?? metrics[0] ?? "";
    hidden = new Set();
    render();
  };
  experiment.addEventListener("change", chooseExperiment);
  metric.addEventListener("change", () => render());

  const colorOf = (family: string) => PALETTE[Math.max(0, grouping!.families.indexOf(family)) % PALETTE.length];

  const renderLegend = (names: string[]) => {
    legend.replaceChildren(...names.map((name) => {
      const box = el("input", { type: "checkbox", checked: !hidden.has(name) });
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(name);
        else hidden.add(name);
        render();
      });
      const swatch = el("span", { class: "swatch" });
      swatch.style.background = name === PUBLISHED ? "transparent" : colorOf(name);
      if (name === PUBLISHED) swatch.style.border = "2px solid #222";
      return el("label", {}, box, swatch, name);
    }));
  };

  const render = () => {
    if (!grouping) return;
    const g = grouping;
    const name = metric.value;
    if (name.endsWith(" (curve)")) {
      const m = name.slice(0, -8);
      const curves = summarizeCurves(current, g, m);
      const series: Series[] = curves.filter((c) => !hidden.has(c.family)).slice(0, 24).map((c) => ({
        name: `${c.family}${g.groups.length > 1 ? ` · ${c.group}` : ""}`, color: colorOf(c.family), style: "line",
        points: c.mean.map((y, i) => ({ x: i + 1, y, label: `step ${i + 1}: ${formatNumber(y)} (mean of ${c.n})` })),
      }));
      renderLegend(g.families);
      hits = drawChart(chart, { xLabel: "epoch / step", yLabel: m, series, aspect: 0.45 });
      table.replaceChildren(el("caption", { text: `Mean curve over seeds per family and group (${curves.length} curves${curves.length > 24 ? ", first 24 drawn" : ""}).` }));
      return;
    }
    const cells = summarize(current, g, name);
    const families = g.families.filter((f) => cells.some((c) => c.family === f));
    const groups = g.groups.filter((x) => cells.some((c) => c.group === x));
    const shown = families.filter((f) => !hidden.has(f));
    const width = 0.7 / Math.max(1, shown.length);
    const offset = (f: string) => (shown.indexOf(f) - (shown.length - 1) / 2) * width;
    const published = cells.map((c) => ({ c, p: publishedValue(experiment.value, c.family, c.config, name) })).filter((x) => x.p !== undefined);
    const series: Series[] = shown.map((f) => ({
      name: f, color: colorOf(f), style: "dots", width: 4,
      points: cells.filter((c) => c.family === f).map((c) => ({
        x: groups.indexOf(c.group) + offset(f), y: c.mean, lo: c.mean - c.sd, hi: c.mean + c.sd,
        label: `${c.group}: ${formatNumber(c.mean)} ± ${formatNumber(c.sd)} (n = ${c.n}${c.failed ? `, ${c.failed} failed` : ""})`,
      })),
    }));
    if (published.length && !hidden.has(PUBLISHED)) {
      series.push({
        name: PUBLISHED, color: "#222", style: "diamond",
        points: published.filter((x) => shown.includes(x.c.family)).map(({ c, p }) => ({
          x: groups.indexOf(c.group) + offset(c.family),
          y: p!,
          label: `${c.family} · ${c.group}: ${formatNumber(p!)}`,
        })),
      });
    }
    renderLegend(published.length ? [...families, PUBLISHED] : families);
    hits = drawChart(chart, { xLabel: g.groupKeys.join(" · ") || "", yLabel: name, categories: groups, series, aspect: 0.45 });
    chart.dataset.points = String(series.reduce((s, x) => s + x.points.length, 0));
    table.replaceChildren(
      el("thead", {}, el("tr", {}, ...["group", "family", "n", "mean", "sd", "published"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...cells
        .filter((c) => !hidden.has(c.family))
        .sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group) || families.indexOf(a.family) - families.indexOf(b.family))
        .map((c) => {
          const p = publishedValue(experiment.value, c.family, c.config, name);
          return el("tr", {}, el("td", { text: c.group }), el("td", { text: c.family }), el("td", { text: String(c.n) }),
            el("td", { text: formatNumber(c.mean) }), el("td", { text: formatNumber(c.sd) }), el("td", { text: p === undefined ? "" : formatNumber(p) }));
        })),
    );
  };
  window.addEventListener("resize", debounce(render, 200));
}
