/**
 * One built file, audited: its Amazon links found, checked and judged, its
 * opted-out links checked (never rewritten), and the page-level rules applied.
 * Shared by the Eleventy plugin (which then rewrites and locates) and the CLI
 * (which only reports).
 */
import type { Checker } from "../check/index.js";
import { findInDocument, type DocumentKind, type DocumentLink, type FoundDocument } from "../html/document.js";
import { disclosureFindings } from "../rules/disclosure.js";
import type { ResolvedOptions } from "../rules/options.js";
import type { Finding } from "../rules/rule-ids.js";
import { checkLinks, type Checked, type CheckLinksOptions } from "./check-links.js";
import { andThenBoth, type Eventually } from "../eventually.js";

export interface AuditedDocument {
  document: FoundDocument;
  /** The links the plugin rewrites, checked. */
  links: Array<Checked<DocumentLink>>;
  /** Links the author opted out of (data-amazon-links="off"), checked for dead products, left as written. */
  optedOut: Array<Checked<DocumentLink>>;
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
  const document = findInDocument(text, kind, options, { visibleText: kind === "html" && options.disclosure !== undefined });
  const optedOut: DocumentLink[] =
    kind === "html" ? document.optedOut.map((o) => ({ ...o, offset: o.html.start, decision: { href: o.html.href, findings: [] } })) : [];
  if (document.links.length === 0 && optedOut.length === 0) return { document, links: [], optedOut: [], pageFindings: [] };
  return andThenBoth(
    checkLinks(document.links, checker, options, extra),
    checkLinks(optedOut, checker, options),
    (links, checkedOptOuts) => {
      const affiliate = links.some((l) => l.decision.tag !== undefined);
      const pageFindings = kind === "html" && affiliate ? disclosureFindings(document.visibleText ?? "", options) : [];
      return { document, links, optedOut: checkedOptOuts, pageFindings };
    },
  );
}
