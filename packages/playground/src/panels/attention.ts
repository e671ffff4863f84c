/**
 * Panel 3, fractal attention: choose the factors A₁ … A_k, see softmax(A₁ ⊗ … ⊗ A_k) beside the
 * factored softmax(A₁) ⊗ … ⊗ softmax(A_k) that @fcn/nn's "factored" path computes, and their difference.
 */
import type { ComputeClient } from "../client.js";
import type { AttentionRequest, AttentionResult, FactorKind } from "../compute/attention.js";
import { latestWins } from "../ui/latest.js";
import { drawGrid, prepare, viridis } from "../draw/canvas.js";
import { formatNumber } from "../draw/chart.js";
import { Busy } from "../ui/busy.js";
import { debounce, el, labelled, numberInput, select } from "../ui/dom.js";

export function attentionPanel(root: HTMLElement, client: ComputeClient): void {
  const count = select([["2", "2 factors"], ["3", "3 factors"], ["4", "4 factors"], ["5", "5 factors"]], "3");
  const size = select([["2", "2 × 2"], ["3", "3 × 3"], ["4", "4 × 4"]], "4");
  const kind = select([["random", "random N(0, 1) scores"], ["sierpinski", "Sierpinski pattern (i AND j = 0)"], ["banded", "banded (1 − |i − j|/(m − 1))"]], "random");
  const scale = numberInput(1, { min: 0, max: 20, step: 0.1 });
  const seed = numberInput(3, { step: 1 });
  const busy = new Busy(el("div"));
  const status = el("p", { class: "note", "aria-live": "polite" });
  const exact = el("canvas", { class: "square", role: "img", "aria-label": "softmax of the Kronecker product" });
  const factored = el("canvas", { class: "square", role: "img", "aria-label": "factored softmax approximation" });
  const difference = el("canvas", { class: "square", role: "img", "aria-label": "absolute difference" });
  const errors = el("div", { class: "metrics", "aria-live": "polite" });

  root.append(
    el("h2", { text: "Fractal attention" }),
    el("p", { class: "lead", text: "Attention scores that are a Kronecker product of small factors. The row softmax of the product (left) is what " +
      "the materialized path computes; the factored path (middle) takes softmax of each factor and multiplies them, never " +
      "forming N × N scores. They agree when scores add across factors and differ when they multiply: the error is on " +
      "the right." }),
    el("div", { class: "controls" }, labelled("number of factors k", count), labelled("factor size m", size), labelled("factor scores", kind),
      labelled("score scale (inverse temperature)", scale), labelled("seed", seed), busy.element),
    errors, status,
    el("div", { class: "cards" },
      el("figure", {}, el("figcaption", { text: "softmax(A₁ ⊗ … ⊗ A_k)" }), exact),
      el("figure", {}, el("figcaption", { text: "softmax(A₁) ⊗ … ⊗ softmax(A_k)" }), factored),
      el("figure", {}, el("figcaption", { text: "|difference| (own colour scale)" }), difference),
    ),
  );

  let last: AttentionResult | undefined;
  const render = (r: AttentionResult) => {
    const top = Math.max(...r.exact, ...r.factored);
    for (const [canvas, values, max] of [[exact, r.exact, top], [factored, r.factored, top]] as const) {
      const { ctx, width } = prepare(canvas, 1);
      drawGrid(ctx, values, r.n, r.n, (v) => viridis(Math.sqrt(v / max)), 0, 0, width, width);
    }
    const diff = r.exact.map((v, i) => Math.abs(v - r.factored[i]));
    const { ctx, width } = prepare(difference, 1);
    drawGrid(ctx, diff, r.n, r.n, (v) => viridis(r.maxError > 0 ? v / r.maxError : 0), 0, 0, width, width);
    errors.replaceChildren(
      ...[["N", String(r.n)], ["relative Frobenius error", formatNumber(r.relativeError)], ["max |difference|", formatNumber(r.maxError)],
        ["largest weight", formatNumber(top)]].map(([k, v]) => el("span", {}, `${k} `, el("b", { text: v }))),
    );
    root.dataset.relativeError = String(r.relativeError);
  };

  const compute = latestWins(root, status, () => {
    const request: AttentionRequest = {
      sizes: Array.from({ length: Number(count.value) }, () => Number(size.value)),
      kind: kind.value as FactorKind, scale: Number(scale.value) || 0, seed: Math.floor(Number(seed.value) || 0),
    };
    return busy.run((progress) => client.request("attention", request, { onProgress: progress })).then((result) => ({ request, result }));
  }, ({ request, result }) => {
    last = result;
    status.textContent = `Colour: √(weight / largest weight), shared by the first two maps. Factors of size ${request.sizes.join(" × ")}.`;
    render(result);
  });
  const schedule = debounce(() => void compute(), 250);
  for (const control of [count, size, kind, scale, seed]) control.addEventListener("input", schedule);
  window.addEventListener("resize", debounce(() => last && render(last), 200));
  void compute();
}
