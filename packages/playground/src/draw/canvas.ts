/** Canvas set-up at the device's pixel ratio, and images drawn from value grids. */

/** Sizes the canvas's backing store to its CSS box × devicePixelRatio; returns a context in CSS pixels. */
export function prepare(canvas: HTMLCanvasElement, aspect = 0.62): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const width = Math.max(160, canvas.clientWidth || canvas.parentElement?.clientWidth || 320);
  const height = Math.round(width * aspect);
  const ratio = Math.min(3, window.devicePixelRatio || 1);
  canvas.style.height = `${height}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

export type Rgb = [number, number, number];

/** Light-to-dark blue: 0 → white, 1 → deep blue. */
export function blues(t: number): Rgb {
  const v = Math.max(0, Math.min(1, t));
  return [Math.round(255 - 225 * v), Math.round(255 - 180 * v), Math.round(255 - 95 * v)];
}

/** Perceptually ordered dark-to-bright ramp (viridis-like) for heatmaps. */
export function viridis(t: number): Rgb {
  const stops: Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((c, j) => Math.round(c + f * (stops[i + 1][j] - c))) as Rgb;
}

/** Two classes: probability of class 1 from orange (0) through white (0.5) to blue (1). */
export function diverging(p: number): Rgb {
  const t = Math.max(0, Math.min(1, p));
  const a: Rgb = [230, 126, 34];
  const b: Rgb = [41, 98, 186];
  const w: Rgb = [250, 250, 250];
  const [from, to, f] = t < 0.5 ? [a, w, t / 0.5] : [w, b, (t - 0.5) / 0.5];
  return from.map((c, j) => Math.round(c + f * (to[j] - c))) as Rgb;
}

/** Draws a size×size grid of values (row-major, row 0 at the top) into the rectangle, unsmoothed. */
export function drawGrid(
  ctx: CanvasRenderingContext2D, values: ArrayLike<number>, rows: number, cols: number,
  color: (v: number) => Rgb, x: number, y: number, w: number, h: number,
): void {
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [r, g, b] = color(values[i]);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  const off = document.createElement("canvas");
  off.width = cols;
  off.height = rows;
  off.getContext("2d")!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, x, y, w, h);
}

export const PALETTE = ["#2962ba", "#e67e22", "#2e9e5b", "#c0392b", "#8e44ad", "#16a0b5", "#b8860b", "#d35497", "#5d6d7e", "#7f8c1a"];
