/**
 * amazon-links.lock.json: what the checkers learned, committed like a package
 * lock. Versioned, keys sorted, 2-space indent and a final newline, written
 * atomically (temp file in the same directory + rename). Only verdicts are
 * stored (`live`, `dead`), each with the checker that produced it; a file we
 * cannot read is an error that names it, never silently replaced.
 */
import { lstat, mkdir, readFile, readlink, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "../atomic-file.js";
import { LockfileError } from "./errors.js";
import { isPlainObject } from "../rules/option-error.js";
import { FileLockTimeout, withFileLock, type FileLockOptions } from "./file-lock.js";

export const LOCKFILE_VERSION = 1;

export interface LockEntry {
  status: "live" | "dead";
  /** ISO 8601. */
  checkedAt: string;
  via: "page" | "creators";
  title?: string;
  redirectedTo?: string;
  /** `false` when the product is live but Amazon shows it as unavailable; absent (available) in older lockfiles. */
  available?: false;
}

export interface ShortLinkEntry {
  target: string;
  checkedAt: string;
}

export interface LockData {
  version: typeof LOCKFILE_VERSION;
  /** Key `<store>:<ASIN>`, e.g. `de:B00EXAMPLE`. */
  entries: Record<string, LockEntry>;
  /** Key: the short link, normalised (`https://amzn.to/3abcd`). */
  shortLinks: Record<string, ShortLinkEntry>;
}

export function entryKey(marketplace: string, asin: string): string {
  return `${marketplace}:${asin}`;
}

export function emptyLock(): LockData {
  return { version: LOCKFILE_VERSION, entries: {}, shortLinks: {} };
}

const FIX = "Fix it by hand, or delete it: the next build (or `amazon-links refresh`) re-checks every ASIN and writes a new one.";

function isIsoDate(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function invalid(path: string, what: string): never {
  throw new LockfileError(`[amazon-links] lockfile ${path} ${what}. ${FIX}`, path);
}

/** Validate parsed JSON; every problem names the file and the key. */
/** `<store>:<ASIN>`: two lower-case letters, a colon, ten upper-case letters or digits. */
function isEntryKey(key: string): boolean {
  if (key.length !== 13 || key.charCodeAt(2) !== 58) return false;
  for (let i = 0; i < 13; i++) {
    if (i === 2) continue;
    const c = key.charCodeAt(i);
    const ok = i < 2 ? c >= 97 && c <= 122 : (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
    if (!ok) return false;
  }
  return true;
}

/** Told of each entry as validation accepts it, with its date already parsed (to build an index in the same pass). */
export type LockEntryVisitor = (key: string, entry: LockEntry, checkedAtMs: number) => void;

export function validateLock(value: unknown, path: string, visit?: LockEntryVisitor): LockData {
  if (!isPlainObject(value)) invalid(path, "is not a JSON object");
  if (value.version !== LOCKFILE_VERSION) {
    const newer = typeof value.version === "number" && value.version > LOCKFILE_VERSION;
    throw new LockfileError(
      `[amazon-links] lockfile ${path} has version ${JSON.stringify(value.version)}, this plugin reads version ${LOCKFILE_VERSION}. ` +
        (newer ? "It was written by a newer eleventy-plugin-amazon-links: upgrade the plugin, or delete the file to start over." : FIX),
      path,
    );
  }
  const entries = value.entries ?? {};
  const shortLinks = value.shortLinks ?? {};
  if (!isPlainObject(entries)) invalid(path, `has "entries" that is not an object`);
  if (!isPlainObject(shortLinks)) invalid(path, `has "shortLinks" that is not an object`);
  // One pass over what may be tens of thousands of entries (every product in every store).
  for (const key in entries) {
    const entry = entries[key];
    if (!isEntryKey(key)) invalid(path, `has an entry "${key}" that is not "<store>:<ASIN>"`);
    if (!isPlainObject(entry)) invalid(path, `has an entry "${key}" that is not an object`);
    // An unverified "verdict" was never produced by a checker: refuse it rather than trust it.
    if (entry.status !== "live" && entry.status !== "dead")
      invalid(path, `entry "${key}" has status ${JSON.stringify(entry.status)} (only "live" and "dead" are stored)`);
    const checkedAtMs = typeof entry.checkedAt === "string" ? Date.parse(entry.checkedAt) : Number.NaN;
    if (Number.isNaN(checkedAtMs)) invalid(path, `entry "${key}" has no valid "checkedAt" date`);
    if (entry.via !== "page" && entry.via !== "creators")
      invalid(path, `entry "${key}" has "via" ${JSON.stringify(entry.via)} (expected "page" or "creators")`);
    if (entry.title !== undefined && typeof entry.title !== "string") invalid(path, `entry "${key}" has a "title" that is not a string`);
    if (entry.redirectedTo !== undefined && typeof entry.redirectedTo !== "string")
      invalid(path, `entry "${key}" has a "redirectedTo" that is not a string`);
    if (entry.available !== undefined && (entry.available !== false || entry.status !== "live"))
      invalid(path, `entry "${key}" has "available" ${JSON.stringify(entry.available)} (only false, on a live entry, is stored)`);
    visit?.(key, entry as unknown as LockEntry, checkedAtMs);
  }
  for (const [key, entry] of Object.entries(shortLinks)) {
    if (!isPlainObject(entry) || typeof entry.target !== "string" || !isIsoDate(entry.checkedAt)) {
      invalid(path, `short link "${key}" needs a "target" and a valid "checkedAt"`);
    }
  }
  return {
    version: LOCKFILE_VERSION,
    entries: entries as Record<string, LockEntry>,
    shortLinks: shortLinks as Record<string, ShortLinkEntry>,
  };
}

/** The lockfile's data, validated (each entry shown to `visit` as it passes); an empty lockfile when the file does not exist yet. */
export async function readLockfile(path: string, visit?: LockEntryVisitor): Promise<LockData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyLock();
    throw new LockfileError(`[amazon-links] cannot read lockfile ${path}: ${(error as Error).message}`, path);
  }
  // Editors on Windows save UTF-8 with a byte order mark; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    invalid(path, `is not valid JSON (${(error as Error).message}); a merge conflict left in it is a common cause`);
  }
  return validateLock(json, path, visit);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  }
  return out;
}

/** Stable text: sorted keys at every level, 2-space indent, trailing newline. */
export function serializeLock(data: LockData): string {
  return `${JSON.stringify(sortKeys({ version: data.version, entries: data.entries, shortLinks: data.shortLinks }), null, 2)}\n`;
}

/** Write the lockfile whole or not at all (temp file + rename); a failure is a LockfileError naming it. */
export async function writeLockfile(path: string, text: string, mode?: number): Promise<void> {
  try {
    await writeFileAtomic(path, text, mode === undefined ? {} : { mode });
  } catch (error) {
    throw new LockfileError(`[amazon-links] cannot write lockfile ${path}: ${(error as Error).message}`, path);
  }
}

/** The file a path names, through any symlinks (the path itself when nothing is there yet). */
async function followSymlinks(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const stats = await lstat(current).catch(() => undefined);
    if (!stats?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new LockfileError(`[amazon-links] lockfile ${path} is a loop of symbolic links. Point it at a file.`, path);
}

/**
 * Merge what a run learned into the lockfile as it is now, and write it back, holding a lock file
 * beside it meanwhile so a concurrent run's verdicts are merged, not overwritten. A symlinked
 * lockfile is written through to its target (a shared file stays shared); a read-only one is refused.
 */
export async function updateLockfile(path: string, update: (current: LockData) => LockData, lock: FileLockOptions = {}): Promise<void> {
  const target = await followSymlinks(path);
  const shown = target === resolve(path) ? path : `${path} (a link to ${target})`;
  const existing = await stat(target).catch(() => undefined);
  if (existing && (existing.mode & 0o222) === 0) {
    throw new LockfileError(
      `[amazon-links] lockfile ${shown} is read-only: the plugin does not replace it. Make it writable (chmod u+w), or set check.via: "lockfile" to use it without writing.`,
      path,
    );
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await withFileLock(
      `${target}.lock`,
      async () => {
        const text = serializeLock(update(await readLockfile(target)));
        await writeLockfile(target, text, existing ? existing.mode & 0o7777 : undefined);
      },
      lock,
    );
  } catch (error) {
    if (error instanceof FileLockTimeout) {
      throw new LockfileError(
        `[amazon-links] cannot write lockfile ${shown}: another run is writing it (${error.lockPath} is held by ${error.holder}). If no build is running, delete ${error.lockPath}.`,
        path,
      );
    }
    if (error instanceof LockfileError) throw error;
    throw new LockfileError(`[amazon-links] cannot write lockfile ${shown}: ${(error as Error).message}`, path);
  }
}

/** Is a stored verdict still trusted under the current rules? Dead ones expire sooner: products come back. */
export function isFresh(entry: { status?: string; checkedAt: string }, now: number, maxAge: number, deadMaxAge: number): boolean {
  return isFreshAt(Date.parse(entry.checkedAt), entry.status === "dead", now, maxAge, deadMaxAge);
}

export function isFreshAt(checkedAtMs: number, dead: boolean, now: number, maxAge: number, deadMaxAge: number): boolean {
  const age = now - checkedAtMs;
  return age >= 0 && age < (dead ? deadMaxAge : maxAge);
}
