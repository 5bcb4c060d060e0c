/** Worker thread entry (see load-lock.ts): read, validate and pack one lockfile, post it back, exit. */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { LockfileError } from "./errors.js";
import { transferablesOf } from "./lock-index.js";
import { encodeLockCache, writeLockCache } from "./lock-cache.js";
import { readPackedLock, type LockWorkerData, type LockWorkerMessage } from "./load-lock.js";

const { path, cache } = workerData as LockWorkerData;
lowerPriority();
let reply: LockWorkerMessage;
let transfer: ArrayBuffer[] = [];
let copy: Buffer | undefined;
try {
  const packed = await readPackedLock(path);
  reply = { ok: true, packed };
  // Serialized before its buffers are transferred (they are gone from this thread then).
  if (cache) copy = encodeLockCache(cache, packed);
  transfer = transferablesOf(packed);
} catch (error) {
  reply = { ok: false, message: (error as Error).message, lockfileError: error instanceof LockfileError };
}
parentPort!.postMessage(reply, transfer);
// The build goes on with the data; the copy for the next build is written meanwhile.
if (cache && copy) await writeLockCache(cache, copy);

/**
 * This thread runs while Eleventy renders, and a CI runner has two cores that Eleventy's own thread and
 * the garbage collector's helpers already keep busy: on Linux, give this thread (a task of its own, whose
 * id /proc/thread-self names) the lowest scheduling priority, so it takes only the time nobody else wants.
 * Elsewhere, or when not allowed, it runs at normal priority.
 */
function lowerPriority(): void {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 19);
  } catch {
    // not Linux, or no /proc: normal priority
  }
}
