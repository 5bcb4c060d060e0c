/**
 * Findings as a person acts on them: one per place to fix, not one per built
 * page. A link spelled once in a layout is one finding "on 40 pages"; in a
 * built site with no sources (amazon-links check/rewrite), the same link as
 * written, with the same finding, is one finding on every page that carries
 * it; a feed that repeats a post's link adds nothing; errors come first;
 * products nobody could check are summed up per store, with the reasons.
 */
import { documentKind } from "../html/document-kind.js";
import { marketplaceByCode } from "../amazon/stores.js";
import type { Finding } from "../rules/rule-ids.js";
import type { LinkRecord, Report } from "../results.js";

export interface GroupedFinding {
  /** `file:line:column` of the first place, or a store's domain for a summary of unverified products. */
  where: string;
  /** The file to annotate, when it is a source file a person edits (not a built file). */
  source?: { file: string; line?: number; column?: number };
  severity: Finding["severity"];
  rule: Finding["rule"];
  message: string;
  /** Built pages (not feeds) that carry it. */
  pages: number;
}

const SEVERITY_ORDER = { error: 0, warning: 1 } as const;

const isFeed = (output: string): boolean => {
  const kind = documentKind(output);
  return kind === "xml-feed" || kind === "json-feed";
};

/** "Could not check B0… on amazon.de: <reason>. The next build asks again." → the reason (src/rules/verdicts.ts words it). */
const UNVERIFIED = /^Could not check \S+ on \S+: (.*)\. The next build asks again\.$/s;

interface Group {
  finding: GroupedFinding;
  outputs: Set<string>;
  /** Only feeds so far (folded into a page's group with the same link and finding, if there is one). */
  feedOnly: boolean;
  /** Link as written + finding, for matching feeds to pages. */
  linkKey: string | undefined;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Unverified products, one summary per store: distinct ASINs and how often each reason was given. */
function unverifiedByStore(links: readonly LinkRecord[]): GroupedFinding[] {
  const stores = new Map<string, { severity: Finding["severity"]; asins: Set<string>; reasons: Map<string, Set<string>> }>();
  for (const link of links) {
    for (const f of link.findings) {
      if (f.rule !== "unverified") continue;
      let store = stores.get(link.marketplace);
      if (!store) stores.set(link.marketplace, (store = { severity: f.severity, asins: new Set(), reasons: new Map() }));
      if (f.severity === "error") store.severity = "error";
      const asin = link.asin ?? link.original;
      store.asins.add(asin);
      const reason = UNVERIFIED.exec(f.message)?.[1] ?? f.message;
      let asins = store.reasons.get(reason);
      if (!asins) store.reasons.set(reason, (asins = new Set()));
      asins.add(asin);
    }
  }
  return [...stores].map(([code, store]) => {
    const domain = marketplaceByCode(code)?.domain ?? code;
    const reasons = [...store.reasons].sort((a, b) => b[1].size - a[1].size);
    const why = reasons.length === 1 ? reasons[0]![0] : reasons.map(([reason, asins]) => `${reason}: ${asins.size}`).join("; ");
    return {
      where: domain,
      severity: store.severity,
      rule: "unverified",
      message: `${plural(store.asins.size, "product")} unverified, ${why}. The next build asks again.`,
      pages: 0,
    };
  });
}

export interface GroupOptions {
  /** One finding per unverified link instead of one summary per store. */
  verbose?: boolean;
}

export function groupFindings(report: Report, options: GroupOptions = {}): GroupedFinding[] {
  const groups = new Map<string, Group>();
  const add = (key: string, linkKey: string | undefined, output: string, make: () => GroupedFinding) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { finding: make(), outputs: new Set(), feedOnly: true, linkKey }));
    group.outputs.add(output);
    if (group.feedOnly && !isFeed(output)) {
      // Shown at a page that carries it, not at a feed that repeats it.
      group.finding = make();
      group.feedOnly = false;
    }
  };

  for (const page of report.pages) {
    const inSource = page.input !== page.output;
    for (const f of page.findings) {
      add(`page|${inSource ? page.input : page.output}|${f.rule}|${f.message}`, undefined, page.output, () => ({
        where: page.input,
        ...(inSource ? { source: { file: page.input } } : {}),
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        pages: 0,
      }));
    }
  }
  for (const link of report.links) {
    const inSource = link.input !== link.output;
    for (const f of link.findings) {
      if (f.rule === "unverified" && !options.verbose) continue;
      const linkKey = `${link.original}|${f.rule}|${f.message}`;
      // In a source file: that place. In built files only: the link as written, wherever it ships.
      const key = inSource ? `${link.input}:${link.line}:${link.column}|${f.rule}|${f.message}` : `built|${linkKey}`;
      add(key, linkKey, link.output, () => ({
        where: `${link.input}:${link.line}:${link.column}`,
        ...(inSource ? { source: { file: link.input, line: link.line, column: link.column } } : {}),
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        pages: 0,
      }));
    }
  }

  // A feed's row for a link a page also carries, with the same finding, is that page's finding.
  const onPages = new Set<string>();
  for (const group of groups.values()) if (!group.feedOnly && group.linkKey) onPages.add(group.linkKey);
  const shown: GroupedFinding[] = [];
  for (const group of groups.values()) {
    if (group.feedOnly && group.linkKey && onPages.has(group.linkKey)) continue;
    group.finding.pages = [...group.outputs].filter((output) => !isFeed(output)).length;
    shown.push(group.finding);
  }
  if (!options.verbose) shown.push(...unverifiedByStore(report.links));
  // Errors first; otherwise the report's order (by file and position).
  return shown
    .map((finding, i) => ({ finding, i }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.i - b.i)
    .map((x) => x.finding);
}

/** " (on 40 pages)" when a finding is on more than one built page. */
export function pagesNote(finding: GroupedFinding): string {
  return finding.pages > 1 ? ` (on ${finding.pages} pages)` : "";
}
