/**
 * A big lockfile (every product of a big site in every store), as the built package (dist/, which
 * `npm test` builds first) reads it: packed, its copy kept between builds, errors naming the file.
 */
import { rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
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

describe("a big lockfile (built package)", () => {
  it("is read packed and gives the same answers", async () => {
    const data = bigLock(1000);
    const path = await writeLock(data);
    const { size } = await stat(path);
    expect(size).toBeGreaterThanOrEqual(dist.load.CACHE_MIN_BYTES);
    const loaded = new LockIndex(await dist.load.loadPackedLock(path));
    expect(loaded.size).toBe(8000);
    expect(loaded.entries()).toEqual(new LockIndex(packLock(data)).entries());
    expect(loaded.status(loaded.row("de", asinOf(97)))).toBe("dead");
  });

  it("keeps a packed copy for the next build, which reads it instead of the lockfile", async () => {
    const data = bigLock(1000);
    const path = await writeLock(data);
    const cacheDir = join(await tempDir(), "cache");
    const loaded = await dist.load.loadPackedLock(path, { cacheDir });
    const cache = dist.cache.lockCache(cacheDir, path, await stat(path));
    expect(await dist.cache.readLockCache(cache)).toEqual(loaded);
    expect(new LockIndex(await dist.load.loadPackedLock(path, { cacheDir })).entries()).toEqual(new LockIndex(packLock(data)).entries());
  });

  it("a corrupt or wrong-version big lockfile is an error naming the file", async () => {
    const good = serializeLock(bigLock(1000));
    const broken = await writeLock(`${good.slice(0, 300_000)}<<<<<<< HEAD\n${good.slice(300_000)}`);
    const error = await dist.load.loadPackedLock(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(dist.errors.LockfileError);
    expect((error as Error).message).toContain(`lockfile ${broken} is not valid JSON`);
    expect((error as Error).message).toContain("merge conflict");

    const newer = await writeLock(good.replace('"version": 1', '"version": 2'));
    const versionError = await dist.load.loadPackedLock(newer).catch((e: unknown) => e);
    expect(versionError).toBeInstanceOf(dist.errors.LockfileError);
    expect((versionError as Error).message).toMatch(/has version 2, this plugin reads version 1\. .*upgrade the plugin/);
  });

  it("an Eleventy build reads a big lockfile: statuses and availability from it, a corrupt one fails the build", async () => {
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

    // Cut short.
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
