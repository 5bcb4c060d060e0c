/**
 * The CLI's options come from the same object the plugin takes, in
 * amazon-links.config.js / .mjs / .json (found in the working directory, or
 * named with --config).
 */
import { access, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "./usage-error.js";

export const CONFIG_NAMES = ["amazon-links.config.js", "amazon-links.config.mjs", "amazon-links.config.json"];

export interface LoadedConfig {
  options: Record<string, unknown>;
  /** The file it came from, if any. */
  path?: string;
  /** Relative paths in options (lockfile, reports) are anchored here. */
  dir: string;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function loadConfig(explicit: string | undefined, cwd: string): Promise<LoadedConfig> {
  let path: string | undefined;
  if (explicit) {
    path = resolve(cwd, explicit);
    if (!(await exists(path))) throw new UsageError(`config file ${explicit} does not exist.`);
  } else {
    for (const name of CONFIG_NAMES) {
      if (await exists(resolve(cwd, name))) {
        path = resolve(cwd, name);
        break;
      }
    }
  }
  if (!path) return { options: {}, dir: cwd };

  let value: unknown;
  try {
    if (path.endsWith(".json")) value = JSON.parse(await readFile(path, "utf8"));
    else {
      const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
      value = mod.default;
    }
  } catch (error) {
    throw new UsageError(`could not read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`config file ${path} must export (as default) or contain an options object, e.g. { tags: { us: "mysite-20" } }.`);
  }
  return { options: value as Record<string, unknown>, path, dir: dirname(path) };
}
