/**
 * The page cache on disk: one file per output directory, under the plugin's cache directory
 * (node_modules/.cache/eleventy-plugin-amazon-links/, where build tools keep theirs). The pages'
 * bytes (rewritten HTML and result JSON, each read only when its page is a hit), then a last line of
 * JSON (the format, its version, the build key, one small record per page): the pages are encoded and
 * written one at a time, so the file is never whole in memory. Written into a temp file and renamed,
 * so a reader sees the old file or the new one. A file that is missing, cut short, of another version
 * or another build is no cache at all, and nothing is said: it may be deleted at any time.
 */
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { PieceFile } from "../atomic-file.js";
import { digest } from "./fingerprint.js";

/** Bumped when the file's layout or an entry's meaning changes; the version is in the file name and the header. */
export const PAGE_CACHE_VERSION = 2;
const FORMAT = "eleventy-plugin-amazon-links/pages";

/** One page's record. Byte ranges are into the bytes before the last line. */
export interface DiskEntry {
  output: string;
  input: string | null;
  /** Digest of the page as Eleventy gave it to the transform. */
  page: string;
  /** Digest of its input file's bytes ("" when it has none). */
  source: string;
  /** Digest of the layouts, includes and data files, when a row was placed outside the input. */
  shared: string | null;
  /** Valid from, and until before (epoch ms); null for no bound. */
  notBefore: number | null;
  expires: number | null;
  /** The rewritten page; null when the transform left it as it was. */
  html: [number, number] | null;
  /** The page's result as JSON; null when it had none. */
  result: [number, number] | null;
  /** Its rows' places as JSON; null when not known. */
  places: [number, number] | null;
}

/** An entry to write: its record (ranges are filled in) and its bytes. */
export interface EntryToWrite {
  meta: Omit<DiskEntry, "html" | "result" | "places">;
  html: string | Uint8Array | null;
  result: string | Uint8Array | null;
  places: string | Uint8Array | null;
}

export interface LoadedFile {
  entries: DiskEntry[];
  /** The bytes the ranges point into. */
  bytes: Buffer;
}

/** Where the cache of the site written to `outputDir` is kept. */
export function pageCacheFile(cacheDir: string, outputDir: string): string {
  return join(cacheDir, `pages-v${PAGE_CACHE_VERSION}-${digest(resolve(outputDir)).slice(0, 16)}.bin`);
}

/** The file's entries when it is this version's and was written for `build`; else undefined, silently. */
export async function readPageCacheFile(path: string, build: string): Promise<LoadedFile | undefined> {
  try {
    const file = await readFile(path);
    // The last line (JSON holds no raw line break); the pages' bytes before it may hold any.
    if (file.length < 2 || file[file.length - 1] !== 10) return undefined;
    const start = file.lastIndexOf(10, file.length - 2);
    if (start < 0) return undefined;
    const header = JSON.parse(file.toString("utf8", start + 1, file.length - 1)) as {
      format?: unknown;
      version?: unknown;
      build?: unknown;
      entries?: unknown;
    };
    if (header.format !== FORMAT || header.version !== PAGE_CACHE_VERSION || header.build !== build) return undefined;
    const bytes = file.subarray(0, start);
    if (!Array.isArray(header.entries) || !header.entries.every((entry) => isDiskEntry(entry, bytes.length))) return undefined;
    return { entries: header.entries as DiskEntry[], bytes };
  } catch {
    return undefined;
  }
}

/**
 * Write the file (temp file, then rename), each entry encoded as it is written: `toWrite` may be a
 * generator that makes each entry's text only when it is reached.
 */
export async function writePageCacheFile(path: string, build: string, toWrite: Iterable<EntryToWrite>): Promise<void> {
  const file = await PieceFile.create(path);
  try {
    const put = async (data: string | Uint8Array | null): Promise<[number, number] | null> => {
      if (data === null) return null;
      const start = file.size;
      if (typeof data === "string") await file.write(data);
      else await file.writeBytes(data);
      return [start, file.size];
    };
    const entries: DiskEntry[] = [];
    for (const { meta, html, result, places } of toWrite) {
      entries.push({ ...meta, html: await put(html), result: await put(result), places: await put(places) });
    }
    await file.write(`\n${JSON.stringify({ format: FORMAT, version: PAGE_CACHE_VERSION, build, entries })}\n`);
    await file.commit();
  } catch (error) {
    await file.abandon();
    throw error;
  }
}

/** Page caches kept per project: one per output directory, the most recently written first. */
export const KEPT_FILES = 16;

/**
 * Drop the page caches of other versions, and of output directories beyond the most recent
 * KEPT_FILES (sites built once, such as test builds in temp directories), so the directory does not grow.
 */
export async function pruneCacheFiles(kept: string): Promise<void> {
  const dir = dirname(kept);
  const names = (await readdir(dir).catch(() => [])).filter((name) => /^pages-v\d+-[0-9a-f]+\.bin$/.test(name) && name !== basename(kept));
  const current = `pages-v${PAGE_CACHE_VERSION}-`;
  const others = names.filter((name) => !name.startsWith(current));
  const dated = await Promise.all(
    names
      .filter((name) => name.startsWith(current))
      .map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  dated.sort((a, b) => b.at - a.at);
  const old = [...others, ...dated.slice(KEPT_FILES - 1).map((file) => file.name)];
  await Promise.all(old.map((name) => rm(join(dir, name), { force: true })));
}

const isRange = (value: unknown, size: number): boolean =>
  value === null ||
  (Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    Number.isSafeInteger(value[1]) &&
    0 <= value[0] &&
    value[0] <= value[1] &&
    value[1] <= size);
const isBound = (value: unknown): boolean => value === null || (typeof value === "number" && Number.isFinite(value));
const isStringOrNull = (value: unknown): boolean => value === null || typeof value === "string";

function isDiskEntry(value: unknown, size: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Record<keyof DiskEntry, unknown>;
  return (
    typeof e.output === "string" &&
    isStringOrNull(e.input) &&
    typeof e.page === "string" &&
    typeof e.source === "string" &&
    isStringOrNull(e.shared) &&
    isBound(e.notBefore) &&
    isBound(e.expires) &&
    isRange(e.html, size) &&
    isRange(e.result, size) &&
    isRange(e.places, size)
  );
}
