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
  errors: number;
  warnings: number;
}

export async function finishBuild(input: {
  results: PageResult[];
  options: ResolvedOptions;
  root: string;
  outputDir: string;
}): Promise<BuildOutcome> {
  const { results, options, root } = input;
  const report = buildReport(
    results.map((r) => r.page),
    results.flatMap((r) => r.links),
  );
  if (options.report.json) await writeFileAtomic(resolve(root, options.report.json), serializeReport(report));
  const text = formatConsoleReport(report, { quiet: options.quiet, verbose: options.verbose });
  return { report, text, errors: report.summary.errors, warnings: report.summary.warnings };
}
