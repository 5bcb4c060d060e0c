/**
 * rehypeAmazonLinks: rewrite `a[href]` and `area[href]` in hast, and `<a href>`
 * tags in `raw` nodes (Markdown's inline HTML when no rehype-raw ran before:
 * Astro runs it after user plugins) in place, byte for byte outside the tag.
 * Links inside code, pre, raw-text elements, template and
 * data-amazon-links="off" subtrees are skipped, whether those came as
 * elements or as raw HTML.
 */
import type { Element, Root } from "hast";
import type { Literal } from "unist";
import type { VFile } from "vfile";
import { HtmlSkeleton } from "./html-skeleton.js";
import { taggedLinkProperties } from "./link-properties.js";
import { displayPath, FileFindings, placeInValue } from "./messages.js";
import { resolveUnifiedOptions, type UnifiedAmazonLinksOptions } from "./options.js";
import { closeJsxTag, isMdxJsxElement, openJsxTag, rewriteJsxLink, type MdxJsxElement } from "./mdx-jsx.js";
import { VOID } from "./void-elements.js";
import { walk } from "./walk.js";

/** HTML kept as text by remark-rehype (`allowDangerousHtml`), declared by mdast-util-to-hast. */
interface Raw extends Literal {
  type: "raw";
  value: string;
}

export default function rehypeAmazonLinks(options: UnifiedAmazonLinksOptions = {}) {
  const settings = resolveUnifiedOptions("rehypeAmazonLinks", options);
  const { rules } = settings;
  return function transformer(tree: Root, file: VFile): void {
    if (!settings.processesPath(displayPath(file))) return;
    const findings = new FileFindings();

    const skeleton = new HtmlSkeleton();
    const pieceNodes = new Map<number, Element | Raw | MdxJsxElement>();
    walk(
      tree,
      (node) => {
        if (openJsxTag(node, skeleton, pieceNodes)) return;
        if (node.type === "raw") pieceNodes.set(skeleton.raw((node as Raw).value), node as Raw);
        else if (node.type === "element") {
          const element = node as Element;
          const piece = skeleton.startTag(element.tagName, skeletonAttributes(element));
          if (element.tagName === "a" || element.tagName === "area") pieceNodes.set(piece, element);
        }
      },
      (node) => {
        if (node.type === "element" && !VOID.has((node as Element).tagName)) skeleton.endTag((node as Element).tagName);
        closeJsxTag(node, skeleton);
      },
    );
    const result = skeleton.run(rules);

    for (const { piece, offset, link } of result.links) {
      const node = pieceNodes.get(piece);
      if (!node) continue;
      if (node.type === "raw") {
        const tagLength = link.html.end - link.html.start + 1;
        findings.add(link.decision.findings, placeInValue(file, node.position, node.value, offset, offset + tagLength));
        continue;
      }
      findings.add(link.decision.findings, node.position);
      if (isMdxJsxElement(node)) {
        rewriteJsxLink(node, link, rules);
        continue;
      }
      node.properties = { ...node.properties, href: link.decision.href, ...taggedLinkProperties(link, rules, node.properties) };
    }
    for (const [piece, node] of pieceNodes) {
      if (node.type === "raw") node.value = result.texts[piece] as string;
    }

    findings.report(file, rules.failOnError);
  };
}

/** What the page rewriter reads of an element: a link's href and the opt-out. */
function skeletonAttributes(element: Element): Record<string, string | undefined> {
  const { href, dataAmazonLinks } = element.properties;
  return {
    href: (element.tagName === "a" || element.tagName === "area") && typeof href === "string" ? href : undefined,
    "data-amazon-links": dataAmazonLinks === "off" ? "off" : undefined,
  };
}
