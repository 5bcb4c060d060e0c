/**
 * The work done for one built page that may hold Amazon links. Loaded lazily
 * by the plugin, so sites (and pages) without Amazon links never pay for the
 * HTML tokenizer.
 */
import { checkLinks } from "../audit/check-links.js";
import type { Checker } from "../check/index.js";
import { findAmazonLinks, writeAmazonLinks } from "../html/rewrite-page.js";
import type { ResolvedOptions } from "../rules/options.js";
import type { LinkRecord } from "../report/types.js";
import type { PageResult } from "./page-result.js";
import { toLinkRecord } from "../report/link-record.js";
import { lineStartsOf, positionAt } from "../html/text-position.js";
import { hrefSpellings, toProjectPath, type SourceLocator } from "./source-locator.js";

export interface PageContext {
  html: string;
  inputPath: string | undefined;
  outputPath: string;
  root: string;
  options: ResolvedOptions;
  locator: SourceLocator;
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
  /** Adds the localization script to a page that has Amazon links. */
  injectScript?: (html: string) => string;
}

export async function processPage(context: PageContext): Promise<{ html: string; result: PageResult | undefined }> {
  const { html, options, root } = context;
  const found = findAmazonLinks(html, options);
  if (found.links.length === 0) return { html, result: undefined };
  const links = await checkLinks(found.links, context.checker, options, {
    availabilityIn: context.availabilityIn ?? [],
    ...(context.onCheckTiming ? { onTiming: context.onCheckTiming } : {}),
  });

  const output = toProjectPath(context.outputPath, root);
  const spellings = links.map((link) => {
    const href = link.html.attributes.find((a) => a.name === "href")?.value;
    return hrefSpellings(link.html.href, href ? html.slice(href.start, href.end) : undefined);
  });
  const locations = await context.locator.locate(context.inputPath, spellings);

  let outputLineStarts: number[] | undefined;
  const records: LinkRecord[] = links.map((link, i) => {
    let location = locations[i];
    if (!location) {
      outputLineStarts ??= lineStartsOf(html);
      location = { file: output, ...positionAt(outputLineStarts, link.html.start) };
    }
    return toLinkRecord(link, { input: location.file, line: location.line, column: location.column, output }, link.status, link);
  });

  let rewritten = writeAmazonLinks(html, links, options, (link) => ({
    // The browser script rewrites only to stores listed here; unknown ones count when `assume` allows.
    ...(link.liveIn ? { liveIn: context.assumeUnknownLive ? [...link.liveIn, ...(link.unknownIn ?? [])] : link.liveIn } : {}),
    ...(context.writeTitles && link.title ? { title: link.title } : {}),
  }));
  if (context.injectScript) rewritten = context.injectScript(rewritten);
  const input = context.inputPath ? toProjectPath(context.inputPath, root) : output;
  return {
    html: rewritten,
    result: { page: { input, output, links: records.length, findings: [] }, links: records },
  };
}
