/**
 * One configuration for the Eleventy plugin and the CLI: the options object in
 * amazon-links.config.js / .mjs / .cjs / .json in the project root (or a file
 * named with the CLI's --config).
 */
import { createRequire } from "node:module";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const CONFIG_NAMES = [
  "amazon-links.config.js",
  "amazon-links.config.mjs",
  "amazon-links.config.cjs",
  "amazon-links.config.json",
] as const;

export class AmazonLinksConfigError extends Error {
  override name = "AmazonLinksConfigError";
}

export interface LoadedConfig {
  options: Record<string, unknown>;
  /** The file it came from; absent when there is none. */
  path?: string;
  /** Relative paths in the options (lockfile, reports) are anchored here. */
  dir: string;
}

/** The config file in `dir`, if there is one; two of them is an error (which one would win is not obvious). */
async function findConfigFile(dir: string): Promise<string | undefined> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  const found = CONFIG_NAMES.filter((name) => names.has(name));
  if (found.length > 1) {
    throw new AmazonLinksConfigError(`[amazon-links] found ${found.join(" and ")} in ${dir}: keep one of them.`);
  }
  return found[0] ? resolve(dir, found[0]) : undefined;
}

/**
 * The module's default export, as the file is now: a config reread under --serve sees the edit (ES
 * modules are cached per URL, so the URL carries the file's mtime; CommonJS ones per path in require.cache).
 */
async function importFresh(path: string): Promise<unknown> {
  const { mtimeMs } = await stat(path);
  delete createRequire(import.meta.url).cache[path];
  const url = `${pathToFileURL(path).href}?mtime=${mtimeMs}`;
  return ((await import(url)) as { default?: unknown }).default;
}

/**
 * Load the options object: from `explicit` (a path, relative to `cwd`) when given, else from the config
 * file in `cwd`, else none (`options` is `{}`).
 */
export async function loadConfigFile(explicit: string | undefined, cwd: string): Promise<LoadedConfig> {
  const path = explicit ? resolve(cwd, explicit) : await findConfigFile(cwd);
  if (!path) return { options: {}, dir: cwd };
  const name = explicit ?? basename(path);

  let value: unknown;
  try {
    if (path.endsWith(".json")) value = JSON.parse(await readFile(path, "utf8"));
    else value = await importFresh(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit && (code === "ENOENT" || code === "ERR_MODULE_NOT_FOUND")) {
      throw new AmazonLinksConfigError(`[amazon-links] config file ${explicit} does not exist.`);
    }
    throw new AmazonLinksConfigError(`[amazon-links] could not read config file ${name}: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AmazonLinksConfigError(
      `[amazon-links] config file ${name} must ${path.endsWith(".json") ? "contain" : "export (export default, or module.exports =)"} an options object, e.g. { "tags": { "us": "mysite-20" } }.`,
    );
  }
  return { options: value as Record<string, unknown>, path, dir: dirname(path) };
}

/**
 * The plugin's options: the config file's, with the options given to addPlugin winning key by key. A key
 * given to addPlugin replaces the file's value whole (its `tags` are not merged store by store), so what
 * one sees in either place is what applies to that key.
 */
export function mergeOptions<T>(fromFile: Record<string, unknown>, fromPlugin: T): T {
  // Not an object: left for the options check to name.
  if (typeof fromPlugin !== "object" || fromPlugin === null || Array.isArray(fromPlugin)) return fromPlugin;
  const given = Object.fromEntries(Object.entries(fromPlugin).filter(([, value]) => value !== undefined));
  return { ...fromFile, ...given } as T;
}
