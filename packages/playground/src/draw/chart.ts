/**
 * A small chart: linear axes with ticks, series drawn as lines, steps, dots, diamonds or error
 * bars, and hover read-outs. Enough for loss curves, spectral staircases and the report's plots.
 */
import { prepare } from "./canvas.js";

export interface Point {
  readonly x: number;
  readonly y: number;
  readonly lo?: number;
  readonly hi?: number;
  /** Hover text; defaults to the coordinates. */
  readonly label?: string;
}

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly style: "line" | "step" | "dots" | "diamond" | "bars";
  readonly points: readonly Point[];
  readonly width?: number;
}

export interface ChartSpec {
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Category names at x = 0, 1, …; the x axis then shows them instead of numbers. */
  readonly categories?: readonly string[];
  readonly yLog?: boolean;
  /** x drawn as asinh(x): linear near 0, logarithmic far out (spectra with one large eigenvalue). */
  readonly xAsinh?: boolean;
  /** Forced y range. */
  readonly yDomain?: [number, number];
  readonly aspect?: number;
}

/** Where a point was drawn (CSS pixels) and what hovering it says. */
export interface Hit {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const step = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].map((f) => f * step).find((s) => (hi - lo) / s <= count) ?? 10 * step;
  const out: number[] = [];
  for (let t = Math.ceil(lo / unit) * unit; t <= hi + unit * 1e-9; t += unit) out.push(Math.abs(t) < unit * 1e-9 ? 0 : t);
  return out;
}

/** 0, ±1, ±10, ±100 … inside [lo, hi]. */
function asinhTicks(lo: number, hi: number): number[] {
  const out = [0];
  for (let p = 1; p <= 1e12; p *= 10) out.push(p, -p);
  return out.filter((t) => t >= lo && t <= hi).sort((a, b) => a - b);
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** Draws the chart and returns the hover targets. */
export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): Hit[] {
  const { ctx, width, height } = prepare(canvas, spec.aspect ?? 0.6);
  const margin = { left: 56, right: 12, top: 10, bottom: spec.categories ? 54 : 38 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const ty = (v: number) => (spec.yLog ? Math.log10(Math.max(v, 1e-300)) : v);
  const tx = (v: number) => (spec.xAsinh ? Math.asinh(v) : v);
  const all = spec.series.flatMap((s) => s.points);
  const finite = (v: number) => Number.isFinite(v);
  let xs = all.map((p) => tx(p.x)).filter(finite);
  let ys = all.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]).filter((v) => finite(v) && (!spec.yLog || v > 0)).map(ty);
  if (spec.categories) xs = [-0.5, spec.categories.length - 0.5];
  if (xs.length === 0) xs = [0, 1];
  if (ys.length === 0) ys = [0, 1];
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = spec.yDomain ? spec.yDomain.map(ty) as [number, number] : [Math.min(...ys), Math.max(...ys)];
  if (spec.series.some((s) => s.style === "bars") && !spec.yLog) y0 = Math.min(0, y0);
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  if (!spec.yDomain) [y0, y1] = [y0 - pad, y1 + pad];
  const px = (x: number) => margin.left + ((tx(x) - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => margin.top + (1 - (ty(y) - y0) / (y1 - y0)) * plotH;

  ctx.font = "11px system-ui, sans-serif";
  ctx.strokeStyle = "#d0d4da";
  ctx.fillStyle = "#444";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  // Log axes: ticks at powers of ten when two or more fit, else nice linear values placed on the log scale.
  const decades = spec.yLog ? Array.from({ length: Math.max(0, Math.floor(y1) - Math.ceil(y0) + 1) }, (_, i) => 10 ** (Math.ceil(y0) + i)) : [];
  const yTicks = !spec.yLog ? niceTicks(y0, y1) : decades.length >= 2 ? decades : niceTicks(10 ** y0, 10 ** y1).filter((v) => v > 0);
  for (const v of yTicks) {
    const t = spec.yLog ? Math.log10(v) : v;
    const y = margin.top + (1 - (t - y0) / (y1 - y0)) * plotH;
    ctx.beginPath();
    ctx.moveTo(margin.left, y);
    ctx.lineTo(margin.left + plotW, y);
    ctx.stroke();
    ctx.fillText(formatNumber(v), margin.left - 4, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  if (spec.categories) {
    spec.categories.forEach((name, i) => {
      ctx.save();
      ctx.translate(px(i), margin.top + plotH + 4);
      ctx.rotate(spec.categories!.length > 4 ? -0.35 : 0);
      ctx.textAlign = spec.categories!.length > 4 ? "right" : "center";
      ctx.fillText(name.length > 22 ? `${name.slice(0, 21)}…` : name, 0, 0);
      ctx.restore();
    });
  } else {
    const ticks = spec.xAsinh ? asinhTicks(Math.sinh(x0), Math.sinh(x1)) : niceTicks(x0, x1);
    for (const t of ticks) ctx.fillText(formatNumber(t), px(t), margin.top + plotH + 4);
  }
  ctx.strokeStyle = "#888";
  ctx.strokeRect(margin.left, margin.top, plotW, plotH);
  ctx.fillStyle = "#222";
  ctx.fillText(spec.xLabel, margin.left + plotW / 2, height - 14);
  ctx.save();
  ctx.translate(12, margin.top + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(spec.yLabel, 0, -6);
  ctx.restore();

  const hits: Hit[] = [];
  ctx.save();
  ctx.beginPath();
  ctx.rect(margin.left, margin.top, plotW, plotH);
  ctx.clip();
  for (const s of spec.series) {
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.lineWidth = s.width ?? 1.6;
    const pts = s.points.filter((p) => finite(p.x) && finite(p.y) && (!spec.yLog || p.y > 0));
    if (s.style === "line" || s.style === "step") {
      ctx.beginPath();
      pts.forEach((p, i) => {
        if (i === 0) ctx.moveTo(px(p.x), py(p.y));
        else if (s.style === "step") {
          ctx.lineTo(px(p.x), py(pts[i - 1].y));
          ctx.lineTo(px(p.x), py(p.y));
        } else ctx.lineTo(px(p.x), py(p.y));
      });
      ctx.stroke();
    }
    for (const p of pts) {
      const [x, y] = [px(p.x), py(p.y)];
      if (p.lo !== undefined && p.hi !== undefined) {
        ctx.beginPath();
        ctx.moveTo(x, py(p.lo));
        ctx.lineTo(x, py(p.hi));
        ctx.moveTo(x - 3, py(p.lo));
        ctx.lineTo(x + 3, py(p.lo));
        ctx.moveTo(x - 3, py(p.hi));
        ctx.lineTo(x + 3, py(p.hi));
        ctx.stroke();
      }
      if (s.style === "dots") {
        ctx.beginPath();
        ctx.arc(x, y, s.width ?? 3, 0, 2 * Math.PI);
        ctx.fill();
      } else if (s.style === "diamond") {
        ctx.beginPath();
        ctx.moveTo(x, y - 5);
        ctx.lineTo(x + 5, y);
        ctx.lineTo(x, y + 5);
        ctx.lineTo(x - 5, y);
        ctx.closePath();
        ctx.lineWidth = 1.8;
        ctx.stroke();
      } else if (s.style === "bars") {
        const base = py(spec.yLog ? 10 ** y0 : Math.max(y0, 0));
        ctx.globalAlpha = 0.8;
        ctx.fillRect(x - 4, Math.min(y, base), 8, Math.abs(base - y));
        ctx.globalAlpha = 1;
      }
      hits.push({ x, y, text: `${s.name}: ${p.label ?? `(${formatNumber(p.x)}, ${formatNumber(p.y)})`}` });
    }
  }
  ctx.restore();
  return hits;
}

/** Shows the nearest hit's text under the pointer (mouse and touch). */
export function attachHover(canvas: HTMLCanvasElement, hits: () => readonly Hit[]): void {
  const tip = document.createElement("div");
  tip.className = "tooltip";
  tip.hidden = true;
  tip.setAttribute("role", "tooltip");
  canvas.parentElement!.style.position = "relative";
  canvas.parentElement!.append(tip);
  const show = (clientX: number, clientY: number) => {
    const box = canvas.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    let best: Hit | undefined;
    let bestD = 14 * 14;
    for (const h of hits()) {
      const d = (h.x - x) ** 2 + (h.y - y) ** 2;
      if (d < bestD) [best, bestD] = [h, d];
    }
    if (!best) {
      tip.hidden = true;
      return;
    }
    tip.hidden = false;
    tip.textContent = best.text;
    const left = canvas.offsetLeft + best.x + 10;
    tip.style.left = `${Math.min(left, canvas.offsetLeft + canvas.clientWidth - tip.offsetWidth - 4)}px`;
    tip.style.top = `${canvas.offsetTop + best.y - 28}px`;
  };
  canvas.addEventListener("pointermove", (e) => show(e.clientX, e.clientY));
  canvas.addEventListener("pointerdown", (e) => show(e.clientX, e.clientY));
  canvas.addEventListener("pointerleave", () => (tip.hidden = true));
}
