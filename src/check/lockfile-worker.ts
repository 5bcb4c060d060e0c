/** Worker thread entry (see load-lock.ts): read, validate and pack one lockfile, post it back, exit. */
import { parentPort, workerData } from "node:worker_threads";
import { LockfileError } from "./errors.js";
import { packLock, transferablesOf } from "./lock-index.js";
import type { LockWorkerMessage } from "./load-lock.js";
import { readLockfile } from "./lockfile.js";

const { path } = workerData as { path: string };
let reply: LockWorkerMessage;
let transfer: ArrayBuffer[] = [];
try {
  const packed = packLock(await readLockfile(path));
  reply = { ok: true, packed };
  transfer = transferablesOf(packed);
} catch (error) {
  reply = { ok: false, message: (error as Error).message, lockfileError: error instanceof LockfileError };
}
parentPort!.postMessage(reply, transfer);
