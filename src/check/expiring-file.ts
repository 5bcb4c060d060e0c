/**
 * A small JSON file of entries that expire, kept between builds in the
 * project's cache directory (node_modules/.cache/eleventy-plugin-amazon-links/),
 * never in the committed lockfile. Best effort: a missing or unreadable file is
 * empty, a failed write is skipped; neither fails a build. Without a directory
 * the entries live for the run only.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-file.js";

interface Stored<T> {
  value: T;
  /** Epoch ms after which the entry is gone. */
  expires: number;
}

const FORMAT = 1;

export class ExpiringFile<T> {
  private readonly entries = new Map<string, Stored<T>>();
  private dirty = false;

  /** The file `name` in `dir` (none: in memory only); empty until `load`. */
  constructor(
    dir: string | undefined,
    name: string,
    private readonly valid: (value: unknown) => value is T,
  ) {
    this.path = dir === undefined ? undefined : join(dir, name);
  }

  private readonly path: string | undefined;

  /** The file `name` in `dir`, read now. */
  static async open<T>(dir: string | undefined, name: string, valid: (value: unknown) => value is T): Promise<ExpiringFile<T>> {
    const file = new ExpiringFile<T>(dir, name, valid);
    await file.load();
    return file;
  }

  /** Read the file (entries set meanwhile win). */
  async load(): Promise<void> {
    const path = this.path;
    if (!path) return;
    try {
      const json = JSON.parse(await readFile(path, "utf8")) as { format?: unknown; entries?: unknown };
      if (json.format !== FORMAT || typeof json.entries !== "object" || json.entries === null) return;
      for (const [key, raw] of Object.entries(json.entries as Record<string, unknown>)) {
        const stored = raw as Partial<Stored<unknown>>;
        if (this.entries.has(key)) continue;
        if (typeof stored?.expires === "number" && this.valid(stored.value))
          this.entries.set(key, { value: stored.value, expires: stored.expires });
      }
    } catch {
      // Missing or unreadable: start empty.
    }
  }

  /** The entry, while it has not expired. */
  get(key: string, now: number): T | undefined {
    const stored = this.entries.get(key);
    return stored && stored.expires > now ? stored.value : undefined;
  }

  /** Time left (ms) of an entry, 0 when gone. */
  remaining(key: string, now: number): number {
    const stored = this.entries.get(key);
    return stored ? Math.max(0, stored.expires - now) : 0;
  }

  set(key: string, value: T, expires: number): void {
    this.entries.set(key, { value, expires });
    this.dirty = true;
  }

  /** Write what changed (expired entries dropped). */
  async save(now: number): Promise<void> {
    if (!this.dirty || !this.path) return;
    this.dirty = false;
    const entries: Record<string, Stored<T>> = {};
    for (const [key, stored] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (stored.expires > now) entries[key] = stored;
    }
    await writeFileAtomic(this.path, `${JSON.stringify({ format: FORMAT, entries }, null, 1)}\n`).catch(() => undefined);
  }
}
