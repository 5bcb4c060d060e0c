/**
 * Reading the lockfile into its packed form. A big lockfile (every product in
 * every store of a big site runs to megabytes) is parsed and validated in a
 * worker thread, started when the build starts: the main thread, busy
 * rendering pages, neither pays for JSON.parse nor holds one object per entry.
 */
import { stat } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { LockfileError } from "./errors.js";
import { packLock, type PackedLock } from "./lock-index.js";
import { readLockfile } from "./lockfile.js";

/** Below this, a thread costs more to start than the parse it saves. */
export const THREAD_MIN_BYTES = 512 * 1024;

/** What the worker posts back. */
export type LockWorkerMessage = { ok: true; packed: PackedLock } | { ok: false; message: string; lockfileError: boolean };

export interface LoadLockOptions {
  /** Parse in a worker thread when the file is big enough (default false: in this thread). */
  thread?: boolean;
}

export async function loadPackedLock(path: string, options: LoadLockOptions = {}): Promise<PackedLock> {
  if (options.thread && lockfileWorkerUrl) {
    const size = await stat(path).then(
      (stats) => stats.size,
      () => 0,
    );
    if (size >= THREAD_MIN_BYTES) return loadInWorker(path, lockfileWorkerUrl);
  }
  return packLock(await readLockfile(path));
}

/** The compiled worker next to this module; none when running from TypeScript sources (tests), which parse in-thread. */
export const lockfileWorkerUrl = import.meta.url.endsWith(".js") ? new URL("./lockfile-worker.js", import.meta.url) : undefined;

function loadInWorker(path: string, url: URL): Promise<PackedLock> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: { path } });
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      reject(new LockfileError(message, path));
    };
    worker.once("message", (message: LockWorkerMessage) => {
      if (message.ok) {
        settled = true;
        resolve(message.packed);
      } else {
        fail(message.lockfileError ? message.message : `[amazon-links] cannot read lockfile ${path}: ${message.message}`);
      }
    });
    worker.once("error", (error) => fail(`[amazon-links] cannot read lockfile ${path}: ${error.message}`));
    worker.once("exit", (code) => fail(`[amazon-links] cannot read lockfile ${path}: the reading thread stopped (exit code ${code})`));
  });
}

