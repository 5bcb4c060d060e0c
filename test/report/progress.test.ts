import { describe, expect, it } from "vitest";
import { progressPrinter } from "../../src/report/progress.js";

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { stream: { isTTY, write: (t: string) => lines.push(t) }, lines };
}

describe("check progress", () => {
  it("prints one line per 10% in CI logs, with count, rate and time left", () => {
    const { stream, lines } = sink(false);
    const print = progressPrinter({ stream, minimum: 10 });
    for (let done = 1; done <= 100; done++) print({ done, total: 100, elapsed: done * 100, budgetLeft: 60_000 - done * 100 });
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("[amazon-links] checking products: 10/100 · 10.0/s · ~9 s left\n");
    expect(lines[9]).toMatch(/100\/100 · 10\.0\/s · ~0 s left\n$/);
  });

  it("redraws one line on a terminal and ends it when done; short runs print nothing", () => {
    const tty = sink(true);
    const print = progressPrinter({ stream: tty.stream, minimum: 1 });
    print({ done: 1, total: 2, elapsed: 10, budgetLeft: 1000 });
    print({ done: 2, total: 2, elapsed: 20, budgetLeft: 990 });
    expect(tty.lines[0]).toMatch(/^\r\[amazon-links\] checking products: 1\/2/);
    expect(tty.lines.at(-1)).toMatch(/2\/2 .*\n$/);
    const quiet = sink(false);
    const short = progressPrinter({ stream: quiet.stream });
    for (let done = 1; done <= 5; done++) short({ done, total: 5, elapsed: done, budgetLeft: 1 });
    expect(quiet.lines).toEqual([]);
  });
});
