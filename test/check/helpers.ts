/** Shared setup for the checker tests: a fake Amazon per test and fast, local-only options. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { CheckOptions } from "../../src/check/index.js";
import { startFakeAmazon, type FakeAmazon, type FakeScenario } from "../fake-amazon/server.js";

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
