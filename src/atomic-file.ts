/**
 * Files written whole or not at all: into a temp file beside the target, then
 * renamed over it, so readers never see half a file. Written in pieces, so a
 * file of megabytes (a big site's report or lockfile) is never one string
 * plus one buffer of it all at once. Shared by the reports and the lockfile.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * About how much is written at once, in UTF-16 code units: small enough that a piece (even a two-byte
 * one) is an ordinary young-generation string, not a large object that only a full GC frees.
 */
const PIECE = 32 * 1024;
/** Bytes encoded before each write. */
const WRITE_BUFFER = 1024 * 1024;

export async function writeFileAtomic(
  path: string,
  contents: string | Uint8Array | Iterable<string>,
  options: { mode?: number } = {},
): Promise<void> {
  const file = await PieceFile.create(path, options.mode);
  try {
    if (contents instanceof Uint8Array) await file.writeBytes(contents);
    else for (const piece of typeof contents === "string" ? [contents] : contents) await file.write(piece);
    await file.commit();
  } catch (error) {
    await file.abandon();
    throw error;
  }
}

/**
 * A file written a piece at a time into a temp file beside it, then renamed into place. Pieces are
 * encoded into one buffer and written when it is full: few writes (each a round trip to the thread
 * pool), and no buffer per piece.
 */
export class PieceFile {
  readonly #buffer = Buffer.allocUnsafe(WRITE_BUFFER);
  #used = 0;
  #size = 0;

  private constructor(
    readonly path: string,
    readonly temp: string,
    readonly handle: FileHandle,
  ) {}

  /** `mode`: the permissions of the file being replaced, kept (the umask does not apply to chmod). */
  static async create(path: string, mode?: number): Promise<PieceFile> {
    await mkdir(dirname(path), { recursive: true });
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    const handle = await open(temp, "w");
    const file = new PieceFile(path, temp, handle);
    if (mode !== undefined)
      await handle.chmod(mode).catch(async (error: unknown) => {
        await file.abandon();
        throw error;
      });
    return file;
  }

  async write(piece: string): Promise<void> {
    for (const slice of piece.length > PIECE ? piecesOf(piece) : [piece]) {
      // At most 3 bytes per UTF-16 code unit: make room first, then it fits.
      if (this.#used + 3 * slice.length > this.#buffer.length) await this.#flush();
      const bytes = this.#buffer.write(slice, this.#used, "utf8");
      this.#used += bytes;
      this.#size += bytes;
    }
  }

  /** Bytes written so far (the offset the next piece starts at). */
  get size(): number {
    return this.#size;
  }

  /** Bytes as they are, after what was written before. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.#flush();
    for (let offset = 0; offset < bytes.length; ) offset += (await this.handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    this.#size += bytes.length;
  }

  async #flush(): Promise<void> {
    for (let offset = 0; offset < this.#used; ) offset += (await this.handle.write(this.#buffer, offset, this.#used - offset)).bytesWritten;
    this.#used = 0;
  }

  /** Everything written: into place. */
  async commit(): Promise<void> {
    await this.#flush();
    await this.handle.close();
    await rename(this.temp, this.path);
  }

  /** Something failed: no temp file is left behind. */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.temp, { force: true });
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
