/**
 * User options → validated, resolved settings. Pure: bad input throws an
 * AmazonLinksOptionError whose message names the option and says what to do.
 */
import { defaultKeepParams } from "../amazon/format.js";
import { marketplaceByCode, marketplaces } from "../amazon/stores.js";
import { AmazonLinksOptionError, isPlainObject } from "./option-error.js";
import { defaultSeverities, isRuleId, ruleIds, type RuleId, type Severity } from "./rule-ids.js";

export { AmazonLinksOptionError } from "./option-error.js";

export interface ReportOptions {
  /** Where the JSON report is written (default `.amazon-links/report.json`); `false` for none. */
  json?: string | false;
  /** Where the standalone HTML report page is written (default `.amazon-links/report.html`); `false` for none. */
  html?: string | false;
  /** Where a SARIF 2.1.0 log is written for code scanning (default none). */
  sarif?: string | false;
  /** GitHub Actions annotations: `"auto"` (default: when GITHUB_ACTIONS=true), `true` or `false`. */
  github?: boolean | "auto";
}

/** The options the rules read (the plugin's full options type is AmazonLinksOptions in src/options.ts). */
export interface RuleOptions {
  /** Store code → Associates tag, or a list of tags: the first is written, all are "ours". */
  tags?: Record<string, string | readonly string[]>;
  /** Severity per rule id: `"error"`, `"warning"` or `"off"`. */
  rules?: Partial<Record<RuleId, Severity>>;
  /** rel tokens added to affiliate links (default `["sponsored", "noopener"]`); `false` leaves rel alone. */
  rel?: string | readonly string[] | false;
  /** Query parameters kept on product links (default `["language", "currency"]`). */
  keepParams?: readonly string[];
  /** Add `data-amazon-asin` / `data-amazon-store` to rewritten links (default true). */
  dataAttributes?: boolean;
  /** Report files; `false` writes none. */
  report?: ReportOptions | false;
  /** Print nothing but errors. */
  quiet?: boolean;
  /** Print every link, not only findings. */
  verbose?: boolean;
  /** Fail `eleventy build` when an error finding exists (default true). */
  failOnError?: boolean;
  /** `target` written on tagged links that have none (e.g. "_blank"); default none. */
  target?: string | false;
  /** Disclosure a page with affiliate links must show, as text (case and spacing ignored) or a RegExp; turns on missing-disclosure. */
  disclosure?: string | RegExp | false;
  /** Output paths (globs, relative to the output directory) to process; default all. */
  include?: readonly string[];
  /** Output paths (globs) to leave alone. */
  exclude?: readonly string[];
  /** Only touch links to these stores; links to others are left as they are and not reported. */
  stores?: readonly string[];
}

export interface ResolvedOptions {
  /** Store code → tags, first is the one written. */
  readonly tags: ReadonlyMap<string, readonly string[]>;
  readonly severities: Readonly<Record<RuleId, Severity>>;
  readonly rel: readonly string[] | false;
  readonly keepParams: readonly string[];
  readonly dataAttributes: boolean;
  readonly report: {
    readonly json: string | false;
    readonly html: string | false;
    readonly sarif: string | false;
    readonly github: boolean | "auto";
  };
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly failOnError: boolean;
  readonly target: string | undefined;
  /** Tests a page's visible text for the disclosure; undefined when the rule has nothing to look for. */
  readonly disclosure: ((text: string) => boolean) | undefined;
  readonly include: readonly string[] | undefined;
  readonly exclude: readonly string[];
  readonly stores: readonly string[] | undefined;
}

const TAG_SHAPE = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;
const REL_TOKEN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const KNOWN_KEYS = new Set([
  "tags",
  "rules",
  "rel",
  "keepParams",
  "dataAttributes",
  "report",
  "quiet",
  "verbose",
  "failOnError",
  // Options read by later parts; accepted here so one options object serves plugin, CLI and checkers.
  "check",
  "localize",
  "disclosure",
  "include",
  "exclude",
  "stores",
  "target",
]);
const STORE_HINTS: Record<string, string> = { gb: "uk", com: "us", usa: "us", japan: "jp", deu: "de", ger: "de" };

function fail(message: string): never {
  throw new AmazonLinksOptionError(`[amazon-links] ${message}`);
}

function resolveTags(tags: unknown): Map<string, readonly string[]> {
  const resolved = new Map<string, readonly string[]>();
  if (tags === undefined) return resolved;
  if (!isPlainObject(tags)) fail(`option "tags" must be an object of store code → tag, e.g. { us: "mysite-20" }.`);
  for (const [rawCode, value] of Object.entries(tags)) {
    const code = rawCode.toLowerCase();
    if (!marketplaceByCode(code)) {
      const hint = STORE_HINTS[code] ? ` Did you mean "${STORE_HINTS[code]}"?` : "";
      fail(`option "tags.${rawCode}": unknown store code.${hint} Known stores: ${marketplaces.map((m) => m.code).join(", ")}.`);
    }
    const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : undefined;
    if (!list || list.length === 0) fail(`option "tags.${rawCode}" must be a tag string or a non-empty list of tags.`);
    for (const tag of list) {
      if (typeof tag !== "string" || !TAG_SHAPE.test(tag)) {
        fail(
          `option "tags.${rawCode}": ${JSON.stringify(tag)} is not an Associates tag (letters, digits and hyphens only, e.g. "mysite-20"). Copy it from your Associates Central account.`,
        );
      }
    }
    resolved.set(code, Object.freeze([...new Set(list as string[])]));
  }
  return resolved;
}

function resolveSeverities(rules: unknown): Record<RuleId, Severity> {
  const severities = { ...defaultSeverities };
  if (rules === undefined) return severities;
  if (!isPlainObject(rules)) fail(`option "rules" must be an object of rule id → "error" | "warning" | "off".`);
  for (const [id, severity] of Object.entries(rules)) {
    if (!isRuleId(id)) fail(`option "rules": unknown rule id "${id}". Rule ids: ${ruleIds.join(", ")}.`);
    if (severity !== "error" && severity !== "warning" && severity !== "off") {
      fail(`option "rules.${id}": ${JSON.stringify(severity)} is not a severity; use "error", "warning" or "off".`);
    }
    severities[id] = severity;
  }
  return severities;
}

function resolveRel(rel: unknown): readonly string[] | false {
  if (rel === undefined) return ["sponsored", "noopener"];
  if (rel === false) return false;
  const tokens = typeof rel === "string" ? rel.split(/\s+/).filter(Boolean) : Array.isArray(rel) ? rel : undefined;
  if (!tokens || tokens.some((t) => typeof t !== "string" || !REL_TOKEN.test(t))) {
    fail(`option "rel" must be false, a string like "sponsored noopener" or a list of rel tokens.`);
  }
  return Object.freeze([...(tokens as string[])]);
}

function resolveStringList(name: string, value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === "")) {
    fail(`option "${name}" must be a list of strings.`);
  }
  return Object.freeze([...(value as string[])]);
}

function resolveTarget(value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value !== "string" || !/^[A-Za-z_][\w-]*$/.test(value))
    fail(`option "target" must be a browsing context name such as "_blank", or false.`);
  return value;
}

function resolveBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(`option "${name}" must be true or false.`);
  return value;
}

function reportPath(name: "json" | "html" | "sarif", value: unknown, fallback: string | false): string | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  if (typeof value !== "string" || value === "") fail(`option "report.${name}" must be a file path or false.`);
  return value;
}

function resolveReport(report: unknown): ResolvedOptions["report"] {
  if (report === undefined) report = {};
  if (report === false) return { json: false, html: false, sarif: false, github: false };
  if (!isPlainObject(report))
    fail(`option "report" must be false or an object like { json: "reports/amazon-links.json", html: "reports/amazon-links.html" }.`);
  for (const key of Object.keys(report)) {
    if (!["json", "html", "sarif", "github"].includes(key)) fail(`option "report.${key}" is unknown; use json, html, sarif or github.`);
  }
  const github = report.github ?? "auto";
  if (github !== true && github !== false && github !== "auto") fail(`option "report.github" must be true, false or "auto".`);
  return {
    json: reportPath("json", report.json, ".amazon-links/report.json"),
    html: reportPath("html", report.html, ".amazon-links/report.html"),
    sarif: reportPath("sarif", report.sarif, false),
    github,
  };
}

/** Setting `disclosure` switches missing-disclosure on (as an error) unless its severity was set explicitly. */
function withDisclosureDefault(severities: Record<RuleId, Severity>, options: Record<string, unknown>): Record<RuleId, Severity> {
  const explicit = isPlainObject(options.rules) && "missing-disclosure" in options.rules;
  if (options.disclosure && !explicit) severities["missing-disclosure"] = "error";
  return severities;
}

function normaliseSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

function resolveDisclosure(value: unknown): ((text: string) => boolean) | undefined {
  if (value === undefined || value === false) return undefined;
  if (value instanceof RegExp) {
    const pattern = new RegExp(value.source, value.flags.replace(/[gy]/g, ""));
    return (text) => pattern.test(text.replace(/\s+/g, " "));
  }
  if (typeof value === "string" && value.trim() !== "") {
    const needle = normaliseSpace(value);
    return (text) => normaliseSpace(text).includes(needle);
  }
  fail(
    `option "disclosure" must be the disclosure text (e.g. "As an Amazon Associate I earn from qualifying purchases."), a RegExp, or false.`,
  );
}

function resolveStores(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) fail(`option "stores" must be a non-empty list of store codes, e.g. ["us", "uk"].`);
  for (const code of value) {
    if (typeof code !== "string" || !marketplaceByCode(code.toLowerCase()))
      fail(`option "stores": unknown store code ${JSON.stringify(code)}.`);
  }
  return Object.freeze(value.map((c: string) => c.toLowerCase()));
}

export function resolveOptions(options: unknown = {}): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (!isPlainObject(options)) fail('options must be an object, e.g. { tags: { us: "mysite-20" } }.');
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown option "${key}". Known options: ${[...KNOWN_KEYS].join(", ")}.`);
  }
  return Object.freeze({
    tags: resolveTags(options.tags),
    severities: Object.freeze(withDisclosureDefault(resolveSeverities(options.rules), options)),
    rel: resolveRel(options.rel),
    keepParams: resolveStringList("keepParams", options.keepParams, defaultKeepParams),
    dataAttributes: resolveBoolean("dataAttributes", options.dataAttributes, true),
    report: Object.freeze(resolveReport(options.report)),
    quiet: resolveBoolean("quiet", options.quiet, false),
    verbose: resolveBoolean("verbose", options.verbose, false),
    failOnError: resolveBoolean("failOnError", options.failOnError, true),
    target: resolveTarget(options.target),
    disclosure: resolveDisclosure(options.disclosure),
    include: options.include === undefined ? undefined : resolveStringList("include", options.include, []),
    exclude: resolveStringList("exclude", options.exclude, []),
    stores: resolveStores(options.stores),
  });
}
