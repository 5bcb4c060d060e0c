/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`)
 * and other SARIF viewers: one rule per rule id, one result per finding.
 */
import { createHash } from "node:crypto";
import { defaultSeverities, ruleIds, type Finding, type RuleId, type Severity } from "../rules/rule-ids.js";
import type { Report } from "../results.js";
import { sanitizeText } from "./sanitize.js";

export interface SarifOptions {
  /** Prefix for artifact paths when the project is not the repository root, e.g. `"site/"`. */
  pathPrefix?: string;
  /** Link to the rules' documentation; each rule's `helpUri` is this plus `#rule-id`. */
  helpUri?: string;
}

/** What each rule means and what to do about it, for SARIF viewers and reports. */
const ruleDescriptions: Readonly<Record<RuleId, { name: string; short: string; full: string }>> = {
  untagged: {
    name: "UntaggedAmazonLink",
    short: "Amazon link would ship without one of your Associates tags",
    full: "The link earns no commission: no tag is configured for its store, or it is a short link that could not be expanded. Add a tag for the store to the `tags` option, or replace the short link with the full product URL.",
  },
  "dead-asin": {
    name: "DeadAsin",
    short: "The product does not exist in the store the link points at",
    full: "Visitors land on a 'page not found'. Link to a current product, or to a store where it still exists.",
  },
  "invalid-asin": {
    name: "InvalidAsin",
    short: "Not a well-formed ASIN",
    full: "An ASIN is 10 upper-case letters and digits; ISBN-10 ASINs must have a valid check digit. Fix the typo in the product URL.",
  },
  "foreign-tag": {
    name: "ForeignTag",
    short: "The URL carried someone else's tag; it was replaced",
    full: "The link was copied with another Associates tag, which the build replaced with yours. Clean the source URL to silence this warning.",
  },
  unverified: {
    name: "UnverifiedAsin",
    short: "The product could not be checked",
    full: "The store did not answer (offline, captcha, throttled or timed out). The link was kept; the next build retries. Run `amazon-links refresh` to re-check.",
  },
  unavailable: {
    name: "UnavailableProduct",
    short: "The product exists but Amazon shows it as unavailable",
    full: "The store's page, or the Creators API's offers (every one out of stock or unavailable), says the product cannot be bought there now. Link to an edition or store where it can be bought; the localization script already sends visitors elsewhere where it can.",
  },
  "missing-disclosure": {
    name: "MissingDisclosure",
    short: "A page with affiliate links lacks the disclosure text",
    full: "Amazon Associates requires a clear disclosure on pages with affiliate links. Add the configured disclosure text to the page or its layout.",
  },
};

type SarifLevel = "error" | "warning" | "note" | "none";

function level(severity: Severity): SarifLevel {
  return severity === "off" ? "none" : severity;
}

/** Relative path → SARIF relative URI reference (forward slashes, percent-encoded segments). */
function toUri(path: string, prefix: string): string {
  return (prefix + path.replace(/\\/g, "/").replace(/^\.\//, ""))
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

function generatorVersion(generator: string): string | undefined {
  return /(\d+\.\d+\.\d+[^\s]*)\s*$/.exec(generator)?.[1];
}

/** The report as a SARIF 2.1.0 log (a plain object, ready for `JSON.stringify`). */
export function toSarif(report: Report, options: SarifOptions = {}): Record<string, unknown> {
  const prefix = options.pathPrefix ?? "";
  const rules = ruleIds.map((id) => ({
    id,
    name: ruleDescriptions[id].name,
    shortDescription: { text: ruleDescriptions[id].short },
    fullDescription: { text: ruleDescriptions[id].full },
    defaultConfiguration: { level: level(defaultSeverities[id]) },
    ...(options.helpUri ? { helpUri: `${options.helpUri}#${id}` } : {}),
    properties: { tags: ["amazon", "affiliate"] },
  }));
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));

  const result = (finding: Finding, location: Record<string, unknown>, key: string, extra: Record<string, unknown>) => ({
    ruleId: finding.rule,
    ruleIndex: ruleIndex.get(finding.rule) ?? -1,
    level: level(finding.severity),
    message: { text: sanitizeText(finding.message) },
    locations: [{ physicalLocation: location }],
    partialFingerprints: { "amazonLinks/v1": fingerprint(finding.rule, key) },
    properties: extra,
  });

  const results: unknown[] = [];
  for (const page of report.pages) {
    for (const finding of page.findings) {
      results.push(
        result(
          finding,
          { artifactLocation: { uri: toUri(page.input, prefix), uriBaseId: "%SRCROOT%" } },
          `${page.input}\u0000${page.output}`,
          { output: sanitizeText(page.output) },
        ),
      );
    }
  }
  for (const link of report.links) {
    for (const finding of link.findings) {
      const region: Record<string, number> = {};
      if (link.line > 0) region.startLine = link.line;
      if (link.line > 0 && link.column > 0) region.startColumn = link.column;
      results.push(
        result(
          finding,
          {
            artifactLocation: { uri: toUri(link.input, prefix), uriBaseId: "%SRCROOT%" },
            ...(Object.keys(region).length > 0 ? { region } : {}),
          },
          `${link.input}\u0000${link.original}`,
          {
            output: sanitizeText(link.output),
            original: sanitizeText(link.original),
            href: sanitizeText(link.href),
            marketplace: link.marketplace,
            status: link.status,
            ...(link.asin ? { asin: link.asin } : {}),
          },
        ),
      );
    }
  }

  const version = generatorVersion(report.generator);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "amazon-links",
            fullName: report.generator,
            informationUri: "https://www.npmjs.com/package/eleventy-plugin-amazon-links",
            ...(version ? { version, semanticVersion: version } : {}),
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The project root (where the Eleventy config is)." } } },
        invocations: [
          {
            executionSuccessful: true,
            ...(Number.isNaN(Date.parse(report.generatedAt)) ? {} : { endTimeUtc: new Date(report.generatedAt).toISOString() }),
          },
        ],
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}
