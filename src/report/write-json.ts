/**
 * Report files, written atomically (a temp file beside it, then a rename, so
 * readers never see half a report) and in pieces: a big site's report runs to
 * megabytes, and one string plus one buffer of it all is that much more peak
 * memory at the end of a build.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Report } from "./types.js";

/**
 * About how much is written at once, in UTF-16 code units: small enough that a piece (even a two-byte
 * one) is an ordinary young-generation string, not a large object that only a full GC frees.
 */
const PIECE = 32 * 1024;

export async function writeFileAtomic(path: string, contents: string | Iterable<string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writePieces(temp, typeof contents === "string" ? piecesOf(contents) : contents);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function writePieces(path: string, pieces: Iterable<string>): Promise<void> {
  const handle = await open(path, "w");
  // One buffer, encoded into again and again (3 bytes per code unit at most), rather than one per piece.
  const buffer = Buffer.allocUnsafe(3 * 2 * PIECE);
  try {
    let pending = "";
    const flush = async (): Promise<void> => {
      const bytes = pending.length * 3 <= buffer.length ? buffer.subarray(0, buffer.write(pending, 0, "utf8")) : Buffer.from(pending, "utf8");
      pending = "";
      for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
    };
    for (const piece of pieces) {
      pending += piece;
      if (pending.length >= PIECE) await flush();
    }
    if (pending) await flush();
  } finally {
    await handle.close();
  }
}

/**
 * A text in slices of about `size` UTF-16 code units, never cut inside a surrogate pair (each slice is
 * encoded to UTF-8 on its own, and half a pair would become U+FFFD).
 */
export function* piecesOf(text: string, size = PIECE): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(start, end);
    start = end;
  }
}

/**
 * The JSON report file: compact (reports of big sites run to megabytes, and it is
 * read by programs and `jq`; people read the HTML page). One line and a newline.
 */
export function serializeReport(report: Report): string {
  return `${JSON.stringify(report)}\n`;
}
