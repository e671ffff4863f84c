/**
 * A progress indicator that appears only when work takes longer than 200 ms (shorter work would
 * just flicker), with the worker's current step and fraction.
 */
const DELAY_MS = 200;

export class Busy {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly bar: HTMLProgressElement;
  private readonly label: HTMLSpanElement;

  constructor(readonly element: HTMLElement) {
    element.classList.add("busy");
    element.setAttribute("role", "status");
    element.setAttribute("aria-live", "polite");
    element.hidden = true;
    this.bar = document.createElement("progress");
    this.bar.max = 1;
    this.bar.setAttribute("aria-label", "progress");
    this.label = document.createElement("span");
    element.append(this.bar, this.label);
  }

  /** Runs `work`, showing the indicator after 200 ms until it settles. */
  async run<T>(work: (progress: (fraction: number, label: string) => void) => Promise<T>): Promise<T> {
    this.start();
    try {
      return await work((fraction, label) => this.update(fraction, label));
    } finally {
      this.stop();
    }
  }

  start(): void {
    clearTimeout(this.timer);
    this.bar.removeAttribute("value");
    this.label.textContent = "working…";
    this.timer = setTimeout(() => (this.element.hidden = false), DELAY_MS);
  }

  update(fraction: number, label: string): void {
    this.bar.value = Math.max(0, Math.min(1, fraction));
    this.label.textContent = label;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.element.hidden = true;
  }
}
