import { scanLinks } from "../../src/html/scan-links.js";

/** The page with every <a>/<area> start tag cut out: what byte preservation compares. */
export function outsideLinkTags(html: string): string {
  const { links, optedOut } = scanLinks(html);
  let rest = "";
  let cursor = 0;
  for (const tag of [...links, ...optedOut].sort((a, b) => a.start - b.start)) {
    rest += html.slice(cursor, tag.start);
    cursor = tag.end + 1;
  }
  return rest + html.slice(cursor);
}
