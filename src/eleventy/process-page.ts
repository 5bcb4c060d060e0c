/**
 * The work done for one built file (page or feed) that may hold Amazon links.
 * Loaded lazily by the plugin, so sites (and pages) without Amazon links never
 * pay for the HTML tokenizer.
 */
import { auditDocument, type AuditedDocument } from "../audit/audit-document.js";
import type { Checker } from "../check/index.js";
import { pendingRows } from "../audit/link-rows.js";
import { findInDocument } from "../html/document.js";
import type { DocumentKind } from "../html/document-kind.js";
import { applyEdits } from "../html/splice.js";
import { decideLinks } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import type { PageResult } from "./page-result.js";
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

  // One extras object for every link (planAmazonLinkEdits reads it at once and keeps nothing).
  const extras: { liveIn: readonly string[] | undefined; title: string | undefined } = { liveIn: undefined, title: undefined };
  const edits = document.plan(links, context.options, (link) => {
    // The browser script rewrites only to stores listed here; unknown ones count when `assume` allows.
    const { liveIn, unknownIn } = link;
    extras.liveIn = liveIn && context.assumeUnknownLive && unknownIn?.length ? [...liveIn, ...unknownIn] : liveIn;
    extras.title = context.writeTitles ? link.title : undefined;
    return extras;
  });
  const written = applyEdits(html, edits);
  const rewritten = kind === "html" && context.injectScript ? context.injectScript(written) : written;

  // Placed, until a source file is found that spells them, where they are in the page as it ships.
  const output = toProjectPath(context.outputPath, root);
  const rows = pendingRows({ text: html, kind, output, links, optedOut, shipped: { text: written, edits } });

  const input = context.inputPath ? toProjectPath(context.inputPath, root) : output;
  const page = { input, output, links: rows.length, findings: pageFindings };
  return { html: rewritten, result: { page, inputPath: context.inputPath, links: rows } };
}

/** Content rendered for somewhere else (a feed entry): clean tagged links, no data attributes, no script, not recorded. */
export function rewriteFragment(html: string, options: ResolvedOptions): string {
  const document = findInDocument(html, "html");
  return document.write(decideLinks(document.links, options), { ...options, dataAttributes: false });
}
