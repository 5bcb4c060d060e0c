/**
 * The files of a built site that may hold links: HTML pages and feeds (Atom/RSS XML, JSON Feed).
 * A site is a folder, or a single file. What cannot be read (a folder without permission, a broken
 * symbolic link) is a skip with its reason, never a reason to stop: the rest is still audited.
 * A symbolic link to a page is followed; one to a folder is not (no loops, no walking out of the
 * site), and said.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const CANDIDATE = /\.(html?|xml|rss|atom|json)$/i;

/** A file or folder left out, and why (shown to the user). */
export interface SiteSkip {
  path: string;
  reason: string;
}

export interface SiteFiles {
  /** The folder the paths are relative to (the site, or the single file's folder). */
  root: string;
  /** "/"-separated paths under root, sorted. */
  files: string[];
  skipped: SiteSkip[];
}

function why(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === "EACCES" || e.code === "EPERM") return "permission denied";
  if (e.code === "ENOENT") return "it no longer exists";
  if (e.code === "ELOOP") return "too many levels of symbolic links";
  return e.code ?? e.message;
}

/** The site's files; rejects (ENOENT, EACCES) only when `path` itself cannot be read. */
export async function findSiteFiles(path: string): Promise<SiteFiles> {
  const top = await stat(path);
  if (!top.isDirectory()) return { root: dirname(path), files: [basename(path)], skipped: [] };
  const files: string[] = [];
  const skipped: SiteSkip[] = [];
  const rootReal = await realpath(path);
  // Iterative, in name order: deep trees do not grow the stack.
  const pending: string[] = [""];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries;
    try {
      entries = await readdir(join(path, folder), { withFileTypes: true });
    } catch (error) {
      if (folder === "") throw error;
      skipped.push({ path: folder, reason: `folder could not be read (${why(error)})` });
      continue;
    }
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (entry.name === "node_modules") continue;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      let isFile = entry.isFile();
      let isFolder = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(join(path, relative));
          isFile = target.isFile();
          isFolder = target.isDirectory();
          if (isFolder) {
            const real = await realpath(join(path, relative));
            const inside = real === rootReal || real.startsWith(`${rootReal}/`);
            skipped.push({
              path: relative,
              reason: `symbolic link to a folder ${inside ? "inside the site: not followed (its pages are audited where they are)" : "outside the site: not followed"}`,
            });
            continue;
          }
        } catch (error) {
          if (CANDIDATE.test(entry.name)) skipped.push({ path: relative, reason: `symbolic link to nothing readable (${why(error)})` });
          continue;
        }
      }
      if (isFolder) subfolders.push(relative);
      else if (isFile && CANDIDATE.test(entry.name)) files.push(relative);
    }
    // Popped from the end: push in reverse so folders are walked in name order.
    for (const sub of subfolders.sort().reverse()) pending.push(sub);
  }
  return { root: path, files: files.sort(), skipped };
}

/** The candidate files under a folder, "/"-separated and sorted. */
export async function listSiteFiles(dir: string): Promise<string[]> {
  return (await findSiteFiles(dir)).files;
}

export type SitePage = { text: string } | { skip: string };

/**
 * A page's text. UTF-8, with or without a byte order mark; UTF-16 when it starts with one (some
 * Windows tools save so). A file that cannot be read (deleted meanwhile, no permission) is a skip.
 */
export async function readSitePage(path: string): Promise<SitePage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { skip: `could not be read (${why(error)})` };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)) };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)) };
  return { text: new TextDecoder("utf-8").decode(bytes) }; // drops a UTF-8 byte order mark
}
