/** Durations in options: milliseconds as a number, or "90s", "30m", "12h", "7d", "2w". No I/O. */

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const SHAPE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i;

/** The longest delay Node's timers take (about 24.8 days); a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay a timer can wait: negative is now, too long is the longest there is. */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/** Milliseconds for a duration, or undefined when the value is not one. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = SHAPE.exec(value.trim());
  if (!match) return undefined;
  const unit = UNITS[match[2]!.toLowerCase()]!;
  const ms = Math.round(Number(match[1]) * unit);
  return Number.isFinite(ms) ? ms : undefined;
}

/** "1.5 s", "90 ms", "2 min" for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}
