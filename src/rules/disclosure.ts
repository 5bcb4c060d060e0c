/** The missing-disclosure rule: a page with affiliate links must show the disclosure. Pure. */
import type { ResolvedOptions } from "./options.js";
import type { Finding } from "./rule-ids.js";

/** Findings for a page with affiliate links, given the text a reader sees on it. */
export function disclosureFindings(visibleText: string, options: ResolvedOptions): Finding[] {
  const severity = options.severities["missing-disclosure"];
  if (!options.disclosure || severity === "off" || options.disclosure(visibleText)) return [];
  return [
    {
      rule: "missing-disclosure",
      severity,
      message:
        "This page has affiliate links but does not show your disclosure. Add it to the page or its layout (visible text, not a comment) — the Associates Operating Agreement and the FTC require it.",
    },
  ];
}
