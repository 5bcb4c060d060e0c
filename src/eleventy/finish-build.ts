/** End of a build: assemble the report, write it, and format the console text. */
import { resolve } from "node:path";
import type { ResolvedOptions } from "../rules/options.js";
import { buildReport } from "../report/build-report.js";
import { formatConsoleReport } from "../report/console.js";
import { serializeReport, writeFileAtomic } from "../report/write-json.js";
import type { Report } from "../report/types.js";
import type { PageResult } from "./page-result.js";

export interface BuildOutcome {
  report: Report;
  text: string;
  /** GitHub Actions workflow commands, printed to stdout as they are. */
  annotations: string;
  errors: number;
  warnings: number;
}

export async function finishBuild(input: {
  results: PageResult[];
  options: ResolvedOptions;
  root: string;
  outputDir: string;
  /** Extra facts for the report (localization script, time spent checking). */
  extras?: Pick<Report, "localize" | "checking">;
}): Promise<BuildOutcome> {
  const { results, options, root } = input;
  const report = {
    ...buildReport(
      results.map((r) => r.page),
      results.flatMap((r) => r.links),
    ),
    ...input.extras,
  };
  if (options.report.json) await writeFileAtomic(resolve(root, options.report.json), serializeReport(report));
  if (options.report.html) {
    const { renderHtmlReport } = await import("../report/html-page.js");
    await writeFileAtomic(resolve(root, options.report.html), renderHtmlReport(report));
  }
  let text = formatConsoleReport(report, { quiet: options.quiet, verbose: options.verbose });
  const written = [options.report.html, options.report.json].filter((p): p is string => typeof p === "string");
  if (written.length && !options.quiet) text += `\nReport: ${written.join(", ")}`;
  if (report.localize?.sha256 && options.verbose) text += `\nCSP for the inline script: script-src '${report.localize.sha256}'`;
  const github = options.report.github === "auto" ? process.env.GITHUB_ACTIONS === "true" : options.report.github;
  let annotations = "";
  if (github) annotations = (await import("../report/github.js")).formatGithubAnnotations(report);
  return { report, text, annotations, errors: report.summary.errors, warnings: report.summary.warnings };
}
