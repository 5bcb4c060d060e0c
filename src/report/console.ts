/**
 * The console report: each finding as `path:line:column  severity  message
 * rule`, like vfile-reporter and eslint, so terminals and editors make the
 * location clickable, then one summary line. One line per place to fix
 * (grouped-findings.ts), errors first.
 */
import pc from "picocolors";
import type { Finding } from "../rules/rule-ids.js";
import { groupFindings, pagesNote } from "./grouped-findings.js";
import { sanitizeText } from "./sanitize.js";
import type { Report } from "../results.js";

export interface ConsoleFormatOptions {
  /** Only error findings. */
  quiet?: boolean;
  /** Also list every link, not only findings. */
  verbose?: boolean;
  /** Colours (default: picocolors' detection, which honours NO_COLOR and TTY). */
  colors?: boolean;
}

interface Line {
  where: string;
  severity: Finding["severity"] | "info";
  message: string;
  rule: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function formatSummaryLine(report: Report): string {
  const s = report.summary;
  const parts = [
    `${plural(s.links, "Amazon link")} on ${plural(s.pages, "page")}`,
    `${plural(s.asins, "ASIN")}`,
    s.stores.length ? `stores: ${s.stores.join(", ")}` : "no stores",
  ];
  const checked = s.live + s.dead + s.unverified;
  if (checked > 0) {
    const time = report.checking
      ? ` (checked in ${(report.checking.ms / 1000).toFixed(1)} s, ${report.checking.fromLockfile} from the lockfile)`
      : "";
    parts.push(`${s.live} live, ${s.dead} dead, ${s.unverified} unverified${time}`);
  }
  parts.push(`${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}`);
  return parts.join(" · ");
}

export function formatConsoleReport(report: Report, options: ConsoleFormatOptions = {}): string {
  const c = pc.createColors(options.colors ?? pc.isColorSupported);
  const lines: Line[] = groupFindings(report, { verbose: options.verbose }).map((f) => ({
    where: f.where,
    severity: f.severity,
    message: `${f.message}${pagesNote(f)}`,
    rule: f.rule,
  }));
  if (options.verbose) {
    for (const link of report.links) {
      if (link.findings.length === 0)
        lines.push({
          where: `${link.input}:${link.line}:${link.column}`,
          severity: "info",
          message: `${link.href} (${link.status})`,
          rule: "",
        });
    }
  }
  const shown = lines.filter((l) => !options.quiet || l.severity === "error");
  const whereWidth = Math.min(60, Math.max(0, ...shown.map((l) => l.where.length)));
  const out = shown.map((l) => {
    const severity = l.severity === "error" ? c.red("error  ") : l.severity === "warning" ? c.yellow("warning") : c.dim("info   ");
    // Paths, URLs, titles and Amazon's words: no escape sequences, no line breaks, no workflow commands.
    return `${c.dim(sanitizeText(l.where).padEnd(whereWidth))}  ${severity}  ${sanitizeText(l.message)}  ${c.dim(l.rule)}`.trimEnd();
  });
  const summary = formatSummaryLine(report);
  const colouredSummary = report.summary.errors > 0 ? c.red(summary) : report.summary.warnings > 0 ? c.yellow(summary) : c.green(summary);
  return [...out, colouredSummary].join("\n");
}
