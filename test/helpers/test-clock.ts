/**
 * A clock that moves only when a test moves it: timing assertions hold however
 * loaded the machine is. `run` settles a piece of work, moving the clock to the
 * next timer whenever the work is waiting for nothing but time.
 */
import type { Clock } from "../../src/check/clock.js";

interface Pending {
  at: number;
  order: number;
  fire: () => void;
  cancelled?: boolean;
}

/** 2026-01-01T00:00:00Z: a fixed start, so dates written by the code under test are known. */
export const START = Date.UTC(2026, 0, 1);

/** One turn of the event loop: what the last timer woke (promises, I/O callbacks ready) runs first. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TestClock implements Clock {
  #now: number;
  #pending: Pending[] = [];
  #order = 0;

  constructor(start = START) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  timer(ms: number, fire: () => void): () => void {
    const entry: Pending = { at: this.#now + Math.max(0, ms), order: this.#order++, fire };
    this.#pending.push(entry);
    return () => {
      entry.cancelled = true;
      const at = this.#pending.indexOf(entry);
      if (at !== -1) this.#pending.splice(at, 1);
    };
  }

  sleep(ms: number, deadline = Infinity): Promise<boolean> {
    const wait = Math.max(0, Math.min(ms, deadline - this.#now));
    return new Promise((resolve) => this.timer(wait, () => resolve(wait >= ms)));
  }

  /** Timers set and not yet fired or cancelled. */
  get waiting(): number {
    return this.#pending.length;
  }

  /** Move to the earliest timer and fire it (with any others due then); false when none is set. */
  async next(): Promise<boolean> {
    const first = this.#earliest();
    if (!first) return false;
    await this.advance(first.at - this.#now);
    return true;
  }

  /**
   * Move `ms` forward, firing due timers in order. Timers due at the same moment fire together,
   * as Node's do; what they wake runs before the clock moves on.
   */
  async advance(ms: number): Promise<void> {
    // What is ready now runs now, before time moves.
    await turn();
    const end = this.#now + ms;
    for (let first = this.#earliest(); first && first.at <= end; first = this.#earliest()) {
      this.#now = first.at;
      const due = this.#pending.filter((entry) => entry.at === first.at).sort((a, b) => a.order - b.order);
      this.#pending = this.#pending.filter((entry) => entry.at !== first.at);
      // A timer fired first may cancel one due at the same moment.
      for (const entry of due) if (!entry.cancelled) entry.fire();
      await turn();
    }
    this.#now = end;
  }

  /**
   * Settle `work`, moving the clock to the next timer whenever `busy()` says nothing but
   * time is awaited (no request on its way) for two turns of the event loop in a row.
   */
  async run<T>(work: Promise<T>, busy: () => boolean = () => false): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    let quiet = 0;
    while (!settled) {
      if (busy() || this.#pending.length === 0) {
        quiet = 0;
        // Real work (a socket, a file) is under way: give it real time.
        await new Promise((resolve) => setTimeout(resolve, 1));
      } else if (++quiet < 2) {
        await turn();
      } else {
        quiet = 0;
        await this.next();
      }
    }
    return watched;
  }

  #earliest(): Pending | undefined {
    let first: Pending | undefined;
    for (const entry of this.#pending)
      if (!first || entry.at < first.at || (entry.at === first.at && entry.order < first.order)) first = entry;
    return first;
  }
}
