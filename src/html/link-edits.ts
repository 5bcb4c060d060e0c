/**
 * Turn "this link should have href X, these rel tokens and these data
 * attributes" into byte-exact edits of its start tag. Nothing changes when the
 * tag already says it (idempotence), and nothing outside the touched
 * attribute values is rewritten (byte preservation).
 */
import { escapeAttributeValue, type AttributeSpan } from "./attributes.js";
import type { HtmlLink } from "./scan-links.js";
import type { TextEdit } from "./splice.js";

export interface LinkTarget {
  /** New href; undefined leaves href alone. */
  href?: string | undefined;
  /** rel tokens that must be present; false or undefined leaves rel alone. */
  rel?: readonly string[] | false | undefined;
  /** Attributes to set, names and values alternating (`["target", "_blank", …]`); values are escaped here. */
  set?: readonly string[];
}

function replaceValue(attribute: AttributeSpan, value: string, edits: TextEdit[]): void {
  const escaped = escapeAttributeValue(value);
  const span = attribute.value;
  if (!span) edits.push({ start: attribute.end, end: attribute.end, text: `="${escaped}"` });
  else if (span.quote === "'")
    edits.push({ start: span.start, end: span.end, text: escaped.includes("'") ? escaped.replace(/'/g, "&#39;") : escaped });
  else if (span.quote === '"') edits.push({ start: span.start, end: span.end, text: escaped });
  else {
    // Unquoted: quote it, the new value may hold characters an unquoted value cannot. The opening quote is
    // an edit of its own, before the value, so the value's offset maps to where it starts after the rewrite.
    edits.push({ start: span.start, end: span.start, text: '"' }, { start: span.start, end: span.end, text: `${escaped}"` });
  }
}

/** The first attribute of that (lower-case) name in the link's start tag. */
export function attributeNamed(link: HtmlLink, name: string): AttributeSpan | undefined {
  for (const attribute of link.attributes) if (attribute.name === name) return attribute;
  return undefined;
}

/** Append to `edits` the byte edits that make the link's start tag say `target`. */
export function planLinkEdits(link: HtmlLink, target: LinkTarget, edits: TextEdit[] = []): TextEdit[] {
  let inserted = "";
  const firstEdit = edits.length;

  if (target.href !== undefined && target.href !== link.href) {
    const attribute = attributeNamed(link, link.hrefAttribute ?? "href");
    if (attribute) replaceValue(attribute, target.href, edits);
  }

  if (target.rel) {
    const merged = mergeRel(link.values.rel, target.rel);
    if (merged !== undefined) {
      const attribute = attributeNamed(link, "rel");
      if (attribute) replaceValue(attribute, merged, edits);
      else inserted += ` rel="${escapeAttributeValue(merged)}"`;
    }
  }

  const set = target.set;
  if (set) {
    for (let i = 0; i + 1 < set.length; i += 2) {
      const name = set[i]!;
      const value = set[i + 1]!;
      if (link.values[name] === value) continue;
      const attribute = attributeNamed(link, name);
      if (attribute) replaceValue(attribute, value, edits);
      else inserted += ` ${name}="${escapeAttributeValue(value)}"`;
    }
  }

  if (inserted) {
    // After a final `name=` with no value the browser would read our attribute as its value: give it "" first
    // (unless an edit above already wrote one there).
    let valueGiven = false;
    for (let k = firstEdit; k < edits.length; k++) if (edits[k]!.start === link.insertAt) valueGiven = true;
    edits.push({ start: link.insertAt, end: link.insertAt, text: link.insertNeedsValue && !valueGiven ? `""${inserted}` : inserted });
  }
  return edits;
}

const joined = new WeakMap<readonly string[], string>();
function joinedRel(add: readonly string[]): string {
  let value = joined.get(add);
  if (value === undefined) joined.set(add, (value = [...new Set(add)].join(" ")));
  return value;
}

/** Merge our rel tokens into an existing rel value; returns undefined when nothing changes. */
export function mergeRel(existing: string | undefined, add: readonly string[]): string | undefined {
  // Most links have no rel of their own: then the answer is the same for every link.
  if (existing === undefined || existing === "") return add.length === 0 ? undefined : joinedRel(add);
  const tokens = (existing ?? "").split(/[\t\n\f\r ]+/).filter(Boolean);
  const have = new Set(tokens.map((t) => t.toLowerCase()));
  const missing = add.filter((t) => !have.has(t.toLowerCase()));
  if (missing.length === 0) return undefined;
  return [...tokens, ...missing].join(" ");
}
