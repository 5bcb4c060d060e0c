/**
 * Progress of a long check run: a self-updating line on a terminal, a line per
 * 10% in CI logs. Short runs (under `minimum` network checks) print nothing.
 */
import type { CheckProgress } from "../check/types.js";

export interface ProgressOptions {
  /** Where lines go (default process.stderr). */
  stream?: { isTTY?: boolean; write(text: string): unknown };
  /** Network checks before anything is printed (default 30). */
  minimum?: number;
}

export function progressPrinter(options: ProgressOptions = {}): (progress: CheckProgress) => void {
  const stream = options.stream ?? process.stderr;
  const minimum = options.minimum ?? 30;
  let lastDecile = 0;
  let lastDraw = 0;
  return (p) => {
    if (p.total < minimum) return;
    const rate = p.elapsed > 0 ? (p.done / p.elapsed) * 1000 : 0;
    const left = rate > 0 ? Math.min((p.total - p.done) / rate, p.budgetLeft / 1000) : p.budgetLeft / 1000;
    const line = `[amazon-links] checking products: ${p.done}/${p.total} · ${rate.toFixed(1)}/s · ~${Math.ceil(left)} s left`;
    if (stream.isTTY) {
      const now = Date.now();
      if (now - lastDraw < 100 && p.done < p.total) return;
      lastDraw = now;
      stream.write(`\r${line}${p.done >= p.total ? "\n" : ""}`);
      return;
    }
    const decile = Math.floor((p.done / p.total) * 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      stream.write(`${line}\n`);
    }
  };
}
