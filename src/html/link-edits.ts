/**
 * Turn "this link should have href X, these rel tokens and these data
 * attributes" into byte-exact edits of its start tag. Nothing changes when the
 * tag already says it (idempotence), and nothing outside the touched
 * attribute values is rewritten (byte preservation).
 */
import { mergeRel } from "../rules/decide-link.js";
import { escapeAttributeValue, type AttributeSpan } from "./attributes.js";
import type { HtmlLink } from "./scan-links.js";
import type { TextEdit } from "./splice.js";

export interface LinkTarget {
  /** New href; undefined leaves href alone. */
  href?: string;
  /** rel tokens that must be present; false or undefined leaves rel alone. */
  rel?: readonly string[] | false;
  /** Attributes to set (name → value); values are escaped here. */
  set?: Record<string, string>;
}

function replaceValue(attribute: AttributeSpan, value: string): TextEdit {
  const escaped = escapeAttributeValue(value);
  const span = attribute.value;
  if (!span) return { start: attribute.end, end: attribute.end, text: `="${escaped}"` };
  if (span.quote === "'") return { start: span.start, end: span.end, text: escaped.replace(/'/g, "&#39;") };
  if (span.quote === '"') return { start: span.start, end: span.end, text: escaped };
  // Unquoted: quote it, the new value may hold characters an unquoted value cannot.
  return { start: span.start, end: span.end, text: `"${escaped}"` };
}

export function planLinkEdits(link: HtmlLink, target: LinkTarget): TextEdit[] {
  const edits: TextEdit[] = [];
  const inserted: string[] = [];
  const find = (name: string) => link.attributes.find((a) => a.name === name);

  if (target.href !== undefined && target.href !== link.href) {
    const attribute = find("href");
    if (attribute) edits.push(replaceValue(attribute, target.href));
  }

  if (target.rel) {
    const merged = mergeRel(link.values.rel, target.rel);
    if (merged !== undefined) {
      const attribute = find("rel");
      if (attribute) edits.push(replaceValue(attribute, merged));
      else inserted.push(`rel="${escapeAttributeValue(merged)}"`);
    }
  }

  for (const [name, value] of Object.entries(target.set ?? {})) {
    if (link.values[name] === value) continue;
    const attribute = find(name);
    if (attribute) edits.push(replaceValue(attribute, value));
    else inserted.push(`${name}="${escapeAttributeValue(value)}"`);
  }

  if (inserted.length > 0) edits.push({ start: link.insertAt, end: link.insertAt, text: ` ${inserted.join(" ")}` });
  return edits;
}
