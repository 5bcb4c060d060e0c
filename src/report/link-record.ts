/** One found link (and where it was written) → its row in the report. */
import type { FoundLink } from "../html/rewrite-page.js";
import type { LinkRecord, LinkStatus } from "./types.js";

export interface LinkPlace {
  input: string;
  line: number;
  column: number;
  output: string;
}

export function toLinkRecord(
  link: FoundLink,
  place: LinkPlace,
  status: LinkStatus = "unchecked",
  known: { title?: string; liveIn?: readonly string[]; checkedAt?: string; checkedVia?: string } = {},
): LinkRecord {
  const { parsed, decision } = link;
  return {
    ...place,
    original: link.html.href,
    href: decision.href,
    ...(parsed.asin !== undefined ? { asin: parsed.asin } : {}),
    marketplace: parsed.marketplace,
    kind: parsed.kind,
    status,
    ...(known.title ? { title: known.title } : {}),
    ...(known.checkedAt ? { checkedAt: known.checkedAt } : {}),
    ...(known.checkedVia ? { checkedVia: known.checkedVia } : {}),
    ...(known.liveIn ? { liveIn: [...known.liveIn] } : {}),
    findings: [...decision.findings],
  };
}
