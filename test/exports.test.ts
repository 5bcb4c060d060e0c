/**
 * The package's public surface, as a user imports it (the built entry point): adding or
 * removing an export is a decision, so it shows up here.
 */
import { describe, expect, it } from "vitest";
import type {
  AmazonLinksOptions,
  AmazonUrl,
  AmazonUrlKind,
  CheckItem,
  CheckOptions,
  CheckResult,
  CheckStatus,
  Finding,
  FormatOptions,
  LinkRecord,
  LinkStatus,
  LocalizeOptions,
  Marketplace,
  PageRecord,
  Report,
  ReportOptions,
  ReportSummary,
  RuleId,
  RuleOptions,
  Severity,
  UnifiedAmazonLinksOptions,
} from "../src/index.js";

describe("public exports", () => {
  it("are exactly these values", async () => {
    const entry = await import("eleventy-plugin-amazon-links");
    expect(Object.keys(entry).sort()).toEqual([
      "AmazonLinksBuildError",
      "AmazonLinksOptionError",
      "checkAsins",
      "default",
      "formatAmazonUrl",
      "isValidAsin",
      "marketplaces",
      "parseAmazonUrl",
      "rehypeAmazonLinks",
      "remarkAmazonLinks",
      "resolveOptions",
    ]);
    expect(typeof entry.default).toBe("function");
  });

  it("type the options a config file writes", () => {
    // Type-checked by `npm run typecheck`: a removed or renamed type fails it.
    const localize: LocalizeOptions = { script: "file", fallback: "keep" };
    const report: ReportOptions = { json: "report.json", html: false };
    const options: AmazonLinksOptions = {
      tags: { us: "mysite-20" },
      localize,
      report,
      rules: { untagged: "warning" } satisfies RuleOptions["rules"],
    };
    expect(options.localize).toBe(localize);
    const unifiedOptions: UnifiedAmazonLinksOptions = { tags: options.tags, failOnError: false, exclude: ["src/content/drafts/**"] };
    expect(unifiedOptions.failOnError).toBe(false);
    type Surface = [AmazonUrl, AmazonUrlKind, CheckItem, CheckOptions, CheckResult, CheckStatus, Finding, FormatOptions];
    type Report_ = [LinkRecord, LinkStatus, Marketplace, PageRecord, Report, ReportSummary, RuleId, Severity];
    const surface: Surface | Report_ | undefined = undefined;
    expect(surface).toBeUndefined();
  });
});
