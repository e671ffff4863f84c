import { describe, expect, it } from "vitest";
import { barProgress, estimateRemainingMs, formatDuration, formatProgressLine, progressLineDue, type ProgressPoint } from "../src/framework/progress.js";

const at = (done: number, elapsedMs: number, extra: Partial<ProgressPoint> = {}): ProgressPoint => ({ done, total: 100, failed: 0, resumed: 0, elapsedMs, ...extra });

describe("progressLineDue", () => {
  it("is due every 5% or every 30 s, whichever comes first", () => {
    expect(progressLineDue(undefined, at(4, 10_000))).toBe(false);
    expect(progressLineDue(undefined, at(5, 10_000))).toBe(true);
    expect(progressLineDue(undefined, at(0, 30_000))).toBe(true);
    expect(progressLineDue(at(5, 10_000), at(9, 20_000))).toBe(false);
    expect(progressLineDue(at(5, 10_000), at(10, 20_000))).toBe(true);
    expect(progressLineDue(at(5, 10_000), at(6, 40_000))).toBe(true);
    expect(progressLineDue(at(5, 10_000), at(5, 39_999))).toBe(false);
  });

  it("prints once at completion, and counts steps from the resumed runs", () => {
    expect(progressLineDue(at(99, 1000), at(100, 2000))).toBe(true);
    expect(progressLineDue(at(100, 2000), at(100, 60_000))).toBe(false);
    expect(progressLineDue(undefined, at(52, 1000, { resumed: 50 }))).toBe(false);
    expect(progressLineDue(undefined, at(55, 1000, { resumed: 50 }))).toBe(true);
    expect(progressLineDue(undefined, at(0, 60_000, { total: 0 }))).toBe(false);
  });

  it("follows other step sizes and intervals", () => {
    expect(progressLineDue(at(0, 0), at(10, 1000), { stepFraction: 0.1 })).toBe(true);
    expect(progressLineDue(at(0, 0), at(9, 1000), { stepFraction: 0.1 })).toBe(false);
    expect(progressLineDue(at(0, 0), at(1, 5000), { intervalMs: 5000 })).toBe(true);
  });
});

describe("estimateRemainingMs", () => {
  it("extrapolates from the runs finished in this sweep, resumed ones left out", () => {
    expect(estimateRemainingMs(at(25, 10_000))).toBe(30_000);
    expect(estimateRemainingMs(at(60, 10_000, { resumed: 50 }))).toBe(40_000);
    expect(estimateRemainingMs(at(0, 10_000))).toBeUndefined();
    expect(estimateRemainingMs(at(100, 0, { resumed: 100 }))).toBe(0);
  });
});

describe("formatting", () => {
  it("writes durations and the line", () => {
    expect(formatDuration(42_400)).toBe("42 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(3_720_000)).toBe("1 h 02 min");
    expect(formatProgressLine(at(25, 70_000, { failed: 2 }))).toBe("progress: 25/100 runs (25%), 2 failed, 1 min 10 s elapsed, ETA 3 min 30 s\n");
    expect(formatProgressLine(at(0, 30_000))).toContain("ETA unknown");
  });
});

describe("barProgress off a terminal", () => {
  it("prints plain lines with a fake clock as runs finish, then the summary", () => {
    let clock = 1000;
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const reporter = barProgress(stream, { now: () => clock, tickMs: 0 });
    reporter.onEvent({ type: "plan", experiment: "a", total: 10, skipped: 0 });
    reporter.onEvent({ type: "plan", experiment: "b", total: 10, skipped: 0 });
    for (let i = 0; i < 20; i++) {
      clock += 1000;
      reporter.onEvent({ type: "done", experiment: i < 10 ? "a" : "b", hash: String(i), status: i === 3 ? "failed" : "ok", wallTimeMs: 900 });
    }
    reporter.onEvent({ type: "end", ok: 19, failed: 1, skipped: 0, wallTimeMs: 20_000 });
    reporter.stop();
    const progress = lines.filter((l) => l.startsWith("progress:"));
    expect(progress).toHaveLength(20);
    expect(progress[0]).toBe("progress: 1/20 runs (5%), 0 failed, 1 s elapsed, ETA 19 s\n");
    expect(progress[4]).toBe("progress: 5/20 runs (25%), 1 failed, 5 s elapsed, ETA 15 s\n");
    expect(progress.at(-1)).toBe("progress: 20/20 runs (100%), 1 failed, 20 s elapsed, ETA 0 s\n");
    expect(lines.at(-1)).toBe("sweep: 19 ok, 1 failed, 0 skipped in 20.0 s\n");
  });

  it("prints on the interval although no run finished", () => {
    let clock = 0;
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const reporter = barProgress(stream, { now: () => clock, tickMs: 0 });
    reporter.onEvent({ type: "plan", experiment: "a", total: 1000, skipped: 0 });
    clock = 31_000;
    reporter.onEvent({ type: "done", experiment: "a", hash: "x", status: "ok", wallTimeMs: 1 });
    clock = 35_000;
    reporter.onEvent({ type: "done", experiment: "a", hash: "y", status: "ok", wallTimeMs: 1 });
    reporter.stop();
    expect(lines).toEqual(["progress: 1/1000 runs (0%), 0 failed, 31 s elapsed, ETA 8 h 36 min\n"]);
  });
});
