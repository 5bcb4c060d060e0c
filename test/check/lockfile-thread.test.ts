/**
 * The lockfile read in a worker thread while Eleventy renders. A worker runs
 * compiled JavaScript, so these tests use the built package (dist/, which
 * `npm test` builds first) where the rest of the suite uses the sources.
 */
import { rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
// @ts-expect-error Eleventy 3 ships no type declarations usable here.
import Eleventy from "@11ty/eleventy";
import { LockIndex, packLock } from "../../src/check/lock-index.js";
import { serializeLock, type LockData } from "../../src/check/lockfile.js";
import { tempDir } from "./helpers.js";

const dist = {
  load: (await import("../../dist/check/load-lock.js")) as typeof import("../../src/check/load-lock.js"),
  errors: (await import("../../dist/check/errors.js")) as typeof import("../../src/check/errors.js"),
  cache: (await import("../../dist/check/lock-cache.js")) as typeof import("../../src/check/lock-cache.js"),
  plugin: ((await import("../../dist/index.js")) as typeof import("../../src/index.js")).default,
};

const STORES = ["us", "uk", "de", "fr", "it", "es", "ca", "jp"];

/** ASINs B000000000 + n: well-formed (B and 9 letters or digits). */
const asinOf = (n: number): string => `B${String(n).padStart(9, "0")}`;

/** A lockfile as a checker leaves it for a big site: every product in every store. */
function bigLock(products: number): LockData {
  const entries: LockData["entries"] = {};
  for (let n = 0; n < products; n++) {
    for (const store of STORES) {
      entries[`${store}:${asinOf(n)}`] = {
        status: n % 97 === 0 && store === "de" ? "dead" : "live",
        checkedAt: "2026-11-20T08:00:00.000Z",
        via: "page",
        title: `Product ${n} in ${store}`,
      };
    }
  }
  return { version: 1, entries, shortLinks: {} };
}

async function writeLock(data: LockData | string): Promise<string> {
  const path = join(await tempDir(), "amazon-links.lock.json");
  await writeFile(path, typeof data === "string" ? data : serializeLock(data));
  return path;
}

describe("lockfile read in a worker thread (built package)", () => {
  it("the built package has the worker; the sources (tests) read in-thread", () => {
    expect(dist.load.lockfileWorkerUrl?.href).toMatch(/\/dist\/check\/lockfile-worker\.js$/);
  });

  it("the worker posts back what the in-thread reader makes, buffers transferred", async () => {
    const data = bigLock(50);
    const path = await writeLock(data);
    const message = await new Promise<unknown>((resolve, reject) => {
      const worker = new Worker(dist.load.lockfileWorkerUrl!, { workerData: { path } });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(message).toMatchObject({ ok: true });
    const { packed } = message as { packed: ReturnType<typeof packLock> };
    expect(new LockIndex(packed).entries()).toEqual(new LockIndex(packLock(data)).entries());
  });

  it("a big lockfile goes through the thread and gives the same answers", async () => {
    const data = bigLock(1000);
    const path = await writeLock(data);
    const { size } = await import("node:fs/promises").then((fs) => fs.stat(path));
    expect(size).toBeGreaterThanOrEqual(dist.load.THREAD_MIN_BYTES);
    const threaded = new LockIndex(await dist.load.loadPackedLock(path, { thread: true }));
    expect(threaded.size).toBe(8000);
    expect(threaded.entries()).toEqual(new LockIndex(packLock(data)).entries());
    expect(threaded.status(threaded.row("de", asinOf(97)))).toBe("dead");
  });

  it("the thread keeps a packed copy for the next build, which reads it instead of the lockfile", async () => {
    const data = bigLock(1000);
    const path = await writeLock(data);
    const cacheDir = join(await tempDir(), "cache");
    const threaded = await dist.load.loadPackedLock(path, { thread: true, cacheDir });
    const cache = dist.cache.lockCache(cacheDir, path, await stat(path));
    // Written by the thread after it hands the data over: wait for it.
    let copy: Awaited<ReturnType<typeof dist.cache.readLockCache>>;
    for (let i = 0; i < 100 && !(copy = await dist.cache.readLockCache(cache)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(copy).toEqual(threaded);
    expect(new LockIndex(await dist.load.loadPackedLock(path, { thread: true, cacheDir })).entries()).toEqual(
      new LockIndex(packLock(data)).entries(),
    );
  });

  it("reads in this thread when the worker cannot run (script moved by a bundler, thread crashed)", async () => {
    const data = bigLock(1000);
    const path = await writeLock(data);
    const expected = new LockIndex(packLock(data)).entries();
    const missing = new URL("./no-such-worker.js", dist.load.lockfileWorkerUrl);
    expect(new LockIndex(await dist.load.loadPackedLock(path, { thread: true, workerUrl: missing })).entries()).toEqual(expected);
    const crashing = join(await tempDir(), "crash.mjs");
    await writeFile(crashing, "throw new Error('boom');\n");
    expect(new LockIndex(await dist.load.loadPackedLock(path, { thread: true, workerUrl: pathToFileURL(crashing) })).entries()).toEqual(
      expected,
    );
    // A broken file is still an error naming it, found by whichever reader runs.
    await writeFile(path, "{ not json".padEnd(dist.load.THREAD_MIN_BYTES + 10, " "));
    await expect(dist.load.loadPackedLock(path, { thread: true, workerUrl: missing })).rejects.toThrow(
      `lockfile ${path} is not valid JSON`,
    );
  });

  it("a corrupt or wrong-version big lockfile is an error naming the file, as in-thread", async () => {
    const good = serializeLock(bigLock(1000));
    const broken = await writeLock(`${good.slice(0, 300_000)}<<<<<<< HEAD\n${good.slice(300_000)}`);
    const error = await dist.load.loadPackedLock(broken, { thread: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(dist.errors.LockfileError);
    expect((error as Error).message).toContain(`lockfile ${broken} is not valid JSON`);
    expect((error as Error).message).toContain("merge conflict");

    const newer = await writeLock(good.replace('"version": 1', '"version": 2'));
    const versionError = await dist.load.loadPackedLock(newer, { thread: true }).catch((e: unknown) => e);
    expect(versionError).toBeInstanceOf(dist.errors.LockfileError);
    expect((versionError as Error).message).toMatch(/has version 2, this plugin reads version 1\. .*upgrade the plugin/);
  });

  it("an Eleventy build reads a big lockfile in the thread: statuses and availability from it, a corrupt one fails the build", async () => {
    const input = await tempDir();
    const lockfile = await writeLock(bigLock(1000));
    await writeFile(
      join(input, "post.md"),
      `# Post\n\n[one](https://www.amazon.com/dp/${asinOf(1)}) and [two](https://www.amazon.de/dp/${asinOf(97)}) and [three](https://www.amazon.com/dp/B0NOTINLCK)\n`,
    );
    const build = async () => {
      const output = await tempDir();
      const reportPath = join(output, "report.json");
      const elev = new Eleventy(input, join(output, "_site"), {
        configPath: false,
        quietMode: true,
        config(cfg: any) {
          cfg.addPlugin(dist.plugin, {
            quiet: true,
            tags: Object.fromEntries(STORES.map((s) => [s, `ours-${s}-21`])),
            check: { via: "lockfile", lockfile },
            report: { json: reportPath, html: false },
          });
        },
      });
      elev.disableLogger?.();
      const error = await elev.write().then(
        () => undefined,
        (e: unknown) => e,
      );
      const report = await import("node:fs/promises").then((fs) => fs.readFile(reportPath, "utf8")).then(JSON.parse, () => undefined);
      const page = await import("node:fs/promises")
        .then((fs) => fs.readFile(join(output, "_site/post/index.html"), "utf8"))
        .catch(() => "");
      return { error, report, page };
    };

    const { error, report, page } = await build();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/1 Amazon link error/);
    const byAsin = Object.fromEntries(report.links.map((l: { asin: string }) => [l.asin, l]));
    expect(byAsin[asinOf(1)]).toMatchObject({ status: "live", checkedVia: "page" });
    expect(byAsin[asinOf(97)]).toMatchObject({ status: "dead" });
    expect(byAsin[asinOf(97)].findings.map((f: { rule: string }) => f.rule)).toContain("dead-asin");
    expect(byAsin.B0NOTINLCK).toMatchObject({ status: "unverified" });
    expect(report.checking).toMatchObject({ via: "lockfile", fromLockfile: 16, fromNetwork: 0 });
    // Product 1 is live in all 8 stores: the localization script may send visitors to any of them.
    expect(page).toContain(`data-amazon-live="${[...STORES].sort().join(" ")}"`);

    // Cut short (big enough for the thread: small files are read in-thread).
    await writeFile(lockfile, `${serializeLock(bigLock(1000)).slice(0, -2)}\n`);
    const failed = await build();
    // Eleventy wraps a transform's error; ours is at the end of the chain.
    const messages: string[] = [];
    for (let e = failed.error as { message?: string; originalError?: unknown; cause?: unknown } | undefined; e; ) {
      messages.push(String(e.message));
      e = (e.originalError ?? e.cause) as typeof e;
    }
    expect(messages.at(-1)).toContain(`lockfile ${lockfile} is not valid JSON`);
    // The first build kept a packed copy in this project's node_modules/.cache: not left behind by a test.
    const cacheDir = dist.cache.lockCacheDir(process.cwd());
    if (cacheDir) await rm(dist.cache.lockCache(cacheDir, lockfile, await stat(lockfile)).file, { force: true });
  });
});
