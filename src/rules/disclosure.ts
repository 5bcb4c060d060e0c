/** The missing-disclosure rule: a page with affiliate links must show the disclosure. Pure. */
import type { ResolvedOptions } from "./options.js";
import { finding, type Finding } from "./rule-ids.js";

/** Findings for a page with affiliate links, given the text a reader sees on it. */
export function disclosureFindings(visibleText: string, options: ResolvedOptions): Finding[] {
  // The disclosure test reads the whole text: not run when the rule is off.
  if (!options.disclosure || options.severities["missing-disclosure"] === "off" || options.disclosure(visibleText)) return [];
  return finding(
    options,
    "missing-disclosure",
    "This page has affiliate links but does not show your disclosure. Add it to the page or its layout (visible text, not a comment) — the Associates Operating Agreement and the FTC require it.",
  );
}
