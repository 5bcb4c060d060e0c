/**
 * What a build needs only once it meets a page with Amazon links: the page
 * processor (and with it the HTML tokenizer), the checker, the localization
 * script. Loaded once per build, then used synchronously, so a page is not
 * held in memory across module loads while Eleventy renders the others.
 */
import type { BlockMemory } from "../check/cool-down.js";
import type { Checker } from "../check/index.js";
import type { PackedLock } from "../check/lock-index.js";
import type { LocalizeSetup, ResolvedLocalize } from "../localize/index.js";
import type { ResolvedOptions } from "../rules/options.js";

export interface BuildSession {
  processPage: typeof import("./process-page.js").processPage;
  rewriteFragment: typeof import("./process-page.js").rewriteFragment;
  checker: Checker | undefined;
  localize: LocalizeSetup | undefined;
}

const cacheDirOf = (dir: string | undefined): { cacheDir?: string } => (dir === undefined ? {} : { cacheDir: dir });

export async function openSession(input: {
  options: ResolvedOptions;
  checkOptions: object;
  checkEnabled: boolean;
  /** The resolved `localize` option; undefined when off. */
  localize: ResolvedLocalize | undefined;
  root: string;
  pathPrefix: string;
  /** The lockfile, already being read since the build started. */
  lockfileLoad?: Promise<PackedLock>;
  /** Hosts cooling down, remembered across the rebuilds of this process. */
  blockMemory?: BlockMemory;
}): Promise<BuildSession> {
  const [pages, check, localize, progress] = await Promise.all([
    import("./process-page.js"),
    input.checkEnabled ? import("../check/index.js") : undefined,
    input.localize ? import("../localize/index.js") : undefined,
    input.checkEnabled ? import("../report/progress.js") : undefined,
  ]);
  const checker = check?.createChecker(input.checkOptions, {
    configDir: input.root,
    tags: input.options.tags,
    ...cacheDirOf(check.lockCacheDir(input.root)),
    ...(input.lockfileLoad ? { lockfileLoad: input.lockfileLoad } : {}),
    ...(input.blockMemory ? { blockMemory: input.blockMemory } : {}),
    ...(progress && !input.options.quiet ? { onProgress: progress.progressPrinter() } : {}),
  });
  // With the lockfile in memory before the first page, pages it answers are processed without a pause.
  await checker?.prepare();
  return {
    processPage: pages.processPage,
    rewriteFragment: pages.rewriteFragment,
    checker,
    localize: localize && input.localize ? localize.createLocalize(input.localize, { pathPrefix: input.pathPrefix }) : undefined,
  };
}
