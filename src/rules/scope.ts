/**
 * What the plugin touches: which output files (include/exclude globs) and
 * which stores' links (`stores`). Pure.
 */
import { createRequire } from "node:module";
import type { AmazonUrl } from "../amazon/parse.js";
import type { ResolvedOptions } from "./options.js";

/** Links to stores outside `stores` are left exactly as they are, and not reported. Short links are always in scope. */
export function inScope(link: AmazonUrl, options: ResolvedOptions): boolean {
  return !options.stores || link.kind === "short" || options.stores.includes(link.marketplace);
}

/** A predicate over output paths relative to the output directory (POSIX separators). */
export function pathFilter(include: readonly string[] | undefined, exclude: readonly string[]): (path: string) => boolean {
  // Loaded only when globs are configured (the plugin's import stays cheap otherwise).
  const picomatch = createRequire(import.meta.url)("picomatch") as typeof import("picomatch");
  const included = include?.length ? picomatch([...include], { dot: true }) : () => true;
  const excluded = exclude.length ? picomatch([...exclude], { dot: true }) : () => false;
  return (path) => included(path) && !excluded(path);
}
