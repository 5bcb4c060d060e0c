/** The first implementation of scanLinks, on htmlparser2: kept as the oracle the hand-written tokenizer is held to. */
/**
 * Find every `<a href>` and `<area href>` in a built page, with the offsets of
 * its start tag and attributes, skipping places where a link is not a link:
 * comments, `<code>`, `<pre>`, `<template>`, `<script>`, `<style>`,
 * `<textarea>` (the last three are raw text to htmlparser2's tokenizer).
 *
 * htmlparser2's Parser reports each tag's start and end offset, so we never
 * build a tree: the page is tokenized once and edits are spliced in place.
 */
import { Parser } from "htmlparser2";
import { scanAttributes } from "../../src/html/attributes.js";
import type { HtmlLink, ScanOptions, ScanResult } from "../../src/html/scan-links.js";

const IGNORED_SUBTREES = new Set(["code", "pre", "template", "script", "style", "textarea", "xmp", "listing", "plaintext"]);
const OPT_OUT_ATTRIBUTE = "data-amazon-links";

// Text in these is not shown to a reader.
const INVISIBLE = new Set(["head", "script", "style", "template", "noscript", "title"]);

export function referenceScanLinks(html: string, scan: ScanOptions = {}): ScanResult {
  const links: HtmlLink[] = [];
  const optedOut: HtmlLink[] = [];
  let ignoredDepth = 0;
  let invisibleDepth = 0;
  const text: string[] | undefined = scan.visibleText ? [] : undefined;
  // Elements opened with data-amazon-links="off", by name, so their close ends the opt-out.
  const optOutStack: string[] = [];

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (INVISIBLE.has(name)) invisibleDepth++;
        if (IGNORED_SUBTREES.has(name)) {
          ignoredDepth++;
          return;
        }
        const optOutHere = attribs[OPT_OUT_ATTRIBUTE]?.toLowerCase() === "off";
        if (ignoredDepth === 0 && (name === "a" || name === "area") && attribs.href !== undefined) {
          const start = parser.startIndex;
          const end = parser.endIndex;
          const { attributes, insertAt } = scanAttributes(html, start, end);
          const link: HtmlLink = { tagName: name, start, end, href: attribs.href, attributes, insertAt, values: attribs };
          (optOutHere || optOutStack.length > 0 ? optedOut : links).push(link);
        }
        if (optOutHere) optOutStack.push(name);
      },
      ontext(data) {
        if (text && invisibleDepth === 0) text.push(data);
      },
      onclosetag(name) {
        if (INVISIBLE.has(name) && invisibleDepth > 0) invisibleDepth--;
        if (IGNORED_SUBTREES.has(name)) {
          if (ignoredDepth > 0) ignoredDepth--;
          return;
        }
        if (optOutStack.length > 0 && optOutStack[optOutStack.length - 1] === name) optOutStack.pop();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return text ? { links, optedOut, visibleText: text.join(" ") } : { links, optedOut };
}
