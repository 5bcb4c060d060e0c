/**
 * The work done for one built file (page or feed) that may hold Amazon links.
 * Loaded lazily by the plugin, so sites (and pages) without Amazon links never
 * pay for the HTML tokenizer.
 */
import { auditDocument, type AuditedDocument } from "../audit/audit-document.js";
import type { Checker } from "../check/index.js";
import { findInDocument, type DocumentKind, type DocumentLink } from "../html/document.js";
import { attributeNamed } from "../html/link-edits.js";
import { positionsOf } from "../html/text-position.js";
import { decideLinks } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import { toLinkRecord } from "../report/link-record.js";
import type { PageResult, PendingLink } from "./page-result.js";
import { toProjectPath } from "./source-locator.js";
import { andThen, type Eventually } from "../eventually.js";

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

export interface ProcessedPage {
  html: string;
  result: PageResult | undefined;
}

/** The page rewritten and its links recorded: now when every check is answered without the network (see `Eventually`). */
export function processPage(context: PageContext): Eventually<ProcessedPage> {
  const audited = auditDocument(context.html, context.kind, context.options, context.checker, {
    availabilityIn: context.availabilityIn ?? [],
    ...(context.onCheckTiming ? { onTiming: context.onCheckTiming } : {}),
  });
  return andThen(audited, (audited) => finishPage(context, audited));
}

function finishPage(context: PageContext, { document, links, optedOut, pageFindings }: AuditedDocument): ProcessedPage {
  const { html, root, kind } = context;
  if (links.length === 0 && optedOut.length === 0) return { html, result: undefined };

  const output = toProjectPath(context.outputPath, root);
  const count = links.length + optedOut.length;
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++) offsets[i] = (i < links.length ? links[i] : optedOut[i - links.length])!.offset;
  const positions = positionsOf(html, offsets);
  const pending = new Array<PendingLink>(count);
  for (let i = 0; i < count; i++) {
    const opted = i >= links.length;
    const link = (opted ? optedOut[i - links.length] : links[i])!;
    const position = positions[i]!;
    // Placed in the built file for now; finishBuild places it in the source file that spells it.
    const record = toLinkRecord(link, { input: output, line: position.line, column: position.column, output });
    if (opted) {
      record.href = link.html.href;
      record.optedOut = true;
    }
    const href = link.html.href;
    const attribute = kind === "html" ? rawHrefOf(html, link) : undefined;
    const { line, column } = position;
    pending[i] = { record, outputLine: line, outputColumn: column, href, ...(attribute && attribute !== href ? { raw: attribute } : {}) };
  }

  // One extras object for every link (planAmazonLinkEdits reads it at once and keeps nothing).
  const extras: { liveIn: readonly string[] | undefined; title: string | undefined } = { liveIn: undefined, title: undefined };
  let rewritten = document.write(links, context.options, (link) => {
    // The browser script rewrites only to stores listed here; unknown ones count when `assume` allows.
    const { liveIn, unknownIn } = link;
    extras.liveIn = liveIn && context.assumeUnknownLive && unknownIn?.length ? [...liveIn, ...unknownIn] : liveIn;
    extras.title = context.writeTitles ? link.title : undefined;
    return extras;
  });
  if (kind === "html" && context.injectScript) rewritten = context.injectScript(rewritten);

  const input = context.inputPath ? toProjectPath(context.inputPath, root) : output;
  return {
    html: rewritten,
    result: { page: { input, output, links: count, findings: pageFindings }, inputPath: context.inputPath, links: pending },
  };
}

/** The href attribute's value as written in the page (entities and all), for finding it in sources. */
function rawHrefOf(html: string, link: DocumentLink): string | undefined {
  const value = attributeNamed(link.html, "href")?.value;
  return value && html.slice(value.start, value.end);
}

/** Content rendered for somewhere else (a feed entry): clean tagged links, no data attributes, no script, not recorded. */
export function rewriteFragment(html: string, options: ResolvedOptions): string {
  const document = findInDocument(html, "html");
  return document.write(decideLinks(document.links, options), { ...options, dataAttributes: false });
}
