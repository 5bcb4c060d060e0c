#!/usr/bin/env node
/**
 * amazon-links: audit any built site's Amazon links, and keep the lockfile fresh.
 * Exit codes: 0 clean, 1 error findings, 2 usage or configuration error.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CheckRunError, LockfileError } from "../check/errors.js";
import { AmazonLinksOptionError, resolveOptions, type ResolvedOptions } from "../rules/options.js";
import { buildReport } from "../report/build-report.js";
import { formatConsoleReport } from "../report/console.js";
import { sanitizeText } from "../report/sanitize.js";
import { formatGithubAnnotations } from "../report/github.js";
import { serializeReport } from "../report/write-json.js";
import type { AmazonLinksOptions } from "../options.js";
import type { Report } from "../results.js";
import { writeReports, type ReportPaths } from "../report/write-reports.js";
import { auditSite } from "./audit-site.js";
import { AmazonLinksConfigError, CONFIG_NAMES, loadConfigFile } from "../config-file.js";
import { UsageError } from "./usage-error.js";

const HELP = `amazon-links — audit or rewrite the Amazon links of a built site

Usage:
  amazon-links check <built-site-dir> [options]   audit every page and feed under <dir>
  amazon-links rewrite <built-site-dir> [options] rewrite them in place, as the Eleventy plugin does
  amazon-links refresh [--stale] [options]        re-check every product in the lockfile
  amazon-links --help | --version

check judges the site as it ships: a link without one of your tags is an
untagged error, one with another Associate's tag a foreign-tag error (unless
you set that rule's severity), and each report's href is the href in the file.
Locations are printed as output-file:line:column. check never modifies the site.

rewrite gives any generator's output (Hugo, Jekyll, Astro, Next.js export,
MkDocs) what the Eleventy plugin gives Eleventy's: clean tagged links, rel,
data attributes, the localization script, feeds, reports (the config's report
paths), and exit 1 on errors. Files are written atomically and only when they
change; a second run changes nothing.

Options:
  --config <file>        options file (default: amazon-links.config.js, .mjs, .cjs
                         or .json in the current directory); the plugin's options
  --tag <store=tag>      an Associates tag, e.g. --tag us=mysite-20 (repeatable;
                         adds to the config file's tags)
  --rule <rule=severity> e.g. --rule foreign-tag=error (repeatable)
  --format <text|json|github>
                         text (default): findings and a summary line
                         json: the version 1 JSON report on stdout
                         github: GitHub Actions annotations, then the summary
  --json <path>          also write the JSON report to <path>
  --report <path>        also write the standalone HTML report page to <path>
  --sarif <path>         also write a SARIF 2.1.0 log (GitHub code scanning)
  --check <page|creators|lockfile|off>
                         how products are checked (default: the config's check.via,
                         else page); lockfile = no network, off = no checks
  --lockfile <path>      lockfile path (default: amazon-links.lock.json beside
                         the config file)
  --dry-run              rewrite: show what would change; write nothing
  --path-prefix <path>   rewrite: the site's URL prefix, for the script file's
                         src in localize file mode (default /)
  --stale                refresh: only entries older than check.maxAge
                         (refresh names the pages linking to a dead product
                         from the last build's JSON report: report.json, or --json)
  --quiet                print only errors
  --verbose              also list links without findings
  -h, --help             show this help
  -v, --version          print the version

Exit codes: 0 no error findings, 1 error findings (refresh: dead products),
            2 usage or configuration error.

Creators API credentials (check.via "creators") come from the environment:
  AMAZON_CREATORS_CREDENTIAL_ID, AMAZON_CREATORS_CREDENTIAL_SECRET
  (and AMAZON_CREATORS_CREDENTIAL_VERSION), or one per region with the
  suffixes _NA, _EU, _FE (e.g. AMAZON_CREATORS_CREDENTIAL_ID_EU).

Examples:
  amazon-links check _site --tag us=mysite-20 --tag uk=mysite-21
  amazon-links check public --config amazon-links.config.json --format github
  hugo && amazon-links rewrite public
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function pairs(values: string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((value) => {
    const at = value.indexOf("=");
    if (at <= 0 || at === value.length - 1) throw new UsageError(`${flag} takes key=value, got "${value}".`);
    return [value.slice(0, at), value.slice(at + 1)];
  });
}

const VIA: Record<string, string | false> = { page: "page", creators: "creators", lockfile: "lockfile", off: false };

/** Options from the config file, with flags layered on top. */
async function loadOptions(values: Record<string, unknown>, cwd: string, mode: "check" | "rewrite" | "refresh") {
  const config = await loadConfigFile(values.config as string | undefined, cwd);
  // Said on stderr (stdout is the findings), and not with --quiet or --format json (machine output only).
  if (!values.quiet && values.format !== "json") process.stderr.write(`amazon-links: ${describeConfig(config.path, cwd)}\n`);
  const user = { ...config.options };
  const tags = { ...((user.tags as Record<string, unknown>) ?? {}) };
  for (const [store, tag] of pairs(values.tag as string[] | undefined, "--tag")) tags[store] = tag;
  const rules = { ...((user.rules as Record<string, unknown>) ?? {}) };
  // What ships with another Associate's tag earns them, not you: an error when judging a built site.
  if (mode === "check" && !("foreign-tag" in rules)) rules["foreign-tag"] = "error";
  for (const [rule, severity] of pairs(values.rule as string[] | undefined, "--rule")) rules[rule] = severity;
  if (values.quiet) user.quiet = true;
  if (values.verbose) user.verbose = true;
  const options = resolveOptions({ ...user, tags, rules });

  const check: Record<string, unknown> = user.check === false ? { via: false } : { ...((user.check as Record<string, unknown>) ?? {}) };
  if (typeof values.check === "string") {
    if (!(values.check in VIA)) throw new UsageError(`--check must be page, creators, lockfile or off, got "${values.check}".`);
    check.via = VIA[values.check];
  }
  if (typeof values.lockfile === "string") check.lockfile = resolve(cwd, values.lockfile);
  return { options, check, configDir: config.dir, user: { ...user, tags, rules } as AmazonLinksOptions };
}

async function createCheckerFor(check: Record<string, unknown>, configDir: string, options: ResolvedOptions) {
  const { createChecker, checkSettingsAtStart, lockCacheDir } = await import("../check/index.js");
  if (checkSettingsAtStart(check, configDir).via === false) return undefined;
  const { progressPrinter } = await import("../report/progress.js");
  const cacheDir = lockCacheDir(configDir);
  return createChecker(check, {
    configDir,
    tags: options.tags,
    ...(cacheDir ? { cacheDir } : {}),
    ...(options.quiet ? {} : { onProgress: progressPrinter() }),
  });
}

async function checkCommand(dir: string | undefined, values: Record<string, unknown>, cwd: string): Promise<number> {
  if (!dir) throw new UsageError("check needs the built site's directory, e.g. amazon-links check _site");
  const format = outputFormat(values);
  const { options, check, configDir } = await loadOptions(values, cwd, "check");
  const checker = await createCheckerFor(check, configDir, options);

  const site = resolve(cwd, dir);
  const audit = await auditSite(site, options, cwd, checker).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR")
      throw new UsageError(`${dir} does not exist: give the built site's directory (or one page).`);
    if (error.code === "EACCES" || error.code === "EPERM") throw new UsageError(`${dir} cannot be read (permission denied).`);
    throw error;
  });
  for (const skip of audit.skipped) process.stderr.write(`amazon-links: skipped ${sanitizeText(skip.path)}: ${skip.reason}\n`);
  if (audit.files === 0 && audit.skipped.length === 0) {
    process.stderr.write(
      `amazon-links: no pages or feeds (.html, .htm, .xml, .rss, .atom, .json) in ${sanitizeText(dir)}: is it the built site's directory?\n`,
    );
  }
  await checker?.flush();
  const report = buildReport(audit.pages, audit.links);

  await writeReports(report, reportPaths(values, false), cwd);
  printReport(report, format, options, [`${audit.files} file${audit.files === 1 ? "" : "s"} read`]);
  return report.summary.errors > 0 ? 1 : 0;
}

/** Report files from flags; `defaults` (the config's report paths) where a flag is not given. */
function reportPaths(values: Record<string, unknown>, defaults: ReportPaths | false): ReportPaths {
  const flag = (name: string, fallback: string | false | undefined) =>
    typeof values[name] === "string" ? (values[name] as string) : (fallback ?? false);
  const base = defaults || {};
  return { json: flag("json", base.json), html: flag("report", base.html), sarif: flag("sarif", base.sarif) };
}

function outputFormat(values: Record<string, unknown>): string {
  const format = (values.format as string | undefined) ?? "text";
  if (!["text", "json", "github"].includes(format)) throw new UsageError(`--format must be text, json or github, got "${format}".`);
  return format;
}

function printReport(report: Report, format: string, options: ResolvedOptions, tail: string[], before: string[] = []): void {
  if (format === "json") {
    process.stdout.write(serializeReport(report));
    return;
  }
  if (format === "github") process.stdout.write(formatGithubAnnotations(report));
  const text = formatConsoleReport(report, { quiet: options.quiet, verbose: options.verbose });
  process.stdout.write(`${[...before, [text, ...tail].join(" · ")].join("\n")}\n`);
}

async function rewriteCommand(dir: string | undefined, values: Record<string, unknown>, cwd: string): Promise<number> {
  if (!dir) throw new UsageError("rewrite needs the built site's directory, e.g. amazon-links rewrite public");
  const format = outputFormat(values);
  const { options, check, configDir, user } = await loadOptions(values, cwd, "rewrite");
  const dryRun = values["dry-run"] === true;
  const site = resolve(cwd, dir);
  const reports = dryRun ? {} : reportPaths(values, options.report);
  for (const path of [reports.json, reports.html, reports.sarif]) {
    if (path && isInside(resolve(cwd, path), site)) {
      throw new UsageError(
        `the report ${path} would be written inside ${dir} and published with the site. Run from the project root, or pass --json/--report paths outside ${dir}.`,
      );
    }
  }
  const checker = await createCheckerFor(check, configDir, options);
  const { rewriteSite } = await import("./rewrite-site.js");
  const pathPrefix = typeof values["path-prefix"] === "string" ? values["path-prefix"] : "/";
  const rewrite = await rewriteSite({ dir, cwd, options, userOptions: user, checker, pathPrefix, dryRun }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") throw new UsageError(`${dir} is not a directory.`);
      throw error;
    },
  );
  // A dry run writes nothing, the lockfile included.
  if (!dryRun) await checker?.flush();
  const report: Report = {
    ...buildReport(rewrite.pages, rewrite.links),
    ...(rewrite.localize ? { localize: rewrite.localize } : {}),
  };
  await writeReports(report, reports, cwd);

  const changes: string[] = [];
  if (dryRun && format !== "json") {
    for (const file of rewrite.changed) {
      const what = [
        file.hrefs.length ? `${file.hrefs.length} href${file.hrefs.length === 1 ? "" : "s"}` : "attributes",
        ...(file.script ? ["script"] : []),
      ];
      changes.push(`would rewrite ${file.path} (${what.join(", ")})`);
      for (const [from, to] of file.hrefs) changes.push(`  ${from} → ${to}`);
    }
  }
  for (const path of rewrite.skipped) process.stderr.write(`amazon-links: ${path} is not valid UTF-8; left as it is.\n`);
  const count = `${rewrite.changed.length} file${rewrite.changed.length === 1 ? "" : "s"}`;
  printReport(
    report,
    format,
    options,
    [
      `${rewrite.files} file${rewrite.files === 1 ? "" : "s"} read`,
      dryRun ? `${count} would change (dry run: nothing written)` : `${count} rewritten`,
    ],
    changes,
  );
  return report.summary.errors > 0 && options.failOnError ? 1 : 0;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** Where each product is linked, from the last build's JSON report (if there is one): "us:B0…" → locations. */
async function usesFromReport(path: string): Promise<Map<string, string[]> | undefined> {
  const { readFile } = await import("node:fs/promises");
  let report: { links?: Array<{ asin?: string; marketplace?: string; input?: string; line?: number; column?: number }> };
  try {
    report = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  const uses = new Map<string, string[]>();
  for (const link of report.links ?? []) {
    if (!link.asin || !link.marketplace) continue;
    const key = `${link.marketplace}:${link.asin}`;
    uses.set(key, [...(uses.get(key) ?? []), `${link.input}:${link.line}:${link.column}`]);
  }
  return uses;
}

async function refreshCommand(values: Record<string, unknown>, cwd: string): Promise<number> {
  const { options, check, configDir } = await loadOptions(values, cwd, "refresh");
  if (check.via === false || check.via === "lockfile")
    throw new UsageError("refresh asks the network: use --check page or --check creators.");
  const checker = await createCheckerFor(check, configDir, options);
  if (!checker) throw new UsageError("checking is off in the config (check: false); nothing to refresh.");
  if (checker.options.lockfile === false) throw new UsageError("refresh needs a lockfile (check.lockfile is false).");
  const reportPath = resolve(configDir, typeof values.json === "string" ? values.json : options.report.json || ".amazon-links/report.json");
  const uses = await usesFromReport(reportPath);
  const entries = await checker.lockEntries();
  const items = Object.keys(entries).map((key) => {
    const [marketplace = "", asin = ""] = key.split(":");
    return { marketplace, asin };
  });
  const before = Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, e.status]));
  // --stale: the normal rules (fresh entries are answered from the lockfile); otherwise ask again for every entry.
  const results = await checker.check(items, { force: !values.stale });
  const { written, path } = await checker.flush();
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const where = (key: string) => {
    const places = uses?.get(key);
    return places?.length
      ? `  linked from ${places.slice(0, 5).join(", ")}${places.length > 5 ? ` and ${places.length - 5} more` : ""}`
      : "";
  };
  const lines = results
    .filter((r) => r.status === "dead" || (!r.fromLockfile && r.status !== before[`${r.marketplace}:${r.asin}`]))
    .map((r) => {
      const key = `${r.marketplace}:${r.asin}`;
      return `${key}  ${before[key]} → ${r.status}${r.reason ? `  (${r.reason})` : ""}${where(key)}`;
    });
  const asked = results.filter((r) => !r.fromLockfile).length;
  // With a report, only products the site still links to fail the run; without one, every lockfile entry counts.
  const deadInUse = results.filter((r) => r.status === "dead" && (!uses || uses.has(`${r.marketplace}:${r.asin}`))).length;
  process.stdout.write(
    [
      ...lines,
      `${items.length} lockfile entries · ${asked} asked · ${count("live")} live, ${count("dead")} dead, ${count("unverified")} unverified · ${written ? `wrote ${path}` : "lockfile unchanged"}`,
    ].join("\n") + "\n",
  );
  return deadInUse > 0 ? 1 : 0;
}

export async function main(argv: string[], cwd = process.cwd()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string" },
        tag: { type: "string", multiple: true },
        rule: { type: "string", multiple: true },
        format: { type: "string" },
        json: { type: "string" },
        report: { type: "string" },
        sarif: { type: "string" },
        check: { type: "string" },
        lockfile: { type: "string" },
        stale: { type: "boolean" },
        "dry-run": { type: "boolean" },
        "path-prefix": { type: "string" },
        quiet: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    process.stderr.write(`amazon-links: ${(error as Error).message}\nRun amazon-links --help for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  try {
    if (command === "check") return await checkCommand(rest[0], values, cwd);
    if (command === "rewrite") return await rewriteCommand(rest[0], values, cwd);
    if (command === "refresh") return await refreshCommand(values, cwd);
    if (command === undefined) {
      process.stderr.write(HELP);
      return 2;
    }
    throw new UsageError(`unknown command "${command}".`);
  } catch (error) {
    // Bad options and an unusable lockfile or run configuration are configuration errors: exit 2.
    if (
      error instanceof UsageError ||
      error instanceof AmazonLinksOptionError ||
      error instanceof AmazonLinksConfigError ||
      error instanceof LockfileError ||
      error instanceof CheckRunError
    ) {
      process.stderr.write(`amazon-links: ${error.message.replace(/^\[amazon-links\] /, "")}\nRun amazon-links --help for usage.\n`);
      return 2;
    }
    throw error;
  }
}

/** Which config file the options came from. */
function describeConfig(path: string | undefined, cwd: string): string {
  if (path) return `config ${relative(cwd, path) || path}`;
  const [first, ...others] = CONFIG_NAMES;
  const alternatives = others.map((name) => name.slice(name.lastIndexOf(".")));
  return `no config file (${first}, ${alternatives.slice(0, -1).join(", ")} or ${alternatives.at(-1)}) in ${cwd}; options from the command line only`;
}

// Run when executed as a program (not when imported by tests).
const invokedAs = process.argv[1] ? resolve(process.argv[1]) : "";
if (invokedAs.endsWith("/cli/main.js") || invokedAs.endsWith("/amazon-links")) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`amazon-links: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
