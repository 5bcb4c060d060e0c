/**
 * One built page: find its Amazon links (where they are, what they say, whether
 * the author opted them out, as the DOM nests them), and later write the
 * decisions made elsewhere (src/rules, src/audit) back byte-exactly. Used by
 * the Eleventy plugin, the CLI and the unified plugins.
 */
import type { AmazonUrl } from "../amazon/parse.js";
import { mayBeAmazonHrefSource, parseAmazonUrl } from "../amazon/parse.js";
import { attributeNamed, planLinkEdits, type LinkTarget } from "./link-edits.js";
import { scanLinks, type HtmlLink, type ScanOptions } from "./scan-links.js";
import { applyEdits, type TextEdit } from "./splice.js";

export interface FoundLink {
  html: HtmlLink;
  parsed: AmazonUrl;
  /**
   * Where the link's URL is written: its href value's offset in the scanned text (a link inside `srcdoc`:
   * where that is written in the page; a feed maps it into the whole file). Reports place links here.
   */
  offset: number;
}

export interface FoundLinks {
  /** Amazon links outside code and raw text, in document order. */
  links: FoundLink[];
  /** Amazon links the author opted out of with data-amazon-links="off". */
  optedOut: FoundLink[];
  /** The page's visible text, when asked for. */
  visibleText?: string;
}

/** A found link and what to write into it. */
export interface LinkToWrite {
  html: HtmlLink;
  parsed: AmazonUrl;
  decision: { href: string; tag?: string | undefined };
}

/** How tagged links are written: the rel tokens, the data attributes, a target where the link has none. */
export interface WriteOptions {
  readonly rel: readonly string[] | false;
  readonly dataAttributes: boolean;
  readonly target: string | undefined;
}

export function findAmazonLinks(html: string, scan: ScanOptions = {}): FoundLinks {
  const scanned = scanLinks(html, { ...scan, linkMayMatch: mayBeAmazonHrefSource });
  const links = amazonLinks(scanned.links);
  const optedOut = amazonLinks(scanned.optedOut);
  return scanned.visibleText === undefined ? { links, optedOut } : { links, optedOut, visibleText: scanned.visibleText };
}

function amazonLinks(scanned: readonly HtmlLink[]): FoundLink[] {
  const found: FoundLink[] = [];
  for (const link of scanned) {
    const parsed = parseAmazonUrl(link.href);
    if (parsed) found.push({ html: link, parsed, offset: urlOffset(link) });
  }
  return found;
}

/** Where a link's href value starts in the page (a link inside `srcdoc`: where it is written there). */
function urlOffset(link: HtmlLink): number {
  const at = attributeNamed(link, link.hrefAttribute ?? "href")?.value?.start ?? link.start;
  return link.container ? (link.container.raw[at] as number) : at;
}

/** What the browser script may use, known after checks. */
export interface LinkExtras {
  /** Stores where the product is live. */
  liveIn?: readonly string[];
  title?: string;
}

export function writeAmazonLinks<Link extends LinkToWrite>(
  html: string,
  links: readonly Link[],
  options: WriteOptions,
  extras?: (link: Link) => LinkExtras | undefined,
): string {
  return applyEdits(html, planAmazonLinkEdits(links, options, extras));
}

/** The byte edits that write the decisions into their start tags (offsets in the text that was scanned). */
export function planAmazonLinkEdits<Link extends LinkToWrite>(
  links: readonly Link[],
  options: WriteOptions,
  extras?: (link: Link) => LinkExtras | undefined,
): TextEdit[] {
  const edits: TextEdit[] = [];
  // One list for every link (planLinkEdits keeps nothing of it): names and values alternating.
  const set: string[] = [];
  const target = { href: "", rel: false as LinkTarget["rel"], set };
  for (const link of links) {
    const { decision, parsed } = link;
    const tagged = decision.tag !== undefined;
    set.length = 0;
    if (tagged && options.dataAttributes) {
      if (parsed.kind === "product" && parsed.asinValid && parsed.asin) set.push("data-amazon-asin", parsed.asin);
      set.push("data-amazon-store", parsed.marketplace);
      const more = extras?.(link);
      if (more?.liveIn) set.push("data-amazon-live", sortedJoin(more.liveIn));
      if (more?.title) set.push("data-amazon-title", more.title);
    }
    if (tagged && options.target && link.html.values.target === undefined) set.push("target", options.target);
    target.href = decision.href;
    target.rel = tagged ? options.rel : false;
    const first = edits.length;
    planLinkEdits(link.html, target, edits);
    const container = link.html.container;
    if (container) {
      // Edits made in the decoded srcdoc land on the raw bytes they replace, escaped for the attribute.
      for (let k = first; k < edits.length; k++) {
        const edit = edits[k]!;
        edits[k] = {
          start: container.raw[edit.start] as number,
          end: container.raw[edit.end] as number,
          text: container.encodeAt(edit.start, edit.text),
        };
      }
    }
  }
  return edits;
}

/** Space-separated, sorted. */
function sortedJoin(values: readonly string[]): string {
  return [...values].sort().join(" ");
}
