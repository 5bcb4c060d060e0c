/**
 * GitHub Actions workflow commands: one `::error` / `::warning` line per
 * finding, so findings in source files show on the pull request's diff. Escaping follows
 * @actions/core (toolkit `command.ts`): data escapes `%`, `\r`, `\n`;
 * properties additionally escape `:` and `,`. Values are sanitised first
 * (escape sequences and other control characters removed, see sanitize.ts).
 */
import type { Finding } from "../rules/rule-ids.js";
import { groupFindings, pagesNote } from "./grouped-findings.js";
import { sanitizeText } from "./sanitize.js";
import type { Report } from "../results.js";

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

function command(finding: Pick<Finding, "severity" | "message">, properties: Array<[string, string | number | undefined]>): string {
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
 * One workflow command per finding as the console groups them (grouped-findings.ts), each line ending in
 * `\n`; `""` when there are no findings. Only source files get `file`, `line` and `col`: a built file is
 * not in the repository, so GitHub could not place it on a diff; those findings are annotations of the
 * run, their place in the message.
 */
export function formatGithubAnnotations(report: Report, options: GithubAnnotationOptions = {}): string {
  const prefix = options.pathPrefix ?? "";
  const lines: string[] = [];
  for (const finding of groupFindings(report)) {
    const title: [string, string] = ["title", `amazon-links (${finding.rule})`];
    const message = `${finding.message}${pagesNote(finding)}`;
    const { source } = finding;
    lines.push(
      source
        ? command({ severity: finding.severity, message }, [
            ["file", toPath(source.file, prefix)],
            ["line", source.line && source.line > 0 ? source.line : undefined],
            ["col", source.column && source.column > 0 ? source.column : undefined],
            title,
          ])
        : command({ severity: finding.severity, message: `${finding.where}: ${message}` }, [title]),
    );
  }
  return lines.map((line) => `${line}\n`).join("");
}
