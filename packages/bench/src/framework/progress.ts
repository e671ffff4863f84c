/** Progress display for a sweep: cli-progress bars on a terminal, JSON lines with `--json`, a summary otherwise. */
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

/** Bars per experiment and one for the whole sweep (on a TTY), a line per experiment at the end otherwise. */
export function barProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = Boolean(stream.isTTY);
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
        if (multi) {
          if (!overall) overall = multi.create(grand, 0, { name: "all".padEnd(9), status: "" });
          overall.increment();
        }
      } else if (event.type === "end") {
        multi?.stop();
        for (const [name, c] of counts) {
          stream.write(`${name}: ${c.done}/${c.total} done${c.skipped ? ` (${c.skipped} resumed)` : ""}${c.failed ? `, ${c.failed} failed` : ""}, ${(c.ms / 1000).toFixed(1)} s of run time\n`);
        }
        stream.write(`sweep: ${event.ok} ok, ${event.failed} failed, ${event.skipped} skipped in ${(event.wallTimeMs / 1000).toFixed(1)} s\n`);
      }
    },
    stop() {
      multi?.stop();
    },
  };
}
