/** End of a build: assemble the report, write it, and format the console text. */
import { placeRow } from "../audit/link-rows.js";
import type { ResolvedOptions } from "../rules/options.js";
import { buildReport } from "../report/build-report.js";
import { formatConsoleReport } from "../report/console.js";
import { writeReports } from "../report/write-reports.js";
import type { LinkRecord, Report } from "../results.js";
import type { SourceLocation, SourceLocator } from "./source-locator.js";
import type { PageResult } from "./page-result.js";

export interface BuildOutcome {
  report: Report;
  text: string;
  /** GitHub Actions workflow commands, printed to stdout as they are. */
  annotations: string;
  errors: number;
  warnings: number;
}

/**
 * What the builds of one `--serve`/`--watch` process made of pages that did not change: a page's rows
 * placed where they were are the same records.
 */
export interface RebuildMemo {
  placed: WeakMap<PageResult, { found: ReadonlyArray<SourceLocation | undefined>; records: LinkRecord[] }>;
}

export function rebuildMemo(): RebuildMemo {
  return { placed: new WeakMap() };
}

/**
 * The rows, placed at the end of the build rather than while pages render: in
 * the page's own input first, then layouts, includes and data files; in the
 * built file where no source spells the URL. Placed on every build: an
 * incremental rebuild keeps other pages' results, and their sources may have changed.
 */
async function placeLinks(results: readonly PageResult[], locator: SourceLocator, memo: RebuildMemo | undefined): Promise<LinkRecord[]> {
  const records: LinkRecord[] = [];
  for (const result of results) {
    const found = await locator.locate(result.inputPath, result.links);
    const before = memo?.placed.get(result);
    if (before && samePlaces(before.found, found)) {
      for (const record of before.records) records.push(record);
      continue;
    }
    const placed = result.links.map((row, i) => placeRow(row, found[i]));
    memo?.placed.set(result, { found, records: placed });
    for (const record of placed) records.push(record);
  }
  return records;
}

function samePlaces(a: ReadonlyArray<SourceLocation | undefined>, b: ReadonlyArray<SourceLocation | undefined>): boolean {
  return (
    a.length === b.length &&
    a.every((place, i) => {
      const other = b[i];
      return (
        place === other || (!!place && !!other && place.file === other.file && place.line === other.line && place.column === other.column)
      );
    })
  );
}

export async function finishBuild(input: {
  results: PageResult[];
  locator: SourceLocator;
  options: ResolvedOptions;
  root: string;
  /** Extra facts for the report (localization script, time spent checking). */
  extras?: Pick<Report, "localize" | "checking">;
  /** Under --serve/--watch: what earlier builds of this process placed. */
  memo?: RebuildMemo;
}): Promise<BuildOutcome> {
  const { results, options, root } = input;
  const report = {
    ...buildReport(
      results.map((r) => r.page),
      await placeLinks(results, input.locator, input.memo),
    ),
    ...input.extras,
  };
  await writeReports(report, options.report, root);
  // quiet: nothing at all unless there are errors.
  let text =
    options.quiet && report.summary.errors === 0 ? "" : formatConsoleReport(report, { quiet: options.quiet, verbose: options.verbose });
  const written = [options.report.html, options.report.json].filter((p): p is string => typeof p === "string");
  if (written.length && !options.quiet && text) text += `\nReport: ${written.join(", ")}`;
  if (report.localize?.sha256 && options.verbose) text += `\nCSP for the inline script: script-src '${report.localize.sha256}'`;
  const github = options.report.github === "auto" ? process.env.GITHUB_ACTIONS === "true" : options.report.github;
  let annotations = "";
  if (github) annotations = (await import("../report/github.js")).formatGithubAnnotations(report);
  return { report, text, annotations, errors: report.summary.errors, warnings: report.summary.warnings };
}
