/**
 * `amazon-links rewrite <dir>`: a built site (Hugo, Jekyll, Astro, Next.js
 * export, MkDocs, hand-written) rewritten in place with the Eleventy plugin's
 * page pipeline (src/eleventy/process-page.ts): clean tagged links, rel, data
 * attributes, the localization script, feeds. A file is written (atomically)
 * only when its text changes; outside the rewritten tags every byte stays.
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { writeFileAtomic } from "../atomic-file.js";
import { placeRow } from "../audit/link-rows.js";
import type { Checker } from "../check/index.js";
import { processPage } from "../eleventy/process-page.js";
import { documentKind } from "../html/document-kind.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import { createLocalize, type LocalizeSetup } from "../localize/index.js";
import { localizeSettingsFor } from "../localize/options.js";
import type { AmazonLinksOptions } from "../options.js";
import type { ResolvedOptions } from "../rules/options.js";
import { pathFilter } from "../rules/scope.js";
import type { LinkRecord, PageRecord, Report } from "../results.js";
import { listSiteFiles } from "./site-files.js";

/** One file whose text the rewrite changes. */
interface ChangedFile {
  /** Relative to the working directory. */
  path: string;
  /** Links whose href changes: [as in the file, as rewritten]. */
  hrefs: Array<[string, string]>;
  /** The localization script (or its tag) was added. */
  script: boolean;
}

export interface SiteRewrite {
  pages: PageRecord[];
  links: LinkRecord[];
  changed: ChangedFile[];
  /** Files that would change but are not valid UTF-8: left as they are (rewriting would alter other bytes). */
  skipped: string[];
  /** Pages and feeds read. */
  files: number;
  localize?: Report["localize"];
}

export interface RewriteSiteInput {
  dir: string;
  cwd: string;
  options: ResolvedOptions;
  /** The options object as the user gave it (the localization script reads its own slice). */
  userOptions: AmazonLinksOptions;
  checker: Checker | undefined;
  /** The site's URL path prefix, for the script file's `src` in file mode. */
  pathPrefix: string;
  dryRun: boolean;
}

export async function rewriteSite(input: RewriteSiteInput): Promise<SiteRewrite> {
  const { options, checker, cwd } = input;
  const root = resolve(cwd, input.dir);
  const localizeSettings = localizeSettingsFor(input.userOptions.localize, options);
  const localize: LocalizeSetup | undefined = localizeSettings
    ? createLocalize(localizeSettings, { pathPrefix: input.pathPrefix })
    : undefined;
  // As in the plugin: with checks on, each product is asked in every store we have a tag for.
  const availabilityIn = localizeSettings && checker ? [...options.tags.keys()] : [];
  const allowed = pathFilter(options.include, options.exclude);

  const result: SiteRewrite = { pages: [], links: [], changed: [], skipped: [], files: 0 };
  for (const file of await listSiteFiles(root)) {
    if (!allowed(file)) continue;
    const path = join(root, file);
    const bytes = await readFile(path);
    const text = bytes.toString("utf8");
    const kind = documentKind(file, text);
    if (!kind) continue;
    result.files++;
    if (!mayContainAmazonLink(text)) continue;
    const { html, result: page } = await processPage({
      html: text,
      kind,
      inputPath: undefined,
      outputPath: path,
      root: cwd,
      options,
      checker,
      availabilityIn,
      writeTitles: localizeSettings ? localizeSettings.fallback === "search" : false,
      assumeUnknownLive: localizeSettings ? localizeSettings.assume : false,
      ...(localize ? { injectScript: (page: string) => localize.injectIntoPage(page) } : {}),
    });
    if (page) {
      result.pages.push(page.page);
      // No sources here: each link is placed in the file that holds it.
      for (const row of page.links) result.links.push(placeRow(row));
    }
    if (html === text) continue;
    const shown = page?.page.output ?? file;
    if (!Buffer.from(text, "utf8").equals(bytes)) {
      result.skipped.push(shown);
      continue;
    }
    const hrefs = (page?.links ?? [])
      .filter((row) => !row.optedOut && row.href !== row.original)
      .map((row): [string, string] => [row.original, row.href]);
    result.changed.push({
      path: shown,
      hrefs,
      script: localize !== undefined && !text.includes(localize.html) && html.includes(localize.html),
    });
    if (!input.dryRun) await writeFileAtomic(path, html);
  }

  if (localize) {
    result.localize = {
      script: localize.files.length ? "file" : "inline",
      ...(localize.sha256 ? { sha256: localize.sha256 } : {}),
      ...(localize.files[0] ? { file: localize.files[0].path } : {}),
    };
    // File mode: the one versioned script file, beside the pages that load it (when it is not there already).
    const used = result.changed.some((c) => c.script) || result.pages.length > 0;
    for (const file of used ? localize.files : []) {
      const path = join(root, file.path);
      const existing = await readFile(path, "utf8").catch(() => undefined);
      if (existing === file.contents) continue;
      result.changed.push({ path: relative(cwd, path).split(sep).join("/"), hrefs: [], script: true });
      if (!input.dryRun) await writeFileAtomic(path, file.contents);
    }
  }
  return result;
}
