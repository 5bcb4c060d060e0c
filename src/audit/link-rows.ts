/**
 * The report's link rows, built one way for the Eleventy plugin and the CLI.
 * When a file is audited, `pendingRows` records what each row says and where
 * the link's URL sits in the built file (plain data: it is kept between
 * builds); once the place is known, `placeRow` builds the row. The plugin
 * places a link in the source file that spells its URL, found at the end of
 * the build; the CLI, which has no sources, places it in the built file.
 */
import { attributeNamed } from "../html/link-edits.js";
import type { DocumentLink } from "../html/document.js";
import type { DocumentKind } from "../html/document-kind.js";
import { shiftOffsets, type TextEdit } from "../html/splice.js";
import { positionsOf } from "../html/text-position.js";
import type { LinkRecord } from "../results.js";
import type { CheckedLink } from "./check-links.js";

/** A row without its place: everything but input, line and column. */
export interface PendingRow {
  /** The built file (relative to the project). */
  output: string;
  original: string;
  href: string;
  asin: string | undefined;
  marketplace: string;
  kind: LinkRecord["kind"];
  status: LinkRecord["status"];
  title: string | undefined;
  checkedAt: string | undefined;
  checkedVia: string | undefined;
  liveIn: string[] | undefined;
  findings: LinkRecord["findings"];
  optedOut: true | undefined;
  /** Where the link's URL sits in the built file: its place when no source spells it. */
  outputLine: number;
  outputColumn: number;
  /** The href attribute as written in the built file, when it differs from `original` (`&amp;`, entities). */
  raw?: string;
}

/** Where a link's URL is written in a source file. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

export interface AuditedFile {
  /** The file as it was read. */
  text: string;
  kind: DocumentKind;
  /** The file (relative to the project). */
  output: string;
  /** Its links, each with its decision (the plugin's, or the CLI check's judgement as shipped). */
  links: ReadonlyArray<CheckedLink & DocumentLink>;
  optedOut: ReadonlyArray<CheckedLink & DocumentLink>;
  /** When the file ships rewritten: its text and the edits that made it (links are placed where they end up). */
  shipped?: { text: string; edits: readonly TextEdit[] };
}

/** The pending rows of one audited file: its links, then its opted-out links. */
export function pendingRows({ text, kind, output, links, optedOut, shipped }: AuditedFile): PendingRow[] {
  const count = links.length + optedOut.length;
  const offsets = new Array<number>(count);
  for (let i = 0; i < count; i++) offsets[i] = (i < links.length ? links[i] : optedOut[i - links.length])!.offset;
  const positions = shipped ? positionsOf(shipped.text, shiftOffsets(offsets, shipped.edits)) : positionsOf(text, offsets);
  const rows = new Array<PendingRow>(count);
  for (let i = 0; i < count; i++) {
    const opted = i >= links.length;
    const link = (opted ? optedOut[i - links.length] : links[i])!;
    const { parsed, decision } = link;
    const original = link.html.href;
    const raw = kind === "html" ? rawHrefOf(text, link) : undefined;
    rows[i] = {
      output,
      original,
      href: decision.href,
      asin: parsed.asin,
      marketplace: parsed.marketplace,
      kind: parsed.kind,
      status: link.status,
      title: link.title || undefined,
      checkedAt: link.checkedAt || undefined,
      checkedVia: link.checkedVia || undefined,
      // Both arrays are made per link by the audit: no copy needed.
      liveIn: link.liveIn,
      findings: decision.findings,
      optedOut: opted || undefined,
      outputLine: positions[i]!.line,
      outputColumn: positions[i]!.column,
      ...(raw !== undefined && raw !== original ? { raw } : {}),
    };
  }
  return rows;
}

/**
 * The row, placed in `source` when a source file spells the link, else in the built file. Every field
 * is present in the same order (JSON leaves out the undefined ones), so all rows share one shape.
 */
export function placeRow(row: PendingRow, source?: SourcePlace): LinkRecord {
  const record: LinkRecord = {
    input: source ? source.file : row.output,
    line: source ? source.line : row.outputLine,
    column: source ? source.column : row.outputColumn,
    output: row.output,
    original: row.original,
    href: row.href,
    asin: row.asin,
    marketplace: row.marketplace,
    kind: row.kind,
    status: row.status,
    title: row.title,
    checkedAt: row.checkedAt,
    checkedVia: row.checkedVia,
    liveIn: row.liveIn,
    findings: row.findings,
  };
  if (row.optedOut) record.optedOut = true;
  return record;
}

/** The href attribute's value as written in the page (entities and all), another spelling to look for in sources. */
function rawHrefOf(text: string, link: DocumentLink): string | undefined {
  const value = attributeNamed(link.html, link.html.hrefAttribute ?? "href")?.value;
  return value && (link.html.container?.text ?? text).slice(value.start, value.end);
}
