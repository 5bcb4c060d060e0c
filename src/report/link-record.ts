/** One checked link (and where it was written) → its row in the report. */
import type { CheckedLink } from "../audit/check-links.js";
import type { LinkRecord } from "./types.js";

export interface LinkPlace {
  input: string;
  line: number;
  column: number;
  output: string;
}

/** Everything in a report row but its source location. */
export type LinkFields = Omit<LinkRecord, "input" | "line" | "column">;

export function linkFields(link: CheckedLink, output: string): LinkFields {
  const { parsed, decision } = link;
  return {
    output,
    original: link.html.href,
    href: decision.href,
    ...(parsed.asin !== undefined ? { asin: parsed.asin } : {}),
    marketplace: parsed.marketplace,
    kind: parsed.kind,
    status: link.status,
    ...(link.title ? { title: link.title } : {}),
    ...(link.checkedAt ? { checkedAt: link.checkedAt } : {}),
    ...(link.checkedVia ? { checkedVia: link.checkedVia } : {}),
    // Both arrays are made per link by checkLinks/decideLink: no copy needed.
    ...(link.liveIn ? { liveIn: link.liveIn } : {}),
    findings: decision.findings,
  };
}

export function toLinkRecord(link: CheckedLink, place: LinkPlace): LinkRecord {
  return { input: place.input, line: place.line, column: place.column, ...linkFields(link, place.output) };
}
