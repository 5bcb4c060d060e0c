/** Collected page results → the version 1 report. */
import type { LinkRecord, PageRecord, Report } from "../results.js";
import { summarize } from "./summary.js";

const GENERATOR = "eleventy-plugin-amazon-links";

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildReport(pages: PageRecord[], links: LinkRecord[], now: Date = new Date()): Report {
  // Code-point order: stable across machines and locales, and far cheaper than localeCompare on thousands of rows.
  const byPlace = (a: { input: string; output: string }, b: { input: string; output: string }) =>
    compareText(a.output, b.output) || compareText(a.input, b.input);
  const sortedPages = [...pages].sort(byPlace);
  const sortedLinks = [...links].sort((a, b) => byPlace(a, b) || a.line - b.line || a.column - b.column);
  return {
    version: 1,
    generator: GENERATOR,
    generatedAt: now.toISOString(),
    summary: summarize(sortedLinks, sortedPages),
    pages: sortedPages,
    links: sortedLinks,
  };
}
