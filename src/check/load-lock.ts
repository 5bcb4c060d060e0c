/**
 * Reading the lockfile into its packed form (lock-index.ts): a big lockfile (every product in every
 * store of a big site runs to megabytes) is held as a few strings and typed arrays, not one object per
 * entry, and a packed copy of it is kept between builds while the file is unchanged (lock-cache.ts).
 */
import { stat } from "node:fs/promises";
import { encodeLockCache, lockCache, readLockCache, writeLockCache } from "./lock-cache.js";
import { LockPacker, type PackedLock } from "./lock-index.js";
import { readLockfile } from "./lockfile.js";

// The plugin asks for the cache directory here: one module to import when the build starts, not two.
export { lockCacheDir } from "./lock-cache.js";

/** Below this, reading the copy saves less than writing it costs. */
export const CACHE_MIN_BYTES = 512 * 1024;

export interface LoadLockOptions {
  /** Keep a packed copy of a big lockfile here, read instead while the file is unchanged (see lock-cache.ts). */
  cacheDir?: string | undefined;
}

export async function loadPackedLock(path: string, options: LoadLockOptions = {}): Promise<PackedLock> {
  // The file's size and time are taken before its text: a copy is kept under the state it was read in.
  const stats = await stat(path).catch(() => undefined);
  const cache = stats && stats.size >= CACHE_MIN_BYTES && options.cacheDir ? lockCache(options.cacheDir, path, stats) : undefined;
  if (cache) {
    const cached = await readLockCache(cache);
    if (cached) return cached;
  }
  const packed = await readPackedLock(path);
  if (cache) await writeLockCache(cache, encodeLockCache(cache, packed));
  return packed;
}

/** Read, validate and pack in one pass over the entries. */
export async function readPackedLock(path: string): Promise<PackedLock> {
  const packer = new LockPacker();
  const data = await readLockfile(path, packer.add);
  return packer.finish(data.shortLinks);
}
