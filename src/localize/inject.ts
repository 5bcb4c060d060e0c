/**
 * Put a snippet into a page without touching any other byte, where the parse says the body ends:
 * before the real `</body>` (never one inside a comment, a script or an attribute value); without
 * one, at the end of the document, but before a comment, raw-text element or tag the page leaves
 * unfinished (which would swallow it).
 */
import { scanLinks } from "../html/scan-links.js";

const NO_LINKS = () => false;

export function injectBeforeBodyEnd(html: string, snippet: string): string {
  const at = scanLinks(html, { linkMayMatch: NO_LINKS }).bodyEnd;
  return html.slice(0, at) + snippet + html.slice(at);
}
