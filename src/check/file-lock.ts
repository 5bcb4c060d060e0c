/**
 * An exclusive lock beside a file, so two processes (two builds, a build and
 * `amazon-links refresh`) that read, merge and rewrite it take turns instead of
 * losing each other's writes. The lock is a file created with O_EXCL holding
 * the owner's pid and host; a lock whose owner is gone (or that is older than
 * any write takes) is stale and taken over.
 */
import { hostname } from "node:os";
import { open, readFile, rm, stat } from "node:fs/promises";

export interface FileLockOptions {
  /** Give up waiting after this many milliseconds. */
  timeout?: number;
  /** A lock older than this is left over from a process that did not clean up. */
  stale?: number;
}

export class FileLockTimeout extends Error {
  override name = "FileLockTimeout";
  constructor(
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`${lockPath} is held by ${holder}`);
  }
}

const HOST = hostname();

/** Run `work` while holding `lockPath`; the lock is removed afterwards, whatever happens. */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const stale = options.stale ?? 120_000;
  const giveUpAt = Date.now() + timeout;
  for (let attempt = 0; ; attempt++) {
    const acquired = await tryAcquire(lockPath);
    if (acquired) break;
    const holder = await inspect(lockPath);
    if (holder && (holder.gone || holder.ageMs > stale)) {
      // Only the lock we looked at is removed: if another waiter took it over meanwhile, its content differs.
      await removeIf(lockPath, holder.text);
      continue;
    }
    if (Date.now() >= giveUpAt) throw new FileLockTimeout(lockPath, holder?.description ?? "another process");
    // Short waits with jitter: writes take milliseconds, and waiters should not wake in step.
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** Math.min(attempt, 4), 100) + Math.random() * 20));
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx");
    try {
      await handle.writeFile(`${process.pid}\n${HOST}\n${Date.now()}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

interface Holder {
  text: string;
  description: string;
  /** The owner ran on this host and is no longer running. */
  gone: boolean;
  ageMs: number;
}

async function inspect(lockPath: string): Promise<Holder | undefined> {
  try {
    const [text, stats] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
    const [pidText = "", host = ""] = text.split("\n");
    const pid = Number(pidText);
    const ageMs = Date.now() - stats.mtimeMs;
    // A lock still being written (empty for an instant) is not judged by its content.
    const gone = text.length > 0 && host === HOST && Number.isInteger(pid) && pid > 0 && !isRunning(pid);
    return { text, description: pid > 0 ? `process ${pid}${host && host !== HOST ? ` on ${host}` : ""}` : "another process", gone, ageMs };
  } catch {
    return undefined; // released meanwhile: try again
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeIf(lockPath: string, text: string): Promise<void> {
  const now = await readFile(lockPath, "utf8").catch(() => undefined);
  if (now === text) await rm(lockPath, { force: true });
}
