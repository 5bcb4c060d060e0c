/**
 * The Eleventy plugin: wiring only. A transform rewrites each built HTML page
 * (cheap pre-check first; the tokenizer is loaded only for pages that may hold
 * Amazon links), results are collected per build, and `eleventy.after`
 * reports them and fails the build on errors.
 */
import { relative, sep } from "node:path";
import { checkSettingsAtStart } from "../check/settings-at-start.js";
import { documentKind } from "../html/document-kind.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import type { BlockMemory } from "../check/cool-down.js";
import type { PackedLock } from "../check/lock-index.js";
import type { LocalizeSetup } from "../localize/index.js";
import { localizeSettingsFor } from "../localize/options.js";
import type { AmazonLinksOptions } from "../options.js";
import { resolveOptions } from "../rules/options.js";
import { pathFilter } from "../rules/scope.js";
import { openSession, type BuildSession } from "./build-session.js";
import type { EleventyConfig, EleventyEventArgs, TransformContext } from "./eleventy-types.js";
import type { PageResult } from "./page-result.js";
import type { RebuildMemo } from "./finish-build.js";
import { SourceLocator } from "./source-locator.js";
import { LocatorWithPlaces } from "./cached-places.js";
import { PageCache } from "./page-cache.js";
import { pageCacheFile } from "./page-cache-file.js";
import { lockCacheDir } from "../check/lock-cache.js";
import { ownFileIgnores, reportPathsForBuild } from "./own-files.js";
import { VanishedPages } from "./vanished-pages.js";
import { andThen, type Eventually } from "../eventually.js";
import { loadConfigFile, mergeOptions } from "../config-file.js";

const PREFIX = "[amazon-links] ";

export class AmazonLinksBuildError extends Error {
  override name = "AmazonLinksBuildError";
  /** Eleventy: print our message, not a stack. */
  readonly skipOriginalStack = true;
  constructor(
    message: string,
    readonly errors: number,
  ) {
    super(message);
  }
}

/**
 * The plugin. Its options are those in amazon-links.config.* in the project root (shared with the CLI),
 * with the options given to addPlugin winning key by key. Async (it reads that file); Eleventy 3 awaits
 * plugins.
 */
export default async function amazonLinksPlugin(eleventyConfig: EleventyConfig, pluginOptions: AmazonLinksOptions = {}): Promise<void> {
  eleventyConfig.versionCheck?.(">=3.0.0");
  const root = process.cwd();
  const config = await loadConfigFile(undefined, root);
  // Under --serve / --watch, an edit to the config file re-runs the Eleventy config, and so reads it again.
  if (config.path) eleventyConfig.addWatchTarget?.(relative(root, config.path), { resetConfig: true });
  try {
    setUpPlugin(eleventyConfig, mergeOptions(config.options, pluginOptions), root);
  } catch (error) {
    // A bad value may come from the file: say where the options came from.
    if (config.path && error instanceof Error && error.message.startsWith(PREFIX)) {
      error.message += ` (options from ${relative(root, config.path)} and addPlugin)`;
    }
    throw error;
  }
}

function setUpPlugin(eleventyConfig: EleventyConfig, userOptions: AmazonLinksOptions, root: string): void {
  const options = resolveOptions(userOptions);
  // Validate the check options at start (bad values stop the build before any page renders).
  const checkOptions = userOptions.check === false ? { via: false as const } : (userOptions.check ?? {});
  const resolvedCheck = checkSettingsAtStart(checkOptions, root);
  const checkEnabled = resolvedCheck.via !== false;
  const lockfilePath = checkEnabled ? resolvedCheck.lockfile : false;
  const localizeSettings = localizeSettingsFor(userOptions.localize, options);
  // With checks on, each product is asked in every store we have a tag for, so the script knows where it exists.
  const availabilityIn = localizeSettings && checkEnabled ? [...options.tags.keys()] : [];

  // Our reports, lockfile and caches are never input, and writing them never triggers a rebuild.
  for (const glob of ownFileIgnores(root, [options.report.json, options.report.html, options.report.sarif, lockfilePath])) {
    eleventyConfig.ignores?.add(glob);
    eleventyConfig.watchIgnores?.add(glob);
  }

  // include/exclude globs, compiled once, matched against output paths relative to the output directory.
  const pathAllowed = options.include || options.exclude.length ? pathFilter(options.include, options.exclude) : undefined;

  // What the plugin made of each page, given back while nothing that could change it has (page-cache.ts).
  const cacheDir = lockCacheDir(root);
  let cacheHits = 0;
  const pageCache = new PageCache<PageResult>({
    settings: { userOptions, options, resolvedCheck, localizeSettings, availabilityIn },
    rowsOf: (result) => result.links,
    onHit: () => cacheHits++,
  });

  // Per-build state; reset in eleventy.before (watch mode reuses this closure).
  let results = new Map<string, PageResult>();
  // Incremental rebuilds keep earlier pages' results: those of pages gone since are dropped at the end.
  const vanished = new VanishedPages(root);
  let watching = false;
  let locator: SourceLocator = new SourceLocator(root, []);
  let runMode: EleventyEventArgs["runMode"] = "build";
  let outputDir = "_site";
  let reportPaths = options.report;
  // Pages this build rendered for writing: with none written (eleventy.after's results), it was a dry run.
  let pagesRendered = 0;
  let session: BuildSession | undefined;
  // Under --serve/--watch: rows placed by earlier builds, for pages that did not change.
  let rebuild: RebuildMemo | undefined;
  // Hosts that blocked this tool, for every rebuild of this process (a cache file needs node_modules/).
  const blockMemory: BlockMemory = new Map();
  let opening: Promise<BuildSession> | undefined;
  // The lockfile, read while Eleventy renders, so pages with links need not wait for it.
  let lockfileLoad: Promise<PackedLock> | undefined;
  // Loaded on the first page with Amazon links; every later page uses it synchronously.
  // Eleventy's --quiet is our `quiet` (read when used: a config may set it after adding the plugin).
  const withQuiet = () => (eleventyConfig.quietMode === true && !options.quiet ? { ...options, quiet: true } : options);
  const localizeSetup = async (settings: NonNullable<typeof localizeSettings>) =>
    (await import("../localize/index.js")).createLocalize(settings, { pathPrefix: eleventyConfig.pathPrefix ?? "/" });
  const getSession = (): BuildSession | Promise<BuildSession> =>
    session ??
    (opening ??= openSession({
      options: withQuiet(),
      checkOptions,
      checkEnabled,
      localize: localizeSettings,
      root,
      pathPrefix: eleventyConfig.pathPrefix ?? "/",
      ...(lockfileLoad ? { lockfileLoad } : {}),
      blockMemory,
    }).then((opened) => (session = opened)));
  // Wall-clock span of the network part of checks in this build (pages check in parallel).
  let checkSpan: { start: number; end: number } | undefined;
  const onCheckTiming = (start: number, end: number): void => {
    checkSpan = checkSpan ? { start: Math.min(checkSpan.start, start), end: Math.max(checkSpan.end, end) } : { start, end };
  };

  eleventyConfig.on("eleventy.before", (args) => {
    runMode = args.runMode;
    outputDir = args.directories.output;
    reportPaths = reportPathsForBuild(options.report, userOptions.report, root, outputDir);
    pagesRendered = 0;
    // An incremental rebuild re-renders only changed pages: keep the others' results.
    if (!args.incremental) results = new Map();
    // Watch and serve: every build notes what it rendered (the first one learns which inputs are files).
    watching = args.runMode !== "build";
    vanished.beginBuild();
    session = undefined;
    opening = undefined;
    checkSpan = undefined;
    cacheHits = 0;
    // (Before the lockfile is read: the cache keys the build by the lockfile's state.)
    pageCache.beginBuild({
      file: cacheDir && pageCacheFile(cacheDir, outputDir),
      root,
      pathPrefix: eleventyConfig.pathPrefix ?? "/",
      lockfile: lockfilePath,
      incremental: args.incremental,
      sharedFiles: () => locator.sharedFiles(),
    });
    lockfileLoad = lockfilePath === false ? undefined : startLockfileLoad(lockfilePath, root);
    const d = args.directories;
    locator = new LocatorWithPlaces(
      root,
      [d.layouts ?? d.includes, d.includes, d.data].filter((x): x is string => !!x),
      pageCache,
    );
  });

  // Not async: a page answered without the network is rewritten in one synchronous pass (see src/eventually.ts).
  eleventyConfig.addTransform("amazon-links", function (this: TransformContext, content: string): Eventually<string> {
    const outputPath = this.page?.outputPath ?? this.outputPath;
    if (typeof content !== "string" || typeof outputPath !== "string") return content;
    const kind = documentKind(outputPath, content);
    // The RSS plugin's renderTransforms filter runs every transform over each post's content for the
    // feed, with the post's page data and a baseHref: rewrite those links, but it is not the page.
    const fragment = this.baseHref !== undefined;
    if (!fragment) pagesRendered++;
    if (watching && !fragment) vanished.note(this.page?.inputPath ?? this.inputPath, outputPath);
    const allowed = !pathAllowed || pathAllowed(relative(outputDir, outputPath).split(sep).join("/"));
    if (!kind || !allowed || !mayContainAmazonLink(content)) {
      if (!fragment) results.delete(outputPath);
      return content;
    }
    const inputPath = this.page?.inputPath ?? this.inputPath;
    if (fragment) return pageCache.fragment(content, () => andThen(getSession(), (current) => current.rewriteFragment(content, options)));
    const processed = pageCache.process({ html: content, outputPath, inputPath }, (watch) =>
      andThen(getSession(), (current) =>
        current.processPage({
          html: content,
          kind,
          inputPath,
          outputPath,
          root,
          options,
          checker: watch(current.checker),
          availabilityIn,
          onCheckTiming,
          writeTitles: localizeSettings ? localizeSettings.fallback === "search" : false,
          assumeUnknownLive: localizeSettings ? localizeSettings.assume : false,
          ...(current.localize ? { injectScript: injectorFor(current.localize) } : {}),
        }),
      ),
    );
    return andThen(processed, ({ html, result }) => {
      if (result) results.set(outputPath, result);
      else results.delete(outputPath);
      return html;
    });
  });

  eleventyConfig.on("eleventy.after", async (args) => {
    const { finishBuild, rebuildMemo } = await import("./finish-build.js");
    if (watching) rebuild ??= rebuildMemo();
    // --dryrun writes no files: no lockfile, no reports, no script file.
    const dryRun = isDryRunFlag() || (args.outputMode === "fs" && pagesRendered > 0 && args.results?.length === 0);
    const active = session ?? (opening ? await opening : undefined);
    // Settled verdicts go to the lockfile (atomically, and only when something new was learned).
    const activeChecker = active?.checker;
    if (activeChecker && !dryRun) await activeChecker.flush();
    // The session (the lockfile in memory: megabytes on a big site) is done with: let it go before the
    // reports are built. The next build (watch mode) opens its own.
    session = undefined;
    opening = undefined;
    lockfileLoad = undefined;
    if (watching) await vanished.prune(results);
    // Pages given back by the cache open no session: the script (and its report facts) is made here then.
    const setup = active?.localize ?? (cacheHits > 0 && localizeSettings ? await localizeSetup(localizeSettings) : undefined);
    if (setup && !dryRun) await writeScriptFiles(setup, outputDir);
    const outcome = await finishBuild({
      results: [...results.values()],
      locator,
      options: { ...withQuiet(), report: dryRun ? { ...reportPaths, json: false, html: false, sarif: false } : reportPaths },
      root,
      ...(rebuild ? { memo: rebuild } : {}),
      extras: {
        ...(setup
          ? {
              localize: {
                script: setup.files.length ? "file" : "inline",
                ...(setup.sha256 ? { sha256: setup.sha256 } : {}),
                ...(setup.files[0] ? { file: setup.files[0].path } : {}),
              },
            }
          : {}),
        ...(activeChecker || (cacheHits > 0 && checkEnabled)
          ? {
              checking: {
                via: String(resolvedCheck.via),
                ms: checkSpan ? checkSpan.end - checkSpan.start : 0,
                fromLockfile: activeChecker?.stats.fromLockfile ?? 0,
                fromNetwork: activeChecker?.stats.fromNetwork ?? 0,
              },
            }
          : {}),
      },
    });
    // Rows are placed now: what this build made is kept (and written, unless this is a dry run).
    // Under --serve/--watch the cache file is written a moment later: the rebuild is not kept waiting.
    await pageCache.endBuild({ write: !dryRun, later: watching, current: (output) => results.get(output) });
    if (outcome.annotations) process.stdout.write(outcome.annotations);
    const log = (message: string, type: "log" | "warn" | "error" = "log") =>
      eleventyConfig.logger
        ? eleventyConfig.logger.logWithOptions({ message, type, prefix: "[amazon-links]", force: true })
        : console[type](`${PREFIX}${message}`);
    if (outcome.text) log(outcome.text, outcome.errors > 0 ? "error" : outcome.warnings > 0 ? "warn" : "log");

    if (outcome.errors === 0 || runMode !== "build" || !options.failOnError) return;
    const message = `${outcome.errors} Amazon link error${outcome.errors === 1 ? "" : "s"}: the build fails so no untagged or broken link ships. Fix the files above${reportPaths.json && !dryRun ? ` (full report: ${reportPaths.json})` : ""}, or set a rule's severity with the "rules" option.`;
    if (process.env.ELEVENTY_SOURCE === "cli") {
      // Throwing here makes the CLI print the error twice; one clean message and exit code 1 instead.
      log(message, "error");
      process.exitCode = 1;
      return;
    }
    throw new AmazonLinksBuildError(`${PREFIX}${message}`, outcome.errors);
  });
}

/** `eleventy --dryrun` (Eleventy tells plugins nothing; its CLI takes the flag from argv). */
function isDryRunFlag(): boolean {
  return process.env.ELEVENTY_SOURCE === "cli" && process.argv.some((arg) => arg === "--dryrun" || arg === "--dryrun=true");
}

function startLockfileLoad(path: string, root: string): Promise<PackedLock> {
  const load = import("../check/load-lock.js").then((loader) => loader.loadPackedLock(path, { cacheDir: loader.lockCacheDir(root) }));
  // Its errors surface when a page first asks the checker; a build without Amazon links never does.
  load.catch(() => undefined);
  return load;
}

function injectorFor(setup: LocalizeSetup): (html: string) => string {
  return (html) => setup.injectIntoPage(html);
}

/** File mode: the one versioned script file goes into the output directory. */
async function writeScriptFiles(setup: LocalizeSetup, outputDir: string): Promise<void> {
  if (setup.files.length === 0) return;
  const { mkdir, writeFile } = await import("node:fs/promises");
  const { dirname, join } = await import("node:path");
  for (const file of setup.files) {
    const path = join(outputDir, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.contents);
  }
}

/** Eleventy: adding the plugin twice runs it once. */
(amazonLinksPlugin as unknown as { eleventyPluginOptions: { unique: boolean } }).eleventyPluginOptions = { unique: true };
