/**
 * The Eleventy plugin: wiring only. A transform rewrites each built HTML page
 * (cheap pre-check first; the tokenizer is loaded only for pages that may hold
 * Amazon links), results are collected per build, and `eleventy.after`
 * reports them and fails the build on errors.
 */
import type { Checker } from "../check/index.js";
import { resolveCheckOptions } from "../check/options.js";
import { documentKind } from "../html/document-kind.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import type { LocalizeSetup } from "../localize/index.js";
import { resolveLocalizeOptions } from "../localize/options.js";
import type { AmazonLinksOptions } from "../options.js";
import { resolveOptions } from "../rules/options.js";
import type { EleventyConfig, EleventyEventArgs, TransformContext } from "./eleventy-types.js";
import type { PageResult } from "./page-result.js";
import { SourceLocator } from "./source-locator.js";

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

export default function amazonLinksPlugin(eleventyConfig: EleventyConfig, userOptions: AmazonLinksOptions = {}): void {
  eleventyConfig.versionCheck?.(">=3.0.0");
  const options = resolveOptions(userOptions);
  const root = process.cwd();
  // Validate the check options at start (bad values stop the build before any page renders).
  const checkOptions = userOptions.check === false ? { via: false as const } : (userOptions.check ?? {});
  const checkEnabled = resolveCheckOptions(checkOptions, { configDir: root }).via !== false;
  const localizeSettings = resolveLocalizeOptions(userOptions.localize, options.tags);
  // With checks on, each product is asked in every store we have a tag for, so the script knows where it exists.
  const availabilityIn = localizeSettings && checkEnabled ? [...options.tags.keys()] : [];

  // Per-build state; reset in eleventy.before (watch mode reuses this closure).
  let results = new Map<string, PageResult>();
  let locator = new SourceLocator(root, []);
  let runMode: EleventyEventArgs["runMode"] = "build";
  let outputDir = "_site";
  let checker: Promise<Checker> | undefined;
  // include/exclude globs, matched against output paths relative to the output directory.
  let pathAllowed: ((path: string) => boolean) | undefined;
  const inScopePath = async (outputPath: string): Promise<boolean> => {
    if (!options.include && options.exclude.length === 0) return true;
    pathAllowed ??= (await import("../rules/scope.js")).pathFilter(options.include, options.exclude);
    const { relative, sep } = await import("node:path");
    return pathAllowed(relative(outputDir, outputPath).split(sep).join("/"));
  };
  // Wall-clock span of the network part of checks in this build (pages check in parallel).
  let checkSpan: { start: number; end: number } | undefined;
  const onCheckTiming = (start: number, end: number): void => {
    checkSpan = checkSpan ? { start: Math.min(checkSpan.start, start), end: Math.max(checkSpan.end, end) } : { start, end };
  };
  let localize: Promise<LocalizeSetup | undefined> | undefined;
  const getLocalize = (): Promise<LocalizeSetup | undefined> | undefined => {
    if (!localizeSettings) return undefined;
    localize ??= import("../localize/index.js").then((m) =>
      m.createLocalize(userOptions.localize, options.tags, { pathPrefix: eleventyConfig.pathPrefix ?? "/" }),
    );
    return localize;
  };
  // One checker per build: the lockfile is read once, each ASIN is asked once for all pages.
  const getChecker = (): Promise<Checker> | undefined => {
    if (!checkEnabled) return undefined;
    checker ??= import("../check/index.js").then((m) => m.createChecker(checkOptions, { configDir: root }));
    return checker;
  };

  eleventyConfig.on("eleventy.before", (args) => {
    runMode = args.runMode;
    outputDir = args.directories.output;
    // An incremental rebuild re-renders only changed pages: keep the others' results.
    if (!args.incremental) results = new Map();
    checker = undefined;
    checkSpan = undefined;
    const d = args.directories;
    locator = new SourceLocator(root, [d.layouts ?? d.includes, d.includes, d.data].filter((x): x is string => !!x));
  });

  eleventyConfig.addTransform("amazon-links", async function (this: TransformContext, content: string) {
    const outputPath = this.page?.outputPath ?? this.outputPath;
    if (typeof content !== "string" || typeof outputPath !== "string") return content;
    const kind = documentKind(outputPath, content);
    // The RSS plugin's renderTransforms filter runs every transform over each post's content for the
    // feed, with the post's page data and a baseHref: rewrite those links, but it is not the page.
    const fragment = this.baseHref !== undefined;
    if (!kind || !mayContainAmazonLink(content) || !(await inScopePath(outputPath))) {
      if (!fragment) results.delete(outputPath);
      return content;
    }
    if (fragment) {
      const { rewriteFragment } = await import("./process-page.js");
      return rewriteFragment(content, options);
    }
    const { processPage } = await import("./process-page.js");
    const inputPath = this.page?.inputPath ?? this.inputPath;
    const { html, result } = await processPage({
      html: content,
      kind,
      inputPath,
      outputPath,
      root,
      options,
      locator,
      checker: await getChecker(),
      availabilityIn,
      onCheckTiming,
      writeTitles: localizeSettings ? localizeSettings.fallback === "search" : false,
      assumeUnknownLive: localizeSettings ? localizeSettings.assume : false,
      ...(localizeSettings ? { injectScript: await injectorFor(await getLocalize()) } : {}),
    });
    if (result) results.set(outputPath, result);
    else results.delete(outputPath);
    return html;
  });

  eleventyConfig.on("eleventy.after", async () => {
    const { finishBuild } = await import("./finish-build.js");
    // Settled verdicts go to the lockfile (atomically, and only when something new was learned).
    const activeChecker = checker ? await checker : undefined;
    if (activeChecker) await activeChecker.flush();
    const setup = localize ? await localize : undefined;
    if (setup) await writeScriptFiles(setup, outputDir);
    const outcome = await finishBuild({
      results: [...results.values()],
      options,
      root,
      outputDir,
      extras: {
        ...(setup
          ? { localize: { script: setup.files.length ? "file" : "inline", ...(setup.sha256 ? { sha256: setup.sha256 } : {}), ...(setup.files[0] ? { file: setup.files[0].path } : {}) } }
          : {}),
        ...(activeChecker
          ? {
              checking: {
                via: String(activeChecker.options.via),
                ms: checkSpan ? checkSpan.end - checkSpan.start : 0,
                fromLockfile: activeChecker.stats.fromLockfile,
                fromNetwork: activeChecker.stats.fromNetwork,
              },
            }
          : {}),
      },
    });
    if (outcome.annotations) process.stdout.write(outcome.annotations);
    const log = (message: string, type: "log" | "warn" | "error" = "log") =>
      eleventyConfig.logger
        ? eleventyConfig.logger.logWithOptions({ message, type, prefix: "[amazon-links]", force: true })
        : console[type](`${PREFIX}${message}`);
    if (outcome.text) log(outcome.text, outcome.errors > 0 ? "error" : outcome.warnings > 0 ? "warn" : "log");

    if (outcome.errors === 0 || runMode !== "build" || !options.failOnError) return;
    const message = `${outcome.errors} Amazon link error${outcome.errors === 1 ? "" : "s"}: the build fails so no untagged or broken link ships. Fix the files above${options.report.json ? ` (full report: ${options.report.json})` : ""}, or set a rule's severity with the "rules" option.`;
    if (process.env.ELEVENTY_SOURCE === "cli") {
      // Throwing here makes the CLI print the error twice; one clean message and exit code 1 instead.
      log(message, "error");
      process.exitCode = 1;
      return;
    }
    throw new AmazonLinksBuildError(`${PREFIX}${message}`, outcome.errors);
  });
}

function injectorFor(setup: LocalizeSetup | undefined): ((html: string) => string) | undefined {
  return setup ? (html) => setup.injectIntoPage(html) : undefined;
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

