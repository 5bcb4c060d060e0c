/** The files of a built site that may hold links: HTML pages and feeds (Atom/RSS XML, JSON Feed). */
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

const CANDIDATE = /\.(html?|xml|rss|atom|json)$/i;

export async function listSiteFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !CANDIDATE.test(entry.name)) continue;
    const parent = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path?: string }).path ?? dir;
    const path = relative(dir, join(parent, entry.name)).split(sep).join("/");
    if (path.split("/").some((segment) => segment === "node_modules")) continue;
    files.push(path);
  }
  return files.sort();
}
