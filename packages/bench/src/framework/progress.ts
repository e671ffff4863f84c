/**
 * Progress display for a sweep: cli-progress bars on a terminal, JSON lines with `--json`, and
 * otherwise (a pipe, a log file, turbo) a plain line every few percent or every half minute.
 */
import cliProgress from "cli-progress";
import type { SweepEvent } from "./runner.js";

/** A sink for sweep events plus a `stop()` to close the display. */
export interface ProgressReporter {
  onEvent(event: SweepEvent): void;
  stop(): void;
}

/** One JSON object per line on stdout for every event. */
export function jsonProgress(write: (line: string) => void = (l) => process.stdout.write(l)): ProgressReporter {
  return { onEvent: (event) => write(`${JSON.stringify(event)}\n`), stop: () => {} };
}

/** When plain progress lines are printed: every `stepFraction` of the sweep or every `intervalMs`, whichever comes first. */
export interface PlainProgressOptions {
  /** Default 0.05 (a line every 5% of the runs). */
  readonly stepFraction?: number;
  /** Default 30 000 (a line at least every 30 s while runs remain, even when none finished). */
  readonly intervalMs?: number;
}

/** Where a sweep stands, as a plain progress line reports it. */
export interface ProgressPoint {
  /** Runs finished, resumed ones included. */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** Runs resumed from records at the start (they say nothing about the speed of this run). */
  readonly resumed: number;
  /** Milliseconds since the sweep started. */
  readonly elapsedMs: number;
}

/**
 * Whether a plain line is due at `now`, given the last one printed at `last` (`undefined`: none
 * yet; the start of the sweep stands in for it). Due when the sweep has crossed a multiple of
 * `stepFraction` since the last line, when `intervalMs` has passed since it, or once when the
 * sweep is complete.
 */
export function progressLineDue(last: Pick<ProgressPoint, "done" | "elapsedMs"> | undefined, now: ProgressPoint, options: PlainProgressOptions = {}): boolean {
  const stepFraction = options.stepFraction ?? 0.05;
  const intervalMs = options.intervalMs ?? 30_000;
  if (now.total <= 0) return false;
  const previous = last ?? { done: now.resumed, elapsedMs: 0 };
  if (now.done >= now.total) return previous.done < now.total || last === undefined;
  const step = (done: number) => Math.floor(done / now.total / stepFraction + 1e-9);
  return step(now.done) > step(previous.done) || now.elapsedMs - previous.elapsedMs >= intervalMs;
}

/**
 * Estimated milliseconds left: the remaining runs at the pace of the runs finished in this
 * sweep (resumed ones left out); `undefined` before any run has finished.
 */
export function estimateRemainingMs(point: ProgressPoint): number | undefined {
  const finishedHere = point.done - point.resumed;
  if (finishedHere <= 0 || point.elapsedMs <= 0) return point.done >= point.total ? 0 : undefined;
  return ((point.total - point.done) * point.elapsedMs) / finishedHere;
}

/** "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** One plain progress line, e.g. `progress: 120/400 runs (30%), 2 failed, 1 min 10 s elapsed, ETA 2 min 43 s`. */
export function formatProgressLine(point: ProgressPoint): string {
  const percent = point.total > 0 ? Math.floor((100 * point.done) / point.total) : 100;
  const eta = estimateRemainingMs(point);
  return `progress: ${point.done}/${point.total} runs (${percent}%)${point.resumed ? `, ${point.resumed} resumed` : ""}, ` +
    `${point.failed} failed, ${formatDuration(point.elapsedMs)} elapsed, ETA ${eta === undefined ? "unknown" : formatDuration(eta)}\n`;
}

/** Options of {@link barProgress} (for tests: a fake clock and no timer). */
export interface BarProgressOptions extends PlainProgressOptions {
  /** Milliseconds, default `Date.now`. */
  readonly now?: () => number;
  /** Off a terminal, check every this many ms whether a line is due although no run finished (default 1000; 0: no timer). */
  readonly tickMs?: number;
}

/**
 * Bars per experiment and one for the whole sweep on a TTY; elsewhere a plain line every few
 * percent or every half minute with done/total, failures, elapsed time and an ETA. A line per
 * experiment and a summary at the end either way.
 */
export function barProgress(stream: NodeJS.WriteStream = process.stderr, options: BarProgressOptions = {}): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  const now = options.now ?? Date.now;
  const started = now();
  let last: ProgressPoint | undefined;
  let planned = 0;
  let finished = 0;
  let failedRuns = 0;
  let resumedRuns = 0;
  const point = (): ProgressPoint => ({ done: finished, total: planned, failed: failedRuns, resumed: resumedRuns, elapsedMs: now() - started });
  const maybePrint = () => {
    const current = point();
    if (!progressLineDue(last, current, options)) return;
    stream.write(formatProgressLine(current));
    last = current;
  };
  const tickMs = options.tickMs ?? 1000;
  let timer: ReturnType<typeof setInterval> | undefined;
  if (!tty && tickMs > 0) {
    timer = setInterval(maybePrint, tickMs);
    timer.unref();
  }
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const multi = tty
    ? new cliProgress.MultiBar({ stream, clearOnComplete: false, hideCursor: true, format: " {name} |{bar}| {value}/{total} {status}" }, cliProgress.Presets.shades_grey)
    : undefined;
  const bars = new Map<string, cliProgress.SingleBar>();
  const counts = new Map<string, { total: number; done: number; failed: number; skipped: number; ms: number }>();
  let overall: cliProgress.SingleBar | undefined;
  let grand = 0;
  return {
    onEvent(event) {
      if (event.type === "plan") {
        counts.set(event.experiment, { total: event.total, done: event.skipped, failed: 0, skipped: event.skipped, ms: 0 });
        grand += event.total;
        planned += event.total;
        finished += event.skipped;
        resumedRuns += event.skipped;
        if (multi) {
          bars.set(event.experiment, multi.create(event.total, event.skipped, { name: event.experiment.padEnd(9), status: event.skipped ? `(${event.skipped} resumed)` : "" }));
        }
      } else if (event.type === "done") {
        const c = counts.get(event.experiment);
        if (c) {
          c.done++;
          c.ms += event.wallTimeMs;
          if (event.status === "failed") c.failed++;
          bars.get(event.experiment)?.update(c.done, { status: c.failed ? `${c.failed} failed` : "" });
        }
        finished++;
        if (event.status === "failed") failedRuns++;
        if (!tty) maybePrint();
        if (multi) {
          if (!overall) overall = multi.create(grand, 0, { name: "all".padEnd(9), status: "" });
          overall.increment();
        }
      } else if (event.type === "end") {
        stopTimer();
        multi?.stop();
        for (const [name, c] of counts) {
          stream.write(`${name}: ${c.done}/${c.total} done${c.skipped ? ` (${c.skipped} resumed)` : ""}${c.failed ? `, ${c.failed} failed` : ""}, ${(c.ms / 1000).toFixed(1)} s of run time\n`);
        }
        stream.write(`sweep: ${event.ok} ok, ${event.failed} failed, ${event.skipped} skipped in ${(event.wallTimeMs / 1000).toFixed(1)} s\n`);
      }
    },
    stop() {
      stopTimer();
      multi?.stop();
    },
  };
}
