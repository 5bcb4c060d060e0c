/**
 * `amazon-links check <dir>`: audit the pages and feeds of any built site
 * (Eleventy, Hugo, Jekyll, Astro output) as it ships: a link without one of
 * our tags is an error, whatever the plugin would have made of it. Read-only:
 * the site is never written. Links are placed in the built file, where the
 * plugin places a link no source spells (the same row builder, src/audit/link-rows.ts).
 */
import { join, relative, resolve, sep } from "node:path";
import { auditDocument } from "../audit/audit-document.js";
import { judgeShipped } from "../audit/judge-shipped.js";
import { pendingRows, placeRow } from "../audit/link-rows.js";
import type { Checker } from "../check/index.js";
import { documentKind } from "../html/document-kind.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import type { ResolvedOptions } from "../rules/options.js";
import { pathFilter } from "../rules/scope.js";
import type { LinkRecord, PageRecord } from "../results.js";
import { findSiteFiles, readSitePage, type SiteSkip } from "./site-files.js";

export interface SiteAudit {
  pages: PageRecord[];
  links: LinkRecord[];
  /** Pages and feeds read. */
  files: number;
  /** Files and folders that could not be read (paths relative to the working directory), and why. */
  skipped: SiteSkip[];
}

export async function auditSite(dir: string, options: ResolvedOptions, cwd: string, checker?: Checker): Promise<SiteAudit> {
  const root = resolve(cwd, dir);
  const allowed = pathFilter(options.include, options.exclude);
  const pages: PageRecord[] = [];
  const links: LinkRecord[] = [];
  let files = 0;
  // The site: a folder, or one page (its folder is then the root).
  const site = await findSiteFiles(root);
  const fromCwd = (file: string) => relative(cwd, join(site.root, file)).split(sep).join("/");
  const skipped = site.skipped.map((skip) => ({ path: fromCwd(skip.path), reason: skip.reason }));
  for (const file of site.files) {
    if (!allowed(file)) continue;
    // Deleted since the folder was listed, unreadable: said, and the audit goes on.
    const page = await readSitePage(join(site.root, file));
    if ("skip" in page) {
      skipped.push({ path: fromCwd(file), reason: page.skip });
      continue;
    }
    const text = page.text;
    const kind = documentKind(file, text);
    if (!kind) continue;
    files++;
    if (!mayContainAmazonLink(text)) continue;
    const { links: checked, optedOut, pageFindings } = await auditDocument(text, kind, options, checker);
    if (checked.length === 0 && optedOut.length === 0) continue;
    const output = fromCwd(file);
    // Judged as it ships: nothing here is rewritten. Opted-out links are listed as the plugin lists them.
    const shipped = checked.map((link) => ({ ...link, decision: judgeShipped(link, options) }));
    for (const row of pendingRows({ text, kind, output, links: shipped, optedOut })) links.push(placeRow(row));
    pages.push({ input: output, output, links: checked.length + optedOut.length, findings: pageFindings });
  }
  return { pages, links, files, skipped };
}
