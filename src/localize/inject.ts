/**
 * Put a snippet into a page without touching any other byte: just before the
 * last `</body>`, else before the last `</head>`, else at the end.
 */

const END_TAGS: Record<string, RegExp> = { body: /<\/body[\s/>]/gi, head: /<\/head[\s/>]/gi };
const END_TAG_AFTER: Record<string, RegExp> = { body: /<\/body(?:[\s/>]|$)/i, head: /<\/head(?:[\s/>]|$)/i };

function lastEndTag(html: string, name: "body" | "head"): number {
  // The usual page ends with a lower-case "</body>": found from the end, without a scan of the whole page.
  const plain = html.lastIndexOf(`</${name}>`);
  // (It is the last one when no end tag of that name, in any case or spelling, follows it.)
  if (plain !== -1 && !END_TAG_AFTER[name]!.test(html.slice(plain + name.length + 3))) {
    return plain;
  }
  const pattern = END_TAGS[name]!;
  pattern.lastIndex = 0;
  let last = -1;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) last = match.index;
  // "</body" at the very end of the page (no ">") still closes the body.
  if (last === -1 && html.toLowerCase().endsWith(`</${name}`)) last = html.length - name.length - 2;
  return last;
}

export function injectBeforeBodyEnd(html: string, snippet: string): string {
  let at = lastEndTag(html, "body");
  if (at === -1) at = lastEndTag(html, "head");
  if (at === -1) return html + snippet;
  return html.slice(0, at) + snippet + html.slice(at);
}
