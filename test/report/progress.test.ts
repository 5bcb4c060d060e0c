/** The progress line, driven by an injected clock and ticker (no real time passes). */
import { describe, expect, it } from "vitest";
import { progressLine, progressPrinter } from "../../src/report/progress.js";

function harness(isTTY: boolean, minimum?: number) {
  const lines: string[] = [];
  let now = 0;
  const ticks: (() => void)[] = [];
  let stopped = 0;
  const print = progressPrinter({
    stream: { isTTY, write: (t: string) => lines.push(t) },
    now: () => now,
    every: (ms, tick) => {
      expect(ms).toBe(1_000);
      ticks.push(tick);
      return () => {
        stopped++;
        ticks.splice(ticks.indexOf(tick), 1);
      };
    },
    ...(minimum === undefined ? {} : { minimum }),
  });
  return {
    lines,
    print,
    /** Let `ms` pass, ticking the ticker every second as a real interval would. */
    advance(ms: number) {
      for (const end = now + ms; now < end; ) {
        now = Math.min(end, Math.floor(now / 1000) * 1000 + 1000);
        if (now % 1000 === 0) for (const tick of ticks) tick();
      }
    },
    at: (ms: number) => void (now = ms),
    get stopped() {
      return stopped;
    },
  };
}
const strip = (line: string | undefined) => line?.replace(/^\r/, "").replace(/\x1b\[K/, "");

describe("check progress", () => {
  it("on a terminal shows from the first second, while nothing has answered yet, without a made-up estimate", () => {
    const h = harness(true);
    h.print({ done: 0, total: 40, elapsed: 0, budgetLeft: 60_000 });
    expect(h.lines).toEqual([]);
    h.advance(999);
    expect(h.lines).toEqual([]);
    h.advance(1);
    expect(strip(h.lines[0])).toBe(
      "[amazon-links] checking products: 0/40 · waiting for Amazon's first answer · at most 59 s left (check.budget)",
    );
    h.advance(9_000);
    expect(h.lines).toHaveLength(10);
    expect(strip(h.lines.at(-1))).toBe(
      "[amazon-links] checking products: 0/40 · waiting for Amazon's first answer · at most 50 s left (check.budget)",
    );
  });

  it("estimates time left from the rate so far, bounded by the budget, and ends the line when done", () => {
    const h = harness(true);
    h.print({ done: 0, total: 40, elapsed: 0, budgetLeft: 60_000 });
    h.at(5_000);
    h.print({ done: 10, total: 40, elapsed: 5_000, budgetLeft: 55_000 });
    // 10 in 5 s: 2 per second, 30 to go.
    expect(strip(h.lines.at(-1))).toBe("[amazon-links] checking products: 10/40 · 2.0/s · ~15 s left");
    h.at(10_000);
    h.print({ done: 11, total: 40, elapsed: 10_000, budgetLeft: 8_000 });
    expect(strip(h.lines.at(-1))).toBe("[amazon-links] checking products: 11/40 · 1.1/s · at most 8 s left (check.budget)");
    h.at(12_000);
    h.print({ done: 40, total: 40, elapsed: 12_000, budgetLeft: 6_000 });
    expect(h.lines.at(-1)).toBe("\r[amazon-links] checking products: 40/40 · done in 12 s\x1b[K\n");
    expect(h.stopped).toBe(1);
  });

  it("a run done within the first second prints nothing on a terminal", () => {
    const h = harness(true);
    h.print({ done: 0, total: 3, elapsed: 0, budgetLeft: 60_000 });
    h.at(400);
    for (let done = 1; done <= 3; done++) h.print({ done, total: 3, elapsed: 400, budgetLeft: 59_600 });
    h.advance(5_000);
    expect(h.lines).toEqual([]);
  });

  it("prints one line per 10% in CI logs, with count, rate and time left", () => {
    const h = harness(false);
    for (let done = 0; done <= 100; done++) {
      h.at(done * 100);
      h.print({ done, total: 100, elapsed: done * 100, budgetLeft: 60_000 - done * 100 });
    }
    expect(h.lines).toHaveLength(10);
    expect(h.lines[0]).toBe("[amazon-links] checking products: 10/100 · 10.0/s · ~9 s left\n");
    expect(h.lines[4]).toBe("[amazon-links] checking products: 50/100 · 10.0/s · ~5 s left\n");
    expect(h.lines[9]).toBe("[amazon-links] checking products: 100/100 · done in 10 s\n");
  });

  it("short runs print nothing in CI logs", () => {
    const h = harness(false);
    for (let done = 0; done <= 5; done++) h.print({ done, total: 5, elapsed: done, budgetLeft: 1 });
    expect(h.lines).toEqual([]);
  });

  it("never claims ~0 s left while checks are outstanding", () => {
    expect(progressLine({ done: 0, total: 10 }, 30_000, 30_000)).toMatch(/waiting for Amazon's first answer · at most 30 s left/);
    expect(progressLine({ done: 9, total: 10 }, 9_000, 50_000)).toMatch(/~1 s left$/);
  });
});
