/**
 * The packed copy of a big lockfile kept between builds: read while the lockfile is unchanged, never
 * trusted otherwise, never a reason for a build to fail.
 */
import { mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockCache, lockCacheDir, readLockCache } from "../../src/check/lock-cache.js";
import { loadPackedLock, CACHE_MIN_BYTES } from "../../src/check/load-lock.js";
import { packLock } from "../../src/check/lock-index.js";
import { serializeLock, type LockData } from "../../src/check/lockfile.js";
import { tempDir } from "./helpers.js";

const STORES = ["us", "uk", "de", "fr", "it", "es", "ca", "jp"];
const asinOf = (n: number): string => `B${String(n).padStart(9, "0")}`;

/** Every product in every store; `status` for all of them (same text length either way). */
function lockOf(products: number, status: "live" | "dead" = "live"): LockData {
  const entries: LockData["entries"] = {};
  for (let n = 0; n < products; n++) {
    for (const store of STORES)
      entries[`${store}:${asinOf(n)}`] = { status, checkedAt: "2026-11-20T08:00:00.000Z", via: "page", title: `Product ${n}` };
  }
  return {
    version: 1,
    entries,
    shortLinks: { "https://amzn.to/x": { target: "https://www.amazon.com/dp/B000000001", checkedAt: "2026-11-20T08:00:00.000Z" } },
  };
}

/** What reading the written file gives (its entries in the file's order). */
const packedOf = (products: number): ReturnType<typeof packLock> => packLock(JSON.parse(serializeLock(lockOf(products))) as LockData);

async function setup(products = 1000) {
  const dir = await tempDir();
  const path = join(dir, "amazon-links.lock.json");
  await writeFile(path, serializeLock(lockOf(products)));
  return { path, cacheDir: join(dir, "node_modules", ".cache", "eleventy-plugin-amazon-links") };
}

describe("the lockfile cache", () => {
  it("keeps a copy of a big lockfile and reads it back while the file is unchanged (same size, same time)", async () => {
    const { path, cacheDir } = await setup();
    expect((await stat(path)).size).toBeGreaterThanOrEqual(CACHE_MIN_BYTES);
    const time = new Date("2026-11-20T09:00:00Z");
    await utimes(path, time, time);
    const first = await loadPackedLock(path, { cacheDir });
    expect(first).toEqual(packedOf(1000));
    const cache = lockCache(cacheDir, path, await stat(path));
    expect(await readLockCache(cache)).toEqual(first);

    // Rewritten with text of the same length but its time put back: the copy answers (the key is the
    // file's size, time and inode, not its bytes). A real edit changes the time.
    await writeFile(path, serializeLock(lockOf(1000, "dead")));
    await utimes(path, time, time);
    expect((await loadPackedLock(path, { cacheDir })).dead.every((d) => d === 0)).toBe(true);

    const later = new Date(time.getTime() + 5000);
    await utimes(path, later, later);
    const reread = await loadPackedLock(path, { cacheDir });
    expect(reread.dead.every((d) => d === 1)).toBe(true);
    expect(await readLockCache(lockCache(cacheDir, path, await stat(path)))).toEqual(reread);
  });

  it("ignores a copy it cannot read, or one made for another file state, and writes a good one", async () => {
    const { path, cacheDir } = await setup();
    await loadPackedLock(path, { cacheDir });
    const cache = lockCache(cacheDir, path, await stat(path));
    await writeFile(cache.file, "not a serialized lockfile");
    expect(await readLockCache(cache)).toBeUndefined();
    expect(await loadPackedLock(path, { cacheDir })).toEqual(packedOf(1000));
    expect(await readLockCache(cache)).toEqual(packedOf(1000));
    expect(await readLockCache({ ...cache, key: { ...cache.key, v8: "0.0.0" } })).toBeUndefined();
    expect(await readLockCache({ ...cache, key: { ...cache.key, size: cache.key.size + 1 } })).toBeUndefined();
  });

  it("keeps no copy of a small lockfile, and none when there is nowhere to write it", async () => {
    const small = await setup(10);
    expect(await loadPackedLock(small.path, { cacheDir: small.cacheDir })).toEqual(packedOf(10));
    await expect(stat(small.cacheDir)).rejects.toThrow();

    const big = await setup();
    const modules = join(big.cacheDir, "..", "..");
    await mkdir(modules);
    await writeFile(join(modules, ".cache"), "a file where the cache directory would go");
    expect(await loadPackedLock(big.path, { cacheDir: big.cacheDir })).toEqual(packedOf(1000));
  });

  it("a corrupt lockfile is still an error naming it, whatever the cache holds", async () => {
    const { path, cacheDir } = await setup();
    await loadPackedLock(path, { cacheDir });
    const text = await readFile(path, "utf8");
    await writeFile(path, text.slice(0, -3));
    await expect(loadPackedLock(path, { cacheDir })).rejects.toThrow(`lockfile ${path} is not valid JSON`);
  });

  it("lives under the project's node_modules, and nowhere without one", async () => {
    const dir = await tempDir();
    expect(lockCacheDir(dir)).toBeUndefined();
    expect(lockCacheDir(process.cwd())).toBe(join(process.cwd(), "node_modules", ".cache", "eleventy-plugin-amazon-links"));
  });
});
