/**
 * A copy of a big lockfile's packed form, kept between builds so that an unchanged lockfile is not
 * parsed again. The packed form is a few strings and typed arrays, which V8's serializer writes and
 * reads back far faster than the lockfile is parsed, validated and packed.
 *
 * The copy is keyed by the lockfile's absolute path, size, modification time and inode, this format's
 * version and V8's: any difference, or a copy that cannot be read, is a miss, and the lockfile is read
 * as usual. Best effort: the cache never fails a build. It lives where build tools keep theirs,
 * `node_modules/.cache/eleventy-plugin-amazon-links/`, and may be deleted at any time.
 */
import { createHash } from "node:crypto";
import { existsSync, type Stats } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { deserialize, serialize } from "node:v8";
import { writeFileAtomic } from "../atomic-file.js";
import type { PackedLock } from "./lock-index.js";

/** Bumped when PackedLock's layout changes. */
const FORMAT = 1;

export interface LockCacheKey {
  format: number;
  v8: string;
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Where one lockfile's copy is kept. */
export interface LockCache {
  file: string;
  key: LockCacheKey;
}

/** The cache directory for a project: under its node_modules, when it has one (else no cache). */
export function lockCacheDir(projectRoot: string): string | undefined {
  const modules = join(projectRoot, "node_modules");
  return existsSync(modules) ? join(modules, ".cache", "eleventy-plugin-amazon-links") : undefined;
}

/** The copy of the lockfile at `path`, as it is now (`stats`, taken before it is read). */
export function lockCache(cacheDir: string, path: string, stats: Stats): LockCache {
  const absolute = resolve(path);
  const name = createHash("sha256").update(absolute).digest("hex").slice(0, 16);
  return {
    file: join(cacheDir, `lockfile-${name}.bin`),
    key: { format: FORMAT, v8: process.versions.v8, path: absolute, size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino },
  };
}

/** The packed lockfile from the cache, or undefined (no copy, another key, unreadable). */
export async function readLockCache(cache: LockCache): Promise<PackedLock | undefined> {
  try {
    const stored = deserialize(await readFile(cache.file)) as { key?: Partial<LockCacheKey>; packed?: unknown };
    const key = stored?.key;
    if (!key || Object.keys(cache.key).some((name) => key[name as keyof LockCacheKey] !== cache.key[name as keyof LockCacheKey]))
      return undefined;
    return isPackedLock(stored.packed) ? withOwnBuffers(stored.packed) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Node's deserializer makes a typed array that lies aligned in the bytes it reads a view into them: the
 * read buffer, the whole file (16 MB for the 16,000-page bench's lockfile), would then stay alive for as
 * long as the build holds the lockfile. Copying the arrays that are views (there, two of 224 KB) lets it go.
 */
function withOwnBuffers(packed: PackedLock): PackedLock {
  const own = <T extends Uint8Array | Uint32Array | Float64Array>(array: T): T =>
    array.byteLength === array.buffer.byteLength ? array : (array.slice() as T);
  return {
    ...packed,
    groupStart: own(packed.groupStart),
    dead: own(packed.dead),
    creators: own(packed.creators),
    checkedAtMs: own(packed.checkedAtMs),
    fieldEnds: own(packed.fieldEnds),
  };
}

/** The bytes of a copy. */
export function encodeLockCache(cache: LockCache, packed: PackedLock): Buffer {
  return serialize({ key: cache.key, packed });
}

/** Keep a copy; failures (read-only node_modules, full disk) are ignored. */
export async function writeLockCache(cache: LockCache, bytes: Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(cache.file), { recursive: true });
    await writeFileAtomic(cache.file, bytes);
  } catch {
    // best effort: the next build reads the lockfile again
  }
}

/** The shape checks that make a copy safe to index: every array as long as the strings say. */
function isPackedLock(value: unknown): value is PackedLock {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Partial<PackedLock>;
  if (typeof p.asins !== "string" || typeof p.stores !== "string" || typeof p.fields !== "string") return false;
  if (!(p.groupStart instanceof Uint32Array) || !(p.dead instanceof Uint8Array) || !(p.creators instanceof Uint8Array)) return false;
  if (!(p.checkedAtMs instanceof Float64Array) || !(p.fieldEnds instanceof Uint32Array)) return false;
  if (typeof p.shortLinks !== "object" || p.shortLinks === null) return false;
  const rows = p.dead.length;
  return (
    p.asins.length === 10 * (p.groupStart.length - 1) &&
    p.groupStart[p.groupStart.length - 1] === rows &&
    p.stores.length === 2 * rows &&
    p.creators.length === rows &&
    p.checkedAtMs.length === rows &&
    p.fieldEnds.length === 3 * rows &&
    (rows === 0 || p.fieldEnds[3 * rows - 1] === p.fields.length)
  );
}
