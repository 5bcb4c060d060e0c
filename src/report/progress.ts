/**
 * Progress of the network part of a check run. On a terminal: one
 * self-updating line, shown from the first second and redrawn every second
 * even while Amazon keeps us waiting, with a time-left estimate that says
 * when it cannot know yet. In CI logs (no terminal): a line per 10%, for runs
 * of at least `minimum` network checks. Time comes from an injectable clock.
 */
import type { CheckProgress } from "../results.js";

export interface ProgressOptions {
  /** Where lines go (default process.stderr). */
  stream?: { isTTY?: boolean; write(text: string): unknown };
  /** CI logs: network checks before lines are printed (default 10). */
  minimum?: number;
  /** Milliseconds now (default Date.now). */
  now?: () => number;
  /** Calls `tick` every `ms` until the returned stop function is called (default: an unref'd setInterval). */
  every?: (ms: number, tick: () => void) => () => void;
}

const SHOW_AFTER = 1_000;
const REDRAW = 100;

function defaultEvery(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref?.();
  return () => clearInterval(timer);
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

/** The line for a moment of the run: `elapsed` ms since the first check went out, `budgetLeft` ms of budget. */
export function progressLine(p: { done: number; total: number }, elapsed: number, budgetLeft: number): string {
  const head = `[amazon-links] checking products: ${p.done}/${p.total}`;
  if (p.done >= p.total) return `${head} · done in ${seconds(elapsed)}`;
  if (p.done === 0 || elapsed <= 0)
    return `${head} · waiting for Amazon's first answer · at most ${seconds(budgetLeft)} left (check.budget)`;
  const perMs = p.done / elapsed;
  const estimate = (p.total - p.done) / perMs;
  const left = estimate >= budgetLeft ? `at most ${seconds(budgetLeft)} left (check.budget)` : `~${seconds(estimate)} left`;
  return `${head} · ${(perMs * 1000).toFixed(1)}/s · ${left}`;
}

export function progressPrinter(options: ProgressOptions = {}): (progress: CheckProgress) => void {
  const stream = options.stream ?? process.stderr;
  const minimum = options.minimum ?? 10;
  const now = options.now ?? Date.now;
  const every = options.every ?? defaultEvery;

  let start: number | undefined;
  let last: { progress: CheckProgress; at: number } | undefined;
  let stop: (() => void) | undefined;
  let drawn = false;
  let lastDraw = -Infinity;
  let lastDecile = 0;

  function draw(final: boolean): void {
    if (!last || start === undefined) return;
    const at = now();
    const budgetLeft = Math.max(0, last.progress.budgetLeft - (at - last.at));
    stream.write(`\r${progressLine(last.progress, at - start, budgetLeft)}\x1b[K${final ? "\n" : ""}`);
    drawn = !final;
    lastDraw = at;
  }

  function tick(): void {
    if (start !== undefined && now() - start >= SHOW_AFTER) draw(false);
  }

  return (p) => {
    if (p.total === 0) return;
    const at = now();
    start ??= at;
    last = { progress: p, at };
    const finished = p.done >= p.total;
    if (!stream.isTTY) {
      if (p.total < minimum) return;
      const decile = Math.floor((p.done / p.total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${progressLine(p, at - start, p.budgetLeft)}\n`);
      }
      return;
    }
    if (finished) {
      stop?.();
      stop = undefined;
      // Close the line only when one is showing: short runs print nothing at all.
      if (drawn) draw(true);
      return;
    }
    stop ??= every(SHOW_AFTER, tick);
    if (at - start >= SHOW_AFTER && at - lastDraw >= REDRAW) draw(false);
  };
}
