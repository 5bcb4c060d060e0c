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
/** Bytes encoded before each write. */
const WRITE_BUFFER = 1024 * 1024;

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
  // Pieces are encoded into one buffer and written when it is full: few writes (each one a round trip
  // to the thread pool), and no buffer per piece.
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  let used = 0;
  const flush = async (): Promise<void> => {
    for (let offset = 0; offset < used; ) offset += (await handle.write(buffer, offset, used - offset)).bytesWritten;
    used = 0;
  };
  try {
    for (const piece of pieces) {
      for (const slice of piece.length > PIECE ? piecesOf(piece) : [piece]) {
        // At most 3 bytes per UTF-16 code unit: make room first, then it fits.
        if (used + 3 * slice.length > buffer.length) await flush();
        used += buffer.write(slice, used, "utf8");
      }
    }
    await flush();
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
