/**
 * Digests of source files, read and hashed again only when a file's state (size, modification and
 * change times, inode) moved since it was last hashed: checking the key of a thousand cached pages
 * costs a thousand `stat` calls, not a thousand reads. As in Git's index, a state is trusted only when
 * the file had been still for a while when it was hashed: a file written twice within the file
 * system's timestamp granularity can keep its state with other bytes. The change time catches tools
 * that put an old modification time back (`rsync -t`, `tar x`, `cp -p`).
 */
import { readFileSync, statSync } from "node:fs";
import type { Clock } from "../check/clock.js";
import { digest } from "./fingerprint.js";

export type FileState = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** How long a file must have been still, when hashed, for its state to vouch for its bytes later. */
const STILL_MS = 2_000;

export class FileDigests {
  readonly #clock: Clock;
  /** Absolute path → the digest of its bytes and the state they had, when that state can be trusted. */
  readonly #known = new Map<string, { state: FileState; digest: string }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** What an earlier process learned (the page cache file): used while the file's state is the same. */
  remember(path: string, state: FileState, fileDigest: string): void {
    if (!this.#known.has(path)) this.#known.set(path, { state, digest: fileDigest });
  }

  /** The digest of the file's bytes, "" when it cannot be read (a virtual template, a removed file). */
  digestOf(path: string): string {
    const state = stateOf(path);
    if (state === undefined) {
      this.#known.delete(path);
      return "";
    }
    const known = this.#known.get(path);
    if (known && sameState(known.state, state)) return known.digest;
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      this.#known.delete(path);
      return "";
    }
    const fresh = digest(bytes);
    // Read after the stat: when the file was still before the stat, these bytes are the stat's.
    if (this.#clock.now() - Math.max(state[1], state[2]) >= STILL_MS) this.#known.set(path, { state, digest: fresh });
    else this.#known.delete(path);
    return fresh;
  }

  /** The state that vouches for the file's last digest, when there is one (to keep with the digest). */
  trustedState(path: string): FileState | null {
    return this.#known.get(path)?.state ?? null;
  }
}

function stateOf(path: string): FileState | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isFile() ? [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino] : undefined;
  } catch {
    return undefined;
  }
}

const sameState = (a: FileState, b: FileState): boolean => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

export const isFileState = (value: unknown): value is FileState =>
  Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === "number" && Number.isFinite(n));
