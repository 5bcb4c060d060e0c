/**
 * `amazon-links check`: judge a link as it ships, not as the plugin would
 * rewrite it. A link without one of our tags is `untagged`; a link with
 * another Associate's tag is `foreign-tag` (an error here, unless the user set
 * that rule's severity); the href is the one in the file. The plugin's
 * "Replaced …" wording never appears. Pure: no I/O, no HTML.
 */
import { asinProblem } from "../amazon/asin.js";
import type { AmazonUrl } from "../amazon/parse.js";
import { marketplaceByCode } from "../amazon/stores.js";
import type { LinkDecision } from "../rules/decide-link.js";
import type { ResolvedOptions } from "../rules/options.js";
import { finding, type Finding, type RuleId } from "../rules/rule-ids.js";

/** Findings that come from checking the product, not from reading the URL: kept as the checker left them. */
const VERDICT_RULES: ReadonlySet<RuleId> = new Set(["dead-asin", "unverified"]);

const FIX = "Fix the source, or run `amazon-links rewrite` on the built site.";

function domainOf(code: string): string {
  return marketplaceByCode(code)?.domain ?? code;
}

/** The URL's own findings, judged as shipped. */
function shippedFindings(link: AmazonUrl, options: ResolvedOptions): Finding[] {
  const findings: Finding[] = [];
  const where = domainOf(link.marketplace);
  const ours = options.tags.get(link.marketplace);
  if (link.kind === "product" && link.asin !== undefined && !link.asinValid) {
    findings.push(
      ...finding(
        options,
        "invalid-asin",
        `"${link.asin}" is not a valid ASIN: it ${asinProblem(link.asin)}. Copy the ASIN from the product page.`,
      ),
    );
  }
  if (!ours) {
    const has = link.tag === undefined ? "ships without a tag" : `ships with the tag "${link.tag}"`;
    findings.push(
      ...finding(
        options,
        "untagged",
        `This ${where} link ${has}, and you have no tag for ${where}: add tags: { ${link.marketplace}: "yourtag-21" } to the options, or link to a store you have a tag for.`,
      ),
    );
  } else if (link.tag === undefined) {
    findings.push(...finding(options, "untagged", `This ${where} link ships without a tag (yours: "${ours[0]}"). ${FIX}`));
  } else if (!ours.includes(link.tag)) {
    findings.push(
      ...finding(options, "foreign-tag", `This ${where} link ships with the tag "${link.tag}", not yours ("${ours[0]}"). ${FIX}`),
    );
  }
  return findings;
}

/**
 * The decision for a link as it is in the file: its href unchanged, its findings those of the shipped URL
 * (for a short link, the URL it expands to) plus the checker's verdicts. A short link that could not be
 * expanded keeps the untagged finding that says so.
 */
export function judgeShipped(
  link: { html: { href: string }; parsed: AmazonUrl; decision: LinkDecision },
  options: ResolvedOptions,
): LinkDecision {
  const href = link.html.href;
  if (link.parsed.kind === "short") return { href, findings: link.decision.findings };
  const verdicts = link.decision.findings.filter((f) => VERDICT_RULES.has(f.rule));
  const tag = link.parsed.tag;
  return { href, ...(tag !== undefined ? { tag } : {}), findings: [...shippedFindings(link.parsed, options), ...verdicts] };
}
