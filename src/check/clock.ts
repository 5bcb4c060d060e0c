/** Time and waiting, injectable so nothing reads a global clock behind a test's back. */
import { timerDelay } from "./duration.js";

export interface Clock {
  now(): number;
  /** Wait `ms`, or less when the deadline (epoch ms) comes first. Resolves true when the full wait elapsed. */
  sleep(ms: number, deadline?: number): Promise<boolean>;
  /** Call `fire` once `ms` have passed; the returned function cancels it. */
  timer(ms: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, deadline = Infinity) {
    const wait = Math.max(0, Math.min(ms, deadline - Date.now()));
    return new Promise((resolve) => setTimeout(() => resolve(wait >= ms), timerDelay(wait)));
  },
  timer(ms, fire) {
    const handle = setTimeout(fire, timerDelay(ms));
    return () => clearTimeout(handle);
  },
};

/**
 * The total time budget of one run. The clock starts with the first network
 * request, not when the checker is created: time Eleventy spends rendering
 * before it asks anything is not ours.
 */
export class Budget {
  private deadline = Infinity;

  constructor(
    private readonly ms: number,
    private readonly clock: Clock,
  ) {}

  /** Start the clock (idempotent) and return the deadline in epoch ms. */
  start(): number {
    if (this.deadline === Infinity) this.deadline = this.clock.now() + this.ms;
    return this.deadline;
  }

  get started(): boolean {
    return this.deadline !== Infinity;
  }

  remaining(): number {
    return this.deadline === Infinity ? this.ms : Math.max(0, this.deadline - this.clock.now());
  }

  exhausted(): boolean {
    return this.remaining() <= 0;
  }

  get end(): number {
    return this.deadline;
  }
}
