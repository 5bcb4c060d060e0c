import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAsins, createChecker, LockfileError, serializeLock } from "../../src/check/index.js";
import { writeLockfile } from "../../src/check/lockfile.js";
import { START, TestClock } from "../helpers/test-clock.js";
import { fakeAmazon, fast, tempDir } from "./helpers.js";

const A = "B000000001";
const B = "B000000002";
const DAY = 86_400_000;

/** A date `msAgo` before START, the time of runs on a TestClock (no request here waits, so it stays there). */
function iso(msAgo: number): string {
  return new Date(START - msAgo).toISOString();
}
const atStart = () => ({ clock: new TestClock() });

describe("lockfile", () => {
  it("is written sorted, 2-space indented with a trailing newline, storing live and dead with the checker", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "Zeta Book", [`de:${A}`]: "Alpha Buch" } });
    const dir = await tempDir();
    await checkAsins(
      [
        { asin: B, marketplace: "us" },
        { asin: A, marketplace: "us" },
        { asin: A, marketplace: "de" },
      ],
      fast(fake, { lockfile: "amazon-links.lock.json" }),
      { configDir: dir },
    );
    const text = await readFile(join(dir, "amazon-links.lock.json"), "utf8");
    const data = JSON.parse(text);
    expect(data.version).toBe(1);
    expect(Object.keys(data)).toEqual(["entries", "shortLinks", "version"]);
    expect(Object.keys(data.entries)).toEqual([`de:${A}`, `us:${A}`, `us:${B}`]);
    expect(data.entries[`us:${A}`]).toEqual({ checkedAt: expect.any(String), status: "live", title: "Zeta Book", via: "page" });
    expect(Object.keys(data.entries[`us:${A}`])).toEqual(["checkedAt", "status", "title", "via"]);
    expect(data.entries[`us:${B}`]).toMatchObject({ status: "dead", via: "page" });
    expect(text).toBe(`${JSON.stringify(data, null, 2)}\n`);
    // No temp file left behind.
    expect(await readdir(dir)).toEqual(["amazon-links.lock.json"]);
  });

  it("a second build with a fresh lockfile makes zero requests and leaves the file byte-identical, untouched", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const options = fast(fake, { lockfile: "lock.json" });
    const items = [
      { asin: A, marketplace: "us" },
      { asin: B, marketplace: "us" },
    ];
    const first = await checkAsins(items, options, { configDir: dir });
    const path = join(dir, "lock.json");
    const before = await readFile(path);
    const mtime = (await stat(path)).mtimeMs;
    expect(fake.count()).toBe(2);

    const checker = createChecker(options, { configDir: dir });
    const second = await checker.check(items);
    expect(fake.count()).toBe(2);
    expect(second.map((r) => [r.status, r.checkedAt, r.via, r.fromLockfile])).toEqual(
      first.map((r) => [r.status, r.checkedAt, "page", true]),
    );
    expect(await checker.flush()).toEqual({ written: false, path });
    expect(await readFile(path)).toEqual(before);
    expect((await stat(path)).mtimeMs).toBe(mtime);
  });

  it("never stores unverified; the next build asks again; an older verdict is kept, not overwritten", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" }, behaviours: [{ respond: { captcha: 200 } }] });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    const old = {
      version: 1,
      entries: { [`us:${B}`]: { status: "live", checkedAt: iso(30 * DAY), via: "page", title: "Old B" } },
      shortLinks: {},
    };
    await writeFile(path, serializeLock(old as never));
    const before = await readFile(path, "utf8");
    const results = await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { lockfile: path, retries: 0 }),
      atStart(),
    );
    expect(results[0]).toMatchObject({ status: "unverified" });
    expect(results[1]).toMatchObject({ status: "unverified", title: "Old B", reason: expect.stringMatching(/last known live on/) });
    expect(await readFile(path, "utf8")).toBe(before);
  });

  it("judges entries by the current maxAge: stale live entries are re-checked, fresh ones are not", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A now", [`us:${B}`]: "B" } });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    await writeFile(
      path,
      serializeLock({
        version: 1,
        entries: {
          [`us:${A}`]: { status: "live", checkedAt: iso(3 * DAY), via: "page", title: "A then" },
          [`us:${B}`]: { status: "live", checkedAt: iso(1 * DAY), via: "page", title: "B" },
        },
        shortLinks: {},
      }),
    );
    const results = await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { lockfile: path, maxAge: "2d" }),
      atStart(),
    );
    expect(results[0]).toMatchObject({ status: "live", title: "A now" });
    expect(results[0]!.fromLockfile).toBeUndefined();
    expect(results[1]).toMatchObject({ status: "live", fromLockfile: true });
    expect(fake.count()).toBe(1);
    const data = JSON.parse(await readFile(path, "utf8"));
    expect(data.entries[`us:${A}`].title).toBe("A now");
    expect(data.entries[`us:${A}`].checkedAt).toBe(iso(0));
  });

  it("re-checks dead entries sooner than live ones (deadMaxAge): products come back", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "Back in stock" } });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    const twoDaysAgo = iso(2 * DAY);
    await writeFile(
      path,
      serializeLock({
        version: 1,
        entries: {
          [`us:${A}`]: { status: "dead", checkedAt: twoDaysAgo, via: "page" },
          [`us:${B}`]: { status: "live", checkedAt: twoDaysAgo, via: "page" },
        },
        shortLinks: {},
      }),
    );
    const results = await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { lockfile: path }),
      atStart(),
    );
    expect(results.map((r) => r.status)).toEqual(["live", "live"]);
    expect(results[1]!.fromLockfile).toBe(true);
    expect(fake.requests.map((r) => r.path)).toEqual([`/dp/${A}`]);
  });

  it('via: "lockfile" uses entries of any age, makes no request, and leaves what is missing unverified', async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    await writeFile(
      path,
      serializeLock({
        version: 1,
        entries: { [`us:${A}`]: { status: "live", checkedAt: iso(400 * DAY), via: "creators", title: "A" } },
        shortLinks: {},
      }),
    );
    const results = await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { via: "lockfile", lockfile: path }),
    );
    expect(results[0]).toMatchObject({ status: "live", via: "creators", fromLockfile: true });
    expect(results[1]).toMatchObject({ status: "unverified", via: "lockfile", reason: expect.stringMatching(/not in the lockfile/) });
    expect(fake.count()).toBe(0);
  });

  it("force re-checks every entry (amazon-links refresh) and rewrites what changed", async () => {
    const fake = await fakeAmazon();
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    await writeFile(
      path,
      serializeLock({ version: 1, entries: { [`us:${A}`]: { status: "live", checkedAt: iso(60_000), via: "page" } }, shortLinks: {} }),
    );
    const checker = createChecker(fast(fake, { lockfile: path }), atStart());
    const entries = await checker.lockEntries();
    const items = Object.keys(entries).map((key) => ({ marketplace: key.split(":")[0]!, asin: key.split(":")[1]! }));
    const [result] = await checker.check(items, { force: true });
    expect(result).toMatchObject({ status: "dead" });
    expect(await checker.flush()).toMatchObject({ written: true });
    expect(JSON.parse(await readFile(path, "utf8")).entries[`us:${A}`].status).toBe("dead");
  });

  it("merges what it learned into the file as it is when flushed (another writer's entries are kept)", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`uk:${A}`]: "A (UK)" } });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    const old = { status: "live" as const, checkedAt: iso(60_000), via: "page" as const, title: "B" };
    await writeFile(path, serializeLock({ version: 1, entries: { [`us:${B}`]: old }, shortLinks: {} }));
    const checker = createChecker(fast(fake, { lockfile: path }), atStart());
    const [fromFile, learned] = await checker.check([
      { asin: B, marketplace: "us" },
      { asin: A, marketplace: "us" },
    ]);
    expect(fromFile).toMatchObject({ status: "live", fromLockfile: true, title: "B" });
    expect(learned).toMatchObject({ status: "live" });
    // Meanwhile another build (or a person) adds an entry to the file.
    const other = { status: "dead" as const, checkedAt: iso(1_000), via: "creators" as const };
    const current = JSON.parse(await readFile(path, "utf8"));
    current.entries[`de:${B}`] = other;
    await writeFile(path, serializeLock(current));
    expect(await checker.flush()).toMatchObject({ written: true });
    const written = JSON.parse(await readFile(path, "utf8"));
    expect(Object.keys(written.entries)).toEqual([`de:${B}`, `us:${A}`, `us:${B}`]);
    expect(written.entries[`us:${B}`]).toEqual(old);
    expect(written.entries[`de:${B}`]).toEqual(other);
    expect(written.entries[`us:${A}`]).toMatchObject({ status: "live", via: "page" });
    // Everything known, from the file and from this run, for refresh.
    expect(Object.keys(await checker.lockEntries()).sort()).toEqual([`us:${A}`, `us:${B}`]);
  });

  it("writes atomically: a temp file in the same directory renamed over the old one", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const path = join(dir, "nested", "lock.json");
    const checker = createChecker(fast(fake, { lockfile: path }), atStart());
    await checker.check([{ asin: A, marketplace: "us" }]);
    // Flush twice at once: serialised, the file is whole and no temp file is left.
    const [a, b] = await Promise.all([checker.flush(), checker.flush()]);
    expect([a.written, b.written].sort()).toEqual([false, true]);
    expect(await readdir(join(dir, "nested"))).toEqual(["lock.json"]);
    expect(JSON.parse(await readFile(path, "utf8")).entries[`us:${A}`].status).toBe("live");
  });

  it("a write failure is an error naming the file, and leaves no temp file", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const path = join(dir, "lock.json");
    const checker = createChecker(fast(fake, { lockfile: path }), atStart());
    await checker.check([{ asin: A, marketplace: "us" }]);
    // A directory where the file should be: rename fails.
    const { mkdir } = await import("node:fs/promises");
    await mkdir(path);
    await writeFile(join(path, "keep"), "");
    // The flush reads the file as it is now before merging what it learned: that read fails first here.
    await expect(checker.flush()).rejects.toThrow(new RegExp(`lockfile ${path.replace(/[/.]/g, "\\$&")}`));
    // The write itself, failing at the rename.
    await expect(writeLockfile(path, "{}\n")).rejects.toThrow(new RegExp(`cannot write lockfile ${path.replace(/[/.]/g, "\\$&")}`));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it.each([
    ["corrupt JSON", '{ "version": 1, "entries": {\n<<<<<<< HEAD\n', /is not valid JSON.*merge conflict/],
    [
      "a newer version",
      JSON.stringify({ version: 2, entries: {} }),
      /has version 2, this plugin reads version 1.*upgrade the plugin, or delete the file/,
    ],
    ["no version", JSON.stringify({ entries: {} }), /has version undefined/],
    [
      "a stored unverified status",
      JSON.stringify({ version: 1, entries: { [`us:${A}`]: { status: "unverified", checkedAt: iso(0), via: "page" } } }),
      /entry "us:B000000001" has status "unverified"/,
    ],
    [
      "a bad date",
      JSON.stringify({ version: 1, entries: { [`us:${A}`]: { status: "live", checkedAt: "yesterday", via: "page" } } }),
      /no valid "checkedAt"/,
    ],
    [
      "an unknown checker",
      JSON.stringify({ version: 1, entries: { [`us:${A}`]: { status: "live", checkedAt: iso(0), via: "guess" } } }),
      /"via" "guess"/,
    ],
    [
      "a bad key",
      JSON.stringify({ version: 1, entries: { [A]: { status: "live", checkedAt: iso(0), via: "page" } } }),
      /is not "<store>:<ASIN>"/,
    ],
  ])("%s stops the run with an error naming the file and what to do, and is never overwritten", async (_name, content, message) => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const path = join(dir, "amazon-links.lock.json");
    await writeFile(path, content);
    const checker = createChecker(fast(fake, { lockfile: "amazon-links.lock.json" }), { configDir: dir });
    const error = await checker.check([{ asin: A, marketplace: "us" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockfileError);
    expect((error as Error).message).toMatch(/^\[amazon-links\] lockfile /);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/delete/);
    expect((error as LockfileError).path).toBe(path);
    await checker.flush();
    expect(await readFile(path, "utf8")).toBe(content);
    expect(fake.count()).toBe(0);
  });

  it("lockfile: false reads and writes nothing", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const dir = await tempDir();
    const checker = createChecker(fast(fake, { lockfile: false }), { configDir: dir });
    await checker.check([{ asin: A, marketplace: "us" }]);
    expect(await checker.flush()).toEqual({ written: false, path: false });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("lockfile lookups (Checker.lookup, used for availability in lockfile-only builds)", () => {
  it("answers live/dead from the lockfile without the network, undefined where it does not know; each entry counted once", async () => {
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A", [`de:${A}`]: "A (de)" } });
    const dir = await tempDir();
    await checkAsins(
      [
        { asin: A, marketplace: "us" },
        { asin: A, marketplace: "de" },
        { asin: B, marketplace: "us" },
      ],
      fast(fake, { lockfile: "lock.json" }),
      { configDir: dir },
    );
    const asked = fake.count();
    const checker = createChecker({ via: "lockfile", lockfile: "lock.json" }, { configDir: dir });
    // The lockfile loads with the first check (a lookup before it knows nothing).
    expect(checker.lookup("us", A)).toBeUndefined();
    await checker.check([{ asin: A, marketplace: "us" }]);
    expect(checker.stats.fromLockfile).toBe(1);
    expect(checker.lookup("de", A)).toBe("live");
    expect(checker.lookup("us", B)).toBe("dead");
    expect(checker.lookup("fr", A)).toBeUndefined();
    expect(checker.lookup("us", A)).toBe("live");
    expect(checker.lookup("de", A)).toBe("live");
    // us:A (check and lookup), de:A (twice) and us:B: three entries, each counted once.
    expect(checker.stats.fromLockfile).toBe(3);
    expect(fake.count()).toBe(asked);
    expect(await checker.flush()).toMatchObject({ written: false });
  });

  it("says nothing for stale entries when the checker may ask the network, and nothing when checking is off", async () => {
    const dir = await tempDir();
    const stale = { version: 1, entries: { [`us:${A}`]: { checkedAt: iso(400 * DAY), status: "live", via: "page" } }, shortLinks: {} };
    await writeFile(join(dir, "lock.json"), serializeLock(stale as never));
    const fake = await fakeAmazon({ products: { [`us:${A}`]: "A" } });
    const network = createChecker(fast(fake, { lockfile: "lock.json", maxAge: "30d" }), { configDir: dir, ...atStart() });
    await network.check([]);
    expect(network.lookup("us", A)).toBeUndefined();
    const lockfileOnly = createChecker({ via: "lockfile", lockfile: "lock.json" }, { configDir: dir });
    await lockfileOnly.check([]);
    expect(lockfileOnly.lookup("us", A)).toBe("live");
    const off = createChecker({ via: false, lockfile: "lock.json" }, { configDir: dir });
    await off.check([]);
    expect(off.lookup("us", A)).toBeUndefined();
  });

  it("rejects entry keys that are not <store>:<ASIN>, naming the key", async () => {
    const dir = await tempDir();
    for (const key of [`US:${A}`, `us-${A}`, `us:${A.toLowerCase()}`, `usa:${A}`, `us:${A}0`]) {
      const bad = { version: 1, entries: { [key]: { checkedAt: iso(0), status: "live", via: "page" } }, shortLinks: {} };
      await writeFile(join(dir, "bad.json"), JSON.stringify(bad));
      const checker = createChecker({ via: "lockfile", lockfile: "bad.json" }, { configDir: dir });
      await expect(checker.check([{ asin: A, marketplace: "us" }])).rejects.toThrow(`has an entry "${key}" that is not "<store>:<ASIN>"`);
    }
  });
});
