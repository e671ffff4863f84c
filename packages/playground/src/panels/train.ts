/**
 * Panel 2, training live: one of four models on a 2-D data set, with the loss curve and the
 * decision boundary redrawn every few steps, the parameter counts, and the device it runs on.
 */
import type { ComputeClient } from "../client.js";
import { DATASETS, type DatasetName, MODEL_LABELS, type ModelName } from "../compute/choices.js";
import type { TrainRequest, TrainUpdate } from "../compute/train.js";
import { diverging, drawGrid, prepare } from "../draw/canvas.js";
import { type Hit, attachHover, drawChart, formatNumber } from "../draw/chart.js";
import { Busy } from "../ui/busy.js";
import { el, labelled, numberInput, select } from "../ui/dom.js";

export function trainPanel(root: HTMLElement, client: ComputeClient): void {
  const model = select(Object.entries(MODEL_LABELS).map(([k, v]) => [k, v] as const), "dense");
  const data = select(Object.entries(DATASETS).map(([k, v]) => [k, v.label] as const), "moons");
  const steps = numberInput(400, { min: 1, max: 20000, step: 1 });
  const lr = numberInput(0.02, { min: 0.0001, max: 1, step: "any" });
  const seed = numberInput(1, { step: 1 });
  const every = numberInput(20, { min: 1, max: 1000, step: 1 });
  const device = select([["auto", "WebGPU if the browser has it"], ["cpu", "CPU"]], "auto");
  const start = el("button", { class: "primary", type: "button", text: "Train" });
  const stop = el("button", { class: "secondary", type: "button", text: "Stop", disabled: true });
  const busy = new Busy(el("div"));
  const deviceLine = el("p", { class: "device", "aria-live": "polite", text: "Device: chosen when training starts (WebGPU when the browser offers it, else the CPU)." });
  const metrics = el("div", { class: "metrics", "aria-live": "polite" });
  const boundary = el("canvas", { class: "square", id: "boundary", role: "img", "aria-label": "decision boundary and training points" });
  const lossCanvas = el("canvas", { id: "loss-curve", role: "img", "aria-label": "training loss curve" });
  const status = el("p", { class: "note", "aria-live": "polite" });

  root.append(
    el("h2", { text: "Train live" }),
    el("p", { class: "lead", text: "Adam on mini-batches of 64 from 512 standardized points, binary cross-entropy on one logit. The background is " +
      "the model's probability of class 1 (orange 0, blue 1), recomputed on a grid as it trains; dots are the training " +
      "points (white: class 0, dark: class 1)." }),
    el("div", { class: "controls" },
      labelled("model", model), labelled("data set", data), labelled("steps", steps), labelled("learning rate", lr),
      labelled("seed", seed), labelled("update every (steps)", every), labelled("device", device), start, stop, busy.element),
    deviceLine, metrics, status,
    el("div", { class: "cards" },
      el("figure", {}, el("figcaption", { text: "Decision boundary" }), boundary),
      el("figure", {}, el("figcaption", { text: "Training loss (mini-batch)" }), lossCanvas),
    ),
  );

  let lossHits: Hit[] = [];
  attachHover(lossCanvas, () => lossHits);
  let points: { x: Float32Array; y: Int32Array } | undefined;
  let losses: number[] = [];
  let latest: TrainUpdate | undefined;

  const drawBoundary = (u: TrainUpdate) => {
    const { ctx, width } = prepare(boundary, 1);
    const g = u.grid;
    drawGrid(ctx, g.probabilities, g.size, g.size, diverging, 0, 0, width, width);
    if (!points) return;
    const [x0, x1, y0, y1] = g.bounds;
    for (let i = 0; i < points.y.length; i++) {
      const px = ((points.x[2 * i] - x0) / (x1 - x0)) * width;
      const py = (1 - (points.x[2 * i + 1] - y0) / (y1 - y0)) * width;
      ctx.beginPath();
      ctx.arc(px, py, width > 360 ? 2.6 : 2, 0, 2 * Math.PI);
      // Class 1 dark filled, class 0 white filled: readable on either side of the boundary.
      ctx.fillStyle = points.y[i] ? "#071633" : "#ffffff";
      ctx.strokeStyle = points.y[i] ? "#c9d8f2" : "#5a2a05";
      ctx.lineWidth = 0.5;
      ctx.fill();
      ctx.stroke();
    }
  };

  const drawLoss = () => {
    const smooth: { x: number; y: number; label: string }[] = [];
    let avg = losses[0] ?? 0;
    losses.forEach((v, i) => {
      avg = i === 0 ? v : 0.9 * avg + 0.1 * v;
      smooth.push({ x: i + 1, y: avg, label: `step ${i + 1}: loss ${formatNumber(v)} (smoothed ${formatNumber(avg)})` });
    });
    lossHits = drawChart(lossCanvas, {
      xLabel: "step", yLabel: "loss", yLog: true,
      series: [
        { name: "loss", color: "#b8c7e0", style: "line", points: losses.map((v, i) => ({ x: i + 1, y: v })), width: 1 },
        { name: "smoothed", color: "#2962ba", style: "line", points: smooth, width: 2 },
      ],
    });
    lossCanvas.dataset.losses = JSON.stringify(losses);
  };

  const onUpdate = (u: TrainUpdate) => {
    if (u.points) points = u.points;
    losses.push(...u.losses);
    latest = u;
    busy.update(u.step / u.steps, `step ${u.step} of ${u.steps}`);
    deviceLine.textContent = `Training on ${u.device.device === "webgpu" ? "WebGPU" : "the CPU"}: ${u.device.why}.`;
    root.dataset.device = u.device.device;
    metrics.replaceChildren(
      ...[
        ["step", `${u.step} / ${u.steps}`],
        ["loss", formatNumber(u.losses[u.losses.length - 1])],
        ["train accuracy", `${(100 * u.accuracy).toFixed(1)}%`],
        ["learned parameters", u.params.raw.toLocaleString("en")],
        ["effective", u.params.effective.toLocaleString("en")],
        ["fixed", u.params.fixed.toLocaleString("en")],
        ["ms / step", u.msPerStep.toFixed(1)],
      ].map(([k, v]) => el("span", {}, `${k} `, el("b", { text: v }))),
    );
    drawBoundary(u);
    boundary.dataset.updates = String(Number(boundary.dataset.updates ?? 0) + 1);
    drawLoss();
  };

  // Errors are caught inside, so the promise the click handler drops never rejects.
  const train = async (): Promise<void> => {
    const request: TrainRequest = {
      model: model.value as ModelName, dataset: data.value as DatasetName,
      steps: Math.max(1, Math.floor(Number(steps.value) || 1)), lr: Number(lr.value) || 0.02,
      seed: Math.floor(Number(seed.value) || 0), device: device.value as TrainRequest["device"],
      every: Math.max(1, Math.floor(Number(every.value) || 10)), grid: 64,
    };
    points = undefined;
    losses = [];
    boundary.dataset.updates = "0";
    start.disabled = true;
    stop.disabled = false;
    root.dataset.state = "training";
    status.textContent = "";
    try {
      const final = await busy.run(() => client.request("train", request, { onUpdate }));
      status.textContent = `Finished at step ${final.step}: loss ${formatNumber(losses[0])} → ${formatNumber(losses[losses.length - 1])}.`;
      root.dataset.state = "done";
    } catch (error) {
      status.textContent = `Error: ${(error as Error).message}`;
      root.dataset.state = "error";
    } finally {
      start.disabled = false;
      stop.disabled = true;
    }
  };
  start.addEventListener("click", () => void train());
  stop.addEventListener("click", () => void client.request("stop", {}));
  window.addEventListener("resize", () => {
    if (latest) drawBoundary(latest);
    if (losses.length) drawLoss();
  });
}
