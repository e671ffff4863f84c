/**
 * Panel 1, the Kronecker graph explorer: edit K₀ and k, see the adjacency pattern, the spectrum
 * from the factors as a staircase (with dense eigenvalues beside it for small graphs), density,
 * diameter and degree counts for both readings of the seed's construction.
 */
import type { Spectrum } from "@fcn/kron";
import type { ComputeClient } from "../client.js";
import type { ExploreResult, Outcome } from "../compute/explore.js";
import { latestWins } from "../ui/latest.js";
import { blues, drawGrid, prepare } from "../draw/canvas.js";
import { type Hit, attachHover, drawChart, formatNumber } from "../draw/chart.js";
import { Busy } from "../ui/busy.js";
import { debounce, el, labelled, numberInput, select } from "../ui/dom.js";

const PRESETS: Record<string, number[][]> = {
  sierpinski: [[1, 1], [1, 0]],
  complete2: [[0, 1], [1, 0]],
  loops2: [[1, 1], [1, 1]],
  path3: [[0, 1, 0], [1, 0, 1], [0, 1, 0]],
  star3: [[1, 1, 1], [1, 0, 0], [1, 0, 0]],
  triangle3: [[0, 1, 1], [1, 0, 1], [1, 1, 0]],
};

const READINGS = [
  ["binarizedPower", "binarized power (K₀⊗ᵏ, then loops removed)"],
  ["loopFreeInitiator", "loop-free initiator (loops removed from K₀ first)"],
] as const;

/** Sorted values with multiplicities merged at a relative tolerance. */
function merge(values: readonly number[]): { value: number; multiplicity: number }[] {
  const out: { value: number; multiplicity: number }[] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && Math.abs(v - last.value) <= 1e-8 * Math.max(1, Math.abs(v))) last.multiplicity++;
    else out.push({ value: v, multiplicity: 1 });
  }
  return out;
}

function staircase(spectrum: Spectrum, nodes: number) {
  let count = 0;
  const points = [{ x: spectrum[0].value, y: 0, label: "" }];
  for (const e of spectrum) {
    count += e.multiplicity;
    points.push({ x: e.value, y: count / nodes, label: `λ = ${formatNumber(e.value)} ×${e.multiplicity.toLocaleString("en")}, N(λ)/N = ${formatNumber(count / nodes)}` });
  }
  return points;
}

const reasonOf = (o: Outcome<unknown>) => (o.ok ? "" : o.reason);

export function explorerPanel(root: HTMLElement, client: ComputeClient): void {
  const size = select([["2", "2 × 2"], ["3", "3 × 3"]], "2");
  const preset = select([
    ["", "preset…"], ["sierpinski", "Sierpinski [[1,1],[1,0]]"], ["complete2", "K₂ [[0,1],[1,0]]"], ["loops2", "all ones 2×2"],
    ["path3", "path P₃"], ["star3", "star with a loop"], ["triangle3", "triangle K₃"],
  ], "");
  const symmetric = el("input", { type: "checkbox", checked: true });
  const k = numberInput(8, { min: 1, max: 40, step: 1 });
  const reading = select(READINGS, "binarizedPower");
  const matrix = el("div", { class: "matrix", role: "group", "aria-label": "initiator K₀ entries" });
  const busy = new Busy(el("div"));
  const status = el("p", { class: "note", "aria-live": "polite" });
  const statsTable = el("table", { class: "stats", "aria-label": "graph statistics" });
  const pattern = el("canvas", { class: "square", role: "img", "aria-label": "adjacency pattern" });
  const patternNote = el("p", { class: "note" });
  const stairs = el("canvas", { role: "img", "aria-label": "spectral staircase" });
  const stairsNote = el("p", { class: "note" });
  const spectrumTable = el("table", { class: "spectrum", id: "power-spectrum", "aria-label": "spectrum of K₀ to the k-th Kronecker power" });
  const degrees = el("canvas", { role: "img", "aria-label": "degree distribution" });
  let cells: HTMLInputElement[] = [];
  let values: number[][] = PRESETS.sierpinski.map((r) => [...r]);

  const buildMatrix = () => {
    const m = values.length;
    matrix.style.gridTemplateColumns = `repeat(${m}, 3.2em)`;
    cells = [];
    matrix.replaceChildren();
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const cell = numberInput(values[i][j], { step: "any", "aria-label": `K₀ row ${i + 1} column ${j + 1}` });
        cell.addEventListener("input", () => {
          const v = Number(cell.value);
          if (!Number.isFinite(v)) return;
          values[i][j] = v;
          if (symmetric.checked && i !== j) {
            values[j][i] = v;
            cells[j * m + i].value = String(v);
          }
          schedule();
        });
        cells.push(cell);
        matrix.append(cell);
      }
    }
  };

  size.addEventListener("change", () => {
    const m = Number(size.value);
    values = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => values[i]?.[j] ?? 0));
    if (m === 3 && Number(k.value) > 7) k.value = "6";
    buildMatrix();
    schedule();
  });
  preset.addEventListener("change", () => {
    const p = PRESETS[preset.value];
    if (!p) return;
    values = p.map((r) => [...r]);
    size.value = String(p.length);
    preset.value = "";
    buildMatrix();
    schedule();
  });
  k.addEventListener("input", () => schedule());
  reading.addEventListener("change", () => schedule());

  const controls = el("div", { class: "controls" },
    labelled("initiator size", size), labelled("preset", preset),
    el("div", { class: "field" }, el("span", { text: "K₀" }), matrix),
    labelled("keep K₀ symmetric", symmetric), labelled("power k", k), labelled("reading of the seed", reading), busy.element,
  );
  root.append(
    el("h2", { text: "Kronecker graph explorer" }),
    el("p", { class: "lead", text: "A graph whose adjacency is a Kronecker power of a small initiator K₀. The spectrum comes from the factors' eigenvalues " +
      "(products, multiplicities multiplied); small graphs also get a dense eigensolver beside it." }),
    controls, status,
    el("div", { class: "cards" },
      el("figure", {}, el("figcaption", { text: "Adjacency pattern (dark = edge; blocks of nodes averaged above 512 nodes)" }), pattern, patternNote),
      el("figure", {}, el("figcaption", { text: "Spectral staircase N(λ)/N" }), stairs, stairsNote),
      el("figure", {}, el("figcaption", { text: "Statistics of both readings" }), statsTable),
      el("figure", {}, el("figcaption", { text: "Degree distribution (closed form, any k)" }), degrees),
      el("figure", { class: "wide" }, el("figcaption", { text: "Spectrum of K₀⊗ᵏ: from the factors, and dense" }), spectrumTable),
    ),
  );
  let stairHits: Hit[] = [];
  let degreeHits: Hit[] = [];
  attachHover(stairs, () => stairHits);
  attachHover(degrees, () => degreeHits);
  buildMatrix();

  let last: ExploreResult | undefined;
  const compute = latestWins(root, status, () => {
    const kv = Math.floor(Number(k.value));
    if (!(kv >= 1 && kv <= 40)) {
      status.textContent = "k must be an integer from 1 to 40.";
      return undefined;
    }
    const request = { initiator: values.map((r) => [...r]), k: kv, variant: reading.value as ExploreResult["variant"] };
    return busy.run((progress) => client.request("explore", request, { onProgress: progress }));
  }, (result) => {
    last = result;
    status.textContent = `N = ${result.nodes.toLocaleString("en")} nodes; computed in ${result.ms.toFixed(0)} ms in a worker.`;
    render(result);
  });
  const schedule = debounce(() => void compute(), 250);

  const render = (r: ExploreResult) => {
    // Adjacency pattern.
    const { ctx, width } = prepare(pattern, 1);
    if (r.pattern.ok) {
      const max = Math.max(...r.pattern.value.cells, 1e-12);
      drawGrid(ctx, r.pattern.value.cells, r.pattern.value.size, r.pattern.value.size, (v) => blues(Math.sqrt(v / max)), 0, 0, width, width);
      const drawn = r.pattern.value.size < r.nodes ? `, drawn at ${r.pattern.value.size} × ${r.pattern.value.size}` : "";
      patternNote.textContent = `${r.nodes.toLocaleString("en")} × ${r.nodes.toLocaleString("en")}${drawn}`;
    } else patternNote.textContent = `Not drawn: ${r.pattern.reason}.`;
    pattern.dataset.drawn = String(r.pattern.ok);

    // Staircase: K₀⊗ᵏ, the graph from the factors, and the dense eigenvalues.
    const series = [];
    if (r.powerSpectrum.ok) series.push({ name: "K₀⊗ᵏ (factors)", color: "#9aa4b1", style: "step" as const, points: staircase(r.powerSpectrum.value, r.nodes), width: 3 });
    if (r.graphSpectrum.ok) series.push({ name: "graph (factors)", color: "#2962ba", style: "step" as const, points: staircase(r.graphSpectrum.value, r.nodes) });
    if (r.graphDense.ok) {
      const n = r.graphDense.value.length;
      const stride = Math.max(1, Math.floor(n / 400));
      series.push({
        name: "graph (dense eigvalsh)", color: "#e67e22", style: "dots" as const, width: 2,
        points: r.graphDense.value.flatMap((v, i) => (i % stride === 0 || i === n - 1 ? [{ x: v, y: (i + 1) / n, label: `λ${i + 1} = ${formatNumber(v)}` }] : [])),
      });
    }
    stairHits = drawChart(stairs, { xLabel: "λ (asinh scale)", yLabel: "N(λ) / N", series, yDomain: [0, 1.02], xAsinh: true });
    stairsNote.textContent = [
      "Grey: K₀⊗ᵏ; blue: the chosen reading's graph from the factors; orange: its dense eigenvalues.",
      r.graphSpectrum.ok ? "" : `Graph from the factors: ${reasonOf(r.graphSpectrum)}.`,
      r.graphDense.ok ? "" : `Dense: ${reasonOf(r.graphDense)}.`,
    ].filter(Boolean).join(" ");

    // Statistics of both readings.
    const row = (name: string, f: (s: NonNullable<Extract<ExploreResult["stats"]["binarizedPower"], { ok: true }>["value"]>) => string) =>
      el("tr", {}, el("th", { scope: "row", text: name }), ...READINGS.map(([key]) => {
        const s = r.stats[key];
        return el("td", { text: s.ok ? f(s.value) : "—", title: s.ok ? "" : s.reason });
      }));
    const d = r.diameter;
    statsTable.replaceChildren(
      el("thead", {}, el("tr", {}, el("th", { text: "" }), ...READINGS.map(([key, text]) => el("th", { scope: "col", text: text.split(" (")[0] + (key === r.variant ? " ●" : "") })))),
      el("tbody", {},
        row("nodes N", (s) => s.nodes.toLocaleString("en")),
        row("stored entries", (s) => s.storedEntries.toLocaleString("en")),
        row("edges", (s) => (s.edges === null ? "directed" : s.edges.toLocaleString("en"))),
        row("density", (s) => formatNumber(s.density)),
        row("distinct degrees", (s) => String(s.degreeDistribution.length)),
        el("tr", {}, el("th", { scope: "row", text: "diameter (●)" }), el("td", {
          colspan: 2,
          text: !d.ok ? `not computed: ${d.reason}` : d.value.connected ? String(d.value.diameter)
            : `∞ (disconnected; largest component: ${d.value.largestComponentSize} nodes, diameter ${d.value.largestComponent})`,
        })),
      ),
    );

    // Degree distribution of the chosen reading.
    const stats = r.stats[r.variant];
    degreeHits = stats.ok
      ? drawChart(degrees, {
        xLabel: "degree", yLabel: "nodes (log)", yLog: true,
        series: [{
          name: "nodes",
          color: "#2962ba",
          style: "bars",
          points: stats.value.degreeDistribution.map((e) => ({ x: e.value, y: e.multiplicity, label: `degree ${e.value}: ${e.multiplicity.toLocaleString("en")} nodes` })),
        }],
      })
      : [];

    // The spectrum of K₀⊗ᵏ as a table: factors beside dense.
    const dense = r.powerDense.ok ? merge(r.powerDense.value) : [];
    spectrumTable.replaceChildren();
    if (r.powerSpectrum.ok) {
      const spectrum = r.powerSpectrum.value;
      spectrumTable.dataset.spectrum = JSON.stringify(spectrum.map((e) => [e.value, e.multiplicity]));
      spectrumTable.dataset.k = String(r.k);
      spectrumTable.dataset.initiator = JSON.stringify(values);
      const shown = spectrum.length > 40 ? [...spectrum.slice(0, 20), null, ...spectrum.slice(-20)] : spectrum;
      spectrumTable.append(
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "eigenvalue (factors)" }), el("th", { scope: "col", text: "multiplicity" }),
          el("th", { scope: "col", text: "dense eigenvalue" }), el("th", { scope: "col", text: "dense multiplicity" }))),
        el("tbody", {}, ...shown.map((e) => {
          if (!e) return el("tr", {}, el("td", { colspan: 4, text: `… ${spectrum.length - 40} more distinct values …` }));
          const match = dense.find((x) => Math.abs(x.value - e.value) <= 1e-8 * Math.max(1, Math.abs(e.value)));
          return el("tr", {}, el("td", { text: e.value.toPrecision(12) }), el("td", { text: e.multiplicity.toLocaleString("en") }),
            el("td", { text: match ? match.value.toPrecision(12) : "—" }), el("td", { text: match ? String(match.multiplicity) : "—" }));
        })),
        el(
          "caption",
          {
            text: `${spectrum.length} distinct values, ${r.nodes.toLocaleString("en")} in all.` +
              (r.powerDense.ok ? " Dense: eigvalsh of the materialized power." : ` Dense: ${reasonOf(r.powerDense)}.`),
          },
        ),
      );
    } else {
      delete spectrumTable.dataset.spectrum;
      spectrumTable.append(el("caption", { text: `No spectrum from the factors: ${r.powerSpectrum.reason}` }));
    }
  };

  window.addEventListener("resize", debounce(() => last && render(last), 200));
  void compute();
}
