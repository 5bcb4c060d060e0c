/**
 * Per-host politeness: at most `concurrency` requests in flight and at least
 * `interval` ms between two request starts, so no 1-second window sees more
 * than the configured rate. A host can be paused (Retry-After). Waiting is
 * bounded by a deadline so a build never hangs on a queue.
 */
import type { Clock } from "./clock.js";
import type { HostLimit } from "./options.js";

interface Waiter {
  grant: (release: () => void) => void;
  reject: (error: Error) => void;
  /** Cancels the deadline. */
  cancel: (() => void) | undefined;
}

interface HostState {
  active: number;
  nextStart: number;
  queue: Waiter[];
  /** Cancels the wake-up for the next start, when one is set. */
  wake: (() => void) | undefined;
}

export class DeadlineError extends Error {
  override name = "DeadlineError";
}

/** The host cannot be reached in this run; queued requests give up at once. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly limitFor: (host: string) => HostLimit,
    private readonly clock: Pick<Clock, "now" | "timer">,
  ) {}

  private now(): number {
    return this.clock.now();
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, nextStart: 0, queue: [], wake: undefined };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Wait for a turn; resolves with a release function. Rejects with DeadlineError at `deadline` (epoch ms). */
  acquire(host: string, deadline = Infinity): Promise<() => void> {
    const state = this.state(host);
    return new Promise((grant, reject) => {
      const waiter: Waiter = { grant, reject, cancel: undefined };
      if (deadline !== Infinity) {
        waiter.cancel = this.clock.timer(deadline - this.now(), () => {
          const at = state.queue.indexOf(waiter);
          if (at !== -1) {
            state.queue.splice(at, 1);
            reject(new DeadlineError("time budget exhausted"));
          }
        });
      }
      state.queue.push(waiter);
      this.pump(host, state);
    });
  }

  /**
   * Milliseconds until a request to `host` may start (0 when it may start now).
   * Batching callers wait this long before deciding what goes in a batch, so
   * everything queued meanwhile rides along.
   */
  delayFor(host: string): number {
    return Math.max(0, this.state(host).nextStart - this.now());
  }

  /** Reject every request waiting for `host` (it cannot be reached): nobody waits for a slot in vain. */
  failAll(host: string, reason: string): void {
    const state = this.state(host);
    for (const waiter of state.queue.splice(0)) {
      waiter.cancel?.();
      waiter.reject(new UnreachableError(reason));
    }
  }

  /** No request to `host` starts before `until` (epoch ms): Amazon asked us to wait. */
  pause(host: string, until: number): void {
    const state = this.state(host);
    state.nextStart = Math.max(state.nextStart, until);
  }

  private pump(host: string, state: HostState): void {
    const limit = this.limitFor(host);
    while (state.queue.length > 0 && state.active < limit.concurrency) {
      const wait = state.nextStart - this.now();
      if (wait > 0) {
        state.wake ??= this.clock.timer(wait, () => {
          state.wake = undefined;
          this.pump(host, state);
        });
        return;
      }
      const waiter = state.queue.shift()!;
      waiter.cancel?.();
      state.active++;
      state.nextStart = this.now() + limit.interval;
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        state.active--;
        this.pump(host, state);
      });
    }
  }
}
