/**
 * `amazon-links check <dir>`: audit the pages of any built site (Eleventy,
 * Hugo, Jekyll, Astro output) with the plugin's rules. Read-only: the site is
 * never written. Locations are output-file:line:column.
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { checkLinks } from "../audit/check-links.js";
import type { Checker } from "../check/index.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import { findAmazonLinks } from "../html/rewrite-page.js";
import { lineStartsOf, positionAt } from "../html/text-position.js";
import type { ResolvedOptions } from "../rules/options.js";
import { toLinkRecord } from "../report/link-record.js";
import type { LinkRecord, PageRecord } from "../report/types.js";
import { listSitePages } from "./site-files.js";

export interface SiteAudit {
  pages: PageRecord[];
  links: LinkRecord[];
  /** HTML files read. */
  files: number;
}

export async function auditSite(dir: string, options: ResolvedOptions, cwd: string, checker?: Checker): Promise<SiteAudit> {
  const root = resolve(cwd, dir);
  const files = await listSitePages(root);
  const pages: PageRecord[] = [];
  const links: LinkRecord[] = [];
  for (const file of files) {
    const html = await readFile(join(root, file), "utf8");
    if (!mayContainAmazonLink(html)) continue;
    const found = findAmazonLinks(html, options);
    if (found.links.length === 0) continue;
    const checked = await checkLinks(found.links, checker, options);
    const output = relative(cwd, join(root, file)).split(sep).join("/");
    const lineStarts = lineStartsOf(html);
    for (const link of checked) {
      const href = link.html.attributes.find((a) => a.name === "href");
      const { line, column } = positionAt(lineStarts, href?.value?.start ?? link.html.start);
      links.push(toLinkRecord(link, { input: output, line, column, output }, link.status, link));
    }
    pages.push({ input: output, output, links: found.links.length, findings: [] });
  }
  return { pages, links, files: files.length };
}
