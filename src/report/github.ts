/**
 * GitHub Actions workflow commands: one `::error` / `::warning` line per
 * finding, so findings show on the pull request's diff. Escaping follows
 * @actions/core (toolkit `command.ts`): data escapes `%`, `\r`, `\n`;
 * properties additionally escape `:` and `,`. Values are sanitised first
 * (escape sequences and other control characters removed, see sanitize.ts).
 */
import type { Finding } from "../rules/rule-ids.js";
import { sanitizeText } from "./sanitize.js";
import type { Report } from "./types.js";

export interface GithubAnnotationOptions {
  /**
   * Prefix for file paths when the project is not the repository root
   * (GitHub resolves `file=` against the repository root), e.g. `"site/"`.
   */
  pathPrefix?: string;
}

/** Escape a command's message, as the toolkit's `escapeData`. */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escape a command property value, as the toolkit's `escapeProperty`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(finding: Finding, properties: Array<[string, string | number | undefined]>): string {
  const props = properties
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== "")
    .map(([key, value]) => `${key}=${escapeProperty(sanitizeText(String(value)))}`)
    .join(",");
  return `::${finding.severity}${props ? ` ${props}` : ""}::${escapeData(sanitizeText(finding.message))}`;
}

function toPath(path: string, prefix: string): string {
  return prefix + path.replace(/\\/g, "/").replace(/^\.\//, "");
}

/**
 * One workflow command per finding (link findings with `line` and `col`,
 * page findings with the file only), each line ending in `\n`; `""` when
 * there are no findings.
 */
export function formatGithubAnnotations(report: Report, options: GithubAnnotationOptions = {}): string {
  const prefix = options.pathPrefix ?? "";
  const lines: string[] = [];
  for (const page of report.pages) {
    for (const finding of page.findings) {
      lines.push(
        command(finding, [
          ["file", toPath(page.input, prefix)],
          ["title", `amazon-links (${finding.rule})`],
        ]),
      );
    }
  }
  for (const link of report.links) {
    for (const finding of link.findings) {
      lines.push(
        command(finding, [
          ["file", toPath(link.input, prefix)],
          ["line", link.line > 0 ? link.line : undefined],
          ["col", link.column > 0 ? link.column : undefined],
          ["title", `amazon-links (${finding.rule})`],
        ]),
      );
    }
  }
  return lines.map((line) => `${line}\n`).join("");
}
