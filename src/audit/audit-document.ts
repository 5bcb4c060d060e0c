/**
 * One built file, audited: its Amazon links found (src/html), decided
 * (src/rules), checked and judged; its opted-out links checked (never
 * rewritten); the page-level rules applied. Shared by the Eleventy plugin
 * (which then writes the decisions back) and the CLI (which only reports).
 */
import type { Checker } from "../check/index.js";
import { findInDocument, type DocumentLink, type FoundDocument } from "../html/document.js";
import type { DocumentKind } from "../html/document-kind.js";
import { decideLinks, type Decided } from "../rules/decide-link.js";
import { disclosureFindings } from "../rules/disclosure.js";
import type { ResolvedOptions } from "../rules/options.js";
import type { Finding } from "../rules/rule-ids.js";
import { checkLinks, type Checked, type CheckLinksOptions } from "./check-links.js";
import { andThenBoth, type Eventually } from "../eventually.js";

export interface AuditedDocument {
  document: FoundDocument;
  /** The links the plugin rewrites, decided and checked. */
  links: Array<Checked<Decided<DocumentLink>>>;
  /** Links the author opted out of (data-amazon-links="off"), checked for dead products, left as written. */
  optedOut: Array<Checked<Decided<DocumentLink>>>;
  /** Findings about the whole page (missing-disclosure). */
  pageFindings: Finding[];
}

/** The audited document, now when every check is answered without the network (see `Eventually`). */
export function auditDocument(
  text: string,
  kind: DocumentKind,
  options: ResolvedOptions,
  checker: Checker | undefined,
  extra: CheckLinksOptions = {},
): Eventually<AuditedDocument> {
  const document = findInDocument(text, kind, { visibleText: kind === "html" && options.disclosure !== undefined });
  const decided = decideLinks(document.links, options);
  // Opted out: left as written, so their decision is the href they have.
  const optedOut = document.optedOut.map((o) => ({ ...o, decision: { href: o.html.href, findings: [] } }));
  if (decided.length === 0 && optedOut.length === 0) return { document, links: [], optedOut: [], pageFindings: [] };
  return andThenBoth(checkLinks(decided, checker, options, extra), checkLinks(optedOut, checker, options), (links, checkedOptOuts) => {
    const affiliate = links.some((l) => l.decision.tag !== undefined);
    const pageFindings = kind === "html" && affiliate ? disclosureFindings(document.visibleText ?? "", options) : [];
    return { document, links, optedOut: checkedOptOuts, pageFindings };
  });
}
