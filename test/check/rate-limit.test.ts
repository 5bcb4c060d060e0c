/** The per-host limiter on a TestClock: who starts when, with no sockets and no wall clock. */
import { describe, expect, it } from "vitest";
import { DeadlineError, HostLimiter, UnreachableError } from "../../src/check/rate-limit.js";
import { TestClock } from "../helpers/test-clock.js";

/** Ask for `count` turns on `host`; each start is logged at the clock's time, relative to now. */
function ask(limiter: HostLimiter, clock: TestClock, host: string, count: number, deadline = Infinity) {
  const start = clock.now();
  const starts: number[] = [];
  const releases: (() => void)[] = [];
  const outcomes = Array.from({ length: count }, () =>
    limiter.acquire(host, deadline).then(
      (release) => {
        starts.push(clock.now() - start);
        releases.push(release);
        return "granted";
      },
      (error: Error) => error.name,
    ),
  );
  return { starts, releases, outcomes: Promise.all(outcomes) };
}

describe("HostLimiter", () => {
  it("starts one request per interval, each as soon as the interval allows", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 3, interval: 300 }), clock);
    const { starts, releases } = ask(limiter, clock, "www.amazon.com", 5);
    await clock.advance(0);
    expect(starts).toEqual([0]);
    await clock.advance(299);
    expect(starts).toEqual([0]);
    await clock.advance(1);
    expect(starts).toEqual([0, 300]);
    for (const release of releases.splice(0)) release();
    await clock.advance(900);
    expect(starts).toEqual([0, 300, 600, 900, 1200]);
  });

  it("holds the concurrency: a third request starts only when one of two is released", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 2, interval: 0 }), clock);
    const { starts, releases } = ask(limiter, clock, "www.amazon.com", 3);
    await clock.advance(1_000);
    expect(starts).toEqual([0, 0]);
    releases[0]!();
    releases[0]!(); // a second release of the same turn frees nothing more
    await clock.advance(0);
    expect(starts).toEqual([0, 0, 1_000]);
  });

  it("hosts are independent", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 1, interval: 1_000 }), clock);
    const us = ask(limiter, clock, "www.amazon.com", 2);
    const de = ask(limiter, clock, "www.amazon.de", 1);
    await clock.advance(0);
    us.releases[0]!();
    expect([us.starts, de.starts]).toEqual([[0], [0]]);
    await clock.advance(1_000);
    expect(us.starts).toEqual([0, 1_000]);
  });

  it("a pause (Retry-After) holds every start on the host until it ends", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 2, interval: 0 }), clock);
    limiter.pause("www.amazon.com", clock.now() + 5_000);
    const { starts } = ask(limiter, clock, "www.amazon.com", 2);
    await clock.advance(4_999);
    expect(starts).toEqual([]);
    await clock.advance(1);
    expect(starts).toEqual([5_000, 5_000]);
    expect(limiter.delayFor("www.amazon.com")).toBe(0);
  });

  it("a request still queued at its deadline gives up then, not before", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 1, interval: 10_000 }), clock);
    const { starts, outcomes } = ask(limiter, clock, "www.amazon.com", 2, clock.now() + 600);
    await clock.advance(600);
    expect(await outcomes).toEqual(["granted", new DeadlineError().name]);
    expect(starts).toEqual([0]);
    // Nothing is left waiting on the clock.
    expect(clock.waiting).toBe(0);
  });

  it("failAll gives up every queued request at once", async () => {
    const clock = new TestClock();
    const limiter = new HostLimiter(() => ({ concurrency: 1, interval: 1_000 }), clock);
    const { outcomes } = ask(limiter, clock, "www.amazon.com", 3, clock.now() + 20_000);
    await clock.advance(0);
    limiter.failAll("www.amazon.com", "connection refused");
    expect(await outcomes).toEqual(["granted", new UnreachableError().name, new UnreachableError().name]);
    expect(clock.now()).toBe(new TestClock().now());
  });
});
