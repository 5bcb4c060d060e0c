/**
 * A tree's links seen as the browser will see them. Raw HTML in a tree (mdast
 * `html`, hast `raw`) and the tree's own links and elements are laid out in
 * document order as one HTML string (text left out, it holds no tags), and the
 * Eleventy plugin's byte-preserving page rewriter reads it once. So raw
 * `<a href>` tags are rewritten in place with the same rules, and a link
 * inside `<code>`, `<pre>`, a raw-text element or a `data-amazon-links="off"`
 * block is skipped whether that element came as raw HTML or as a node.
 */
import { escapeAttributeValue } from "../html/attributes.js";
import { findAmazonLinks, writeAmazonLinks, type FoundLink } from "../html/rewrite-page.js";
import { decideLinks, type Decided } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";

/** Between pieces: never in a tag the rewriter edits, and checked to be in no piece. */
const SEPARATOR = "\u0000";

export type PieceKind = "raw" | "tag";

interface SkeletonLink {
  /** Index of the piece the link's tag is in. */
  piece: number;
  /** Offset of the link's `<` in that piece's text. */
  offset: number;
  link: Decided<FoundLink>;
}

export interface SkeletonResult {
  /** The text of each piece after the rewrite (raw pieces keep every byte outside rewritten tags). */
  texts: string[];
  /** In-scope Amazon links outside code and opt-outs, in document order. */
  links: SkeletonLink[];
}

export class HtmlSkeleton {
  private readonly pieces: string[] = [];
  private readonly kinds: PieceKind[] = [];

  /** Raw HTML as written; returns its piece index. */
  raw(value: string): number {
    return this.push("raw", value);
  }

  /** A start tag standing for a node; returns its piece index. */
  startTag(name: string, attributes: Readonly<Record<string, string | undefined>> = {}): number {
    let tag = `<${name}`;
    for (const [attribute, value] of Object.entries(attributes)) {
      if (value !== undefined) tag += ` ${attribute}="${escapeAttributeValue(value)}"`;
    }
    return this.push("tag", `${tag}>`);
  }

  endTag(name: string): void {
    this.push("tag", `</${name}>`);
  }

  run(options: ResolvedOptions): SkeletonResult {
    if (this.pieces.some((piece) => piece.includes(SEPARATOR))) return this.runPiecesAlone(options);
    const html = this.pieces.join(SEPARATOR);
    const found = decideLinks(findAmazonLinks(html).links, options);
    const starts: number[] = [];
    let at = 0;
    for (const piece of this.pieces) {
      starts.push(at);
      at += piece.length + SEPARATOR.length;
    }
    const links = found.map((link) => {
      const piece = pieceAt(starts, link.html.start);
      return { piece, offset: link.html.start - (starts[piece] as number), link };
    });
    const rewritten = links.length === 0 ? html : writeAmazonLinks(html, found, options);
    const texts = rewritten.split(SEPARATOR);
    if (texts.length !== this.pieces.length) return this.runPiecesAlone(options); // a tag spanned pieces
    return { texts, links };
  }

  /** Without context: each piece read on its own (when the pieces cannot be joined safely). */
  private runPiecesAlone(options: ResolvedOptions): SkeletonResult {
    const texts: string[] = [];
    const links: SkeletonLink[] = [];
    this.pieces.forEach((piece, index) => {
      const found = decideLinks(findAmazonLinks(piece).links, options);
      for (const link of found) links.push({ piece: index, offset: link.html.start, link });
      texts.push(found.length === 0 ? piece : writeAmazonLinks(piece, found, options));
    });
    return { texts, links };
  }

  private push(kind: PieceKind, text: string): number {
    this.pieces.push(text);
    this.kinds.push(kind);
    return this.pieces.length - 1;
  }
}

/** Index of the last start at or before `offset`. */
function pieceAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
