/** Shared setup for the checker tests: a fake Amazon per test and fast, local-only options. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { CheckOptions } from "../../src/check/index.js";
import { startFakeAmazon, type FakeAmazon, type FakeScenario } from "../fake-amazon/server.js";
import { TestClock } from "../helpers/test-clock.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function fakeAmazon(scenario?: FakeScenario): Promise<FakeAmazon> {
  const fake = await startFakeAmazon(scenario);
  cleanups.push(() => fake.close());
  return fake;
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "amazon-links-check-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Options that keep a test fast and on 127.0.0.1: no rate-limit gaps, tiny backoff, no lockfile. */
export function fast(fake: FakeAmazon, extra: CheckOptions = {}): CheckOptions {
  return {
    endpoints: fake.endpoints(),
    interval: 0,
    hosts: { "creatorsapi.amazon": { interval: 0 } },
    backoff: 10,
    retries: 2,
    timeout: "3s",
    budget: "20s",
    lockfile: false,
    ...extra,
  };
}

/** Gaps in ms between consecutive requests the fake received. */
export function gaps(fake: FakeAmazon, filter: (r: FakeAmazon["requests"][number]) => boolean = () => true): number[] {
  const times = fake.requests.filter(filter).map((r) => r.at);
  return times.slice(1).map((t, i) => t - times[i]!);
}

export const noJitter = { random: () => 0 };

/** Marks each request so the fake's log tells which one it is holding. */
const REQUEST_ID = "x-test-request";

export interface OnTestClock {
  fake: FakeAmazon;
  clock: TestClock;
  /** The checker's runtime: this clock, and a fetch that knows which requests are on their way. */
  runtime: { clock: TestClock; fetch: typeof globalThis.fetch };
  /** Settle `work`, moving the clock whenever every request is answered or held by the fake's `delay`. */
  run<T>(work: Promise<T>): Promise<T>;
}

/**
 * A fake Amazon and a checker runtime on one TestClock: waits (intervals, backoff, Retry-After,
 * timeouts, the budget, the fake's delays) take no real time and happen in the order the clock
 * says, so a test can assert them exactly, however loaded the machine is.
 */
export async function fakeAmazonOnTestClock(scenario: FakeScenario = {}): Promise<OnTestClock> {
  const clock = new TestClock();
  const fake = await fakeAmazon({ ...scenario, clock });
  const onTheirWay = new Set<string>();
  let counter = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const id = String(++counter);
    onTheirWay.add(id);
    try {
      const headers = new Headers(init?.headers);
      headers.set(REQUEST_ID, id);
      const response = await globalThis.fetch(input, { ...init, headers });
      // Read the whole body here: until it has arrived the request is still on its way.
      const body = await response.arrayBuffer();
      const empty = [101, 204, 205, 304].includes(response.status);
      return new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      onTheirWay.delete(id);
    }
  };
  const held = (id: string): boolean => fake.requests.some((r) => r.held && r.headers[REQUEST_ID] === id);
  const busy = (): boolean => [...onTheirWay].some((id) => !held(id));
  return { fake, clock, runtime: { clock, fetch }, run: (work) => clock.run(work, busy) };
}
