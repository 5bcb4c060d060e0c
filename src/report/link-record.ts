/** One checked link (and where it was written) → its row in the report. */
import type { CheckedLink } from "../audit/check-links.js";
import type { LinkRecord } from "../results.js";

export interface LinkPlace {
  input: string;
  line: number;
  column: number;
  output: string;
}

/**
 * The row: every field present in the same order (JSON.stringify leaves out the undefined ones), so all
 * rows share one object shape, made without spreading a copy per link.
 */
export function toLinkRecord(link: CheckedLink, place: LinkPlace): LinkRecord {
  const { parsed, decision } = link;
  return {
    input: place.input,
    line: place.line,
    column: place.column,
    output: place.output,
    original: link.html.href,
    href: decision.href,
    asin: parsed.asin,
    marketplace: parsed.marketplace,
    kind: parsed.kind,
    status: link.status,
    title: link.title || undefined,
    checkedAt: link.checkedAt || undefined,
    checkedVia: link.checkedVia || undefined,
    // Both arrays are made per link by checkLinks/decideLink: no copy needed.
    liveIn: link.liveIn,
    findings: decision.findings,
  };
}
