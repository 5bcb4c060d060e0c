/**
 * Reading the lockfile into its packed form. A big lockfile (every product in
 * every store of a big site runs to megabytes) is parsed and validated in a
 * worker thread, started when the build starts: the main thread, busy
 * rendering pages, neither pays for JSON.parse nor holds one object per entry.
 */
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { LockfileError } from "./errors.js";
import { encodeLockCache, lockCache, readLockCache, writeLockCache, type LockCache } from "./lock-cache.js";
import { LockPacker, type PackedLock } from "./lock-index.js";
import { readLockfile } from "./lockfile.js";

// The plugin asks for the cache directory here: one module to import when the build starts, not two.
export { lockCacheDir } from "./lock-cache.js";

/** Below this, a thread costs more to start than the parse it saves. */
export const THREAD_MIN_BYTES = 512 * 1024;

/** What the worker is given: the lockfile, and where to keep its packed copy. */
export interface LockWorkerData {
  path: string;
  cache: LockCache | undefined;
}

/** What the worker posts back. */
export type LockWorkerMessage = { ok: true; packed: PackedLock } | { ok: false; message: string; lockfileError: boolean };

export interface LoadLockOptions {
  /** Parse in a worker thread when the file is big enough (default false: in this thread). */
  thread?: boolean;
  /** The worker script (tests); default the compiled one next to this module. */
  workerUrl?: URL | undefined;
  /** Keep a packed copy of a big lockfile here, read instead while the file is unchanged (see lock-cache.ts). */
  cacheDir?: string | undefined;
}

export async function loadPackedLock(path: string, options: LoadLockOptions = {}): Promise<PackedLock> {
  // The file's size and time are taken before its text: a copy is kept under the state it was read in.
  const stats = await stat(path).catch(() => undefined);
  const big = stats !== undefined && stats.size >= THREAD_MIN_BYTES;
  const cache = big && options.cacheDir ? lockCache(options.cacheDir, path, stats) : undefined;
  if (cache) {
    const cached = await readLockCache(cache);
    if (cached) return cached;
  }
  const url = options.workerUrl ?? lockfileWorkerUrl;
  if (options.thread && url && big) {
    const outcome = await readInWorker(path, url, cache);
    if ("packed" in outcome) return outcome.packed;
    if ("error" in outcome) throw outcome.error;
    // The thread could not run (a bundler moved this module away from its worker script, workers not
    // permitted, the thread ran out of memory): read the file here rather than fail the build for it.
  }
  const packed = await readPackedLock(path);
  if (cache) await writeLockCache(cache, encodeLockCache(cache, packed));
  return packed;
}

/** Read, validate and pack in one pass over the entries (in this thread; the worker calls it too). */
export async function readPackedLock(path: string): Promise<PackedLock> {
  const packer = new LockPacker();
  const data = await readLockfile(path, packer.add);
  return packer.finish(data.shortLinks);
}

/** The compiled worker next to this module; none when running from TypeScript sources (tests), which parse in-thread. */
export const lockfileWorkerUrl = import.meta.url.endsWith(".js") ? new URL("./lockfile-worker.js", import.meta.url) : undefined;

type WorkerOutcome = { packed: PackedLock } | { error: LockfileError } | { failed: string };

/** The lockfile read by a worker: its data, the error it found in the file, or why the thread failed. */
function readInWorker(path: string, url: URL, cache: LockCache | undefined): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: WorkerOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: { path, cache } satisfies LockWorkerData });
    } catch (error) {
      settle({ failed: (error as Error).message });
      return;
    }
    worker.once("message", (message: LockWorkerMessage) => {
      if (message.ok) settle({ packed: message.packed });
      else if (message.lockfileError) settle({ error: new LockfileError(message.message, path) });
      else settle({ failed: message.message });
    });
    worker.once("error", (error) => settle({ failed: error.message }));
    worker.once("exit", (code) => settle({ failed: `the reading thread stopped (exit code ${code})` }));
  });
}
