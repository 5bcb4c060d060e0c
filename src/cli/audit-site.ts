/**
 * `amazon-links check <dir>`: audit the pages and feeds of any built site
 * (Eleventy, Hugo, Jekyll, Astro output) with the plugin's rules. Read-only:
 * the site is never written. Locations are output-file:line:column.
 */
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { checkLinks } from "../audit/check-links.js";
import type { Checker } from "../check/index.js";
import { documentKind } from "../html/document-kind.js";
import { findInDocument } from "../html/document.js";
import { mayContainAmazonLink } from "../html/precheck.js";
import { lineStartsOf, positionAt } from "../html/text-position.js";
import { disclosureFindings } from "../rules/disclosure.js";
import type { ResolvedOptions } from "../rules/options.js";
import { pathFilter } from "../rules/scope.js";
import { toLinkRecord } from "../report/link-record.js";
import type { LinkRecord, PageRecord } from "../report/types.js";
import { listSiteFiles } from "./site-files.js";

export interface SiteAudit {
  pages: PageRecord[];
  links: LinkRecord[];
  /** Pages and feeds read. */
  files: number;
}

export async function auditSite(dir: string, options: ResolvedOptions, cwd: string, checker?: Checker): Promise<SiteAudit> {
  const root = resolve(cwd, dir);
  const allowed = pathFilter(options.include, options.exclude);
  const pages: PageRecord[] = [];
  const links: LinkRecord[] = [];
  let files = 0;
  for (const file of await listSiteFiles(root)) {
    if (!allowed(file)) continue;
    const text = await readFile(join(root, file), "utf8");
    const kind = documentKind(file, text);
    if (!kind) continue;
    files++;
    if (!mayContainAmazonLink(text)) continue;
    const document = findInDocument(text, kind, options, { visibleText: kind === "html" && options.disclosure !== undefined });
    if (document.links.length === 0) continue;
    const checked = await checkLinks(document.links, checker, options);
    const output = relative(cwd, join(root, file)).split(sep).join("/");
    const lineStarts = lineStartsOf(text);
    for (const link of checked) {
      const href = kind === "html" ? link.html.attributes.find((a) => a.name === "href")?.value : undefined;
      const { line, column } = positionAt(lineStarts, href ? href.start : link.offset);
      links.push(toLinkRecord(link, { input: output, line, column, output }));
    }
    const affiliate = checked.some((l) => l.decision.tag !== undefined);
    const findings = kind === "html" && affiliate ? disclosureFindings(document.visibleText ?? "", options) : [];
    pages.push({ input: output, output, links: checked.length, findings });
  }
  return { pages, links, files };
}
