/**
 * The work done for one built file (page or feed) that may hold Amazon links.
 * Loaded lazily by the plugin, so sites (and pages) without Amazon links never
 * pay for the HTML tokenizer.
 */
import { auditDocument } from "../audit/audit-document.js";
import type { Checker } from "../check/index.js";
import { findInDocument, type DocumentKind } from "../html/document.js";
import { positionsOf } from "../html/text-position.js";
import type { ResolvedOptions } from "../rules/options.js";
import { linkFields } from "../report/link-record.js";
import type { PageResult, PendingLink } from "./page-result.js";
import { hrefSpellings, toProjectPath } from "./source-locator.js";

export interface PageContext {
  html: string;
  kind: DocumentKind;
  inputPath: string | undefined;
  outputPath: string;
  root: string;
  options: ResolvedOptions;
  /** Undefined when checking is off. */
  checker: Checker | undefined;
  /** Stores to ask about each product's availability (localization). */
  availabilityIn?: readonly string[];
  /** Write product titles on links (the localization script's search fallback uses them). */
  writeTitles?: boolean;
  /** Count stores whose answer was unknown as "live" on the link (localize.assume). */
  assumeUnknownLive?: boolean;
  /** Told when checks for this page started and ended. */
  onCheckTiming?: (start: number, end: number) => void;
  /** Adds the localization script to a page that has Amazon links (HTML pages only). */
  injectScript?: (html: string) => string;
}

export async function processPage(context: PageContext): Promise<{ html: string; result: PageResult | undefined }> {
  const { html, options, root, kind } = context;
  const { document, links, optedOut, pageFindings } = await auditDocument(html, kind, options, context.checker, {
    availabilityIn: context.availabilityIn ?? [],
    ...(context.onCheckTiming ? { onTiming: context.onCheckTiming } : {}),
  });
  if (links.length === 0 && optedOut.length === 0) return { html, result: undefined };

  const output = toProjectPath(context.outputPath, root);
  const all = [...links, ...optedOut];
  const positions = positionsOf(html, all.map((link) => link.offset));
  const pending: PendingLink[] = all.map((link, i) => {
    const href = link.html.attributes.find((a) => a.name === "href")?.value;
    const fields = linkFields(link, output);
    const record = i >= links.length ? { ...fields, href: link.html.href, optedOut: true } : fields;
    const position = positions[i] as { line: number; column: number };
    return {
      record,
      spellings: hrefSpellings(link.html.href, kind === "html" && href ? html.slice(href.start, href.end) : undefined),
      outputLine: position.line,
      outputColumn: position.column,
    };
  });

  let rewritten = document.write(links, (link) => ({
    // The browser script rewrites only to stores listed here; unknown ones count when `assume` allows.
    ...(link.liveIn ? { liveIn: context.assumeUnknownLive ? [...link.liveIn, ...(link.unknownIn ?? [])] : link.liveIn } : {}),
    ...(context.writeTitles && link.title ? { title: link.title } : {}),
  }));
  if (kind === "html" && context.injectScript) rewritten = context.injectScript(rewritten);

  const input = context.inputPath ? toProjectPath(context.inputPath, root) : output;
  return {
    html: rewritten,
    result: { page: { input, output, links: pending.length, findings: pageFindings }, inputPath: context.inputPath, links: pending },
  };
}

/** Content rendered for somewhere else (a feed entry): clean tagged links, no data attributes, no script, not recorded. */
export function rewriteFragment(html: string, options: ResolvedOptions): string {
  const document = findInDocument(html, "html", { ...options, dataAttributes: false });
  return document.write(document.links);
}
