/**
 * The localization script, Node side: resolve the `localize` option, build
 * the per-site config, and hand the Eleventy plugin what to put in pages and
 * files. The browser code itself is src/client/localize.ts, built by
 * scripts/build-client.mjs into dist/client/.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { escapeAttributeValue } from "../html/attributes.js";
import { jsonForScript } from "../html/script-json.js";
import { buildClientConfig, type ClientConfig } from "./config.js";
import { injectBeforeBodyEnd } from "./inject.js";
import type { ResolvedLocalize } from "./options.js";

export { resolveLocalizeOptions } from "./options.js";
export type { LocalizeOptions, ResolvedLocalize } from "./options.js";
export type { ClientConfig } from "./config.js";

export interface LocalizeSetup {
  /**
   * Insert the script (or script tag) into one page, just before the last
   * `</body>` (else `</head>`, else at the end). Pages without a marked Amazon
   * link (`data-amazon-store`) and pages that already carry it are returned
   * unchanged, so it is idempotent and safe to call on every page.
   */
  injectIntoPage(html: string): string;
  /** Files to write into the output dir (file mode), paths relative to the output dir. */
  files: Array<{ path: string; contents: string }>;
  /** CSP hash of the inline script, e.g. "sha256-…", for the report (inline mode only). */
  sha256?: string;
  /** The exact HTML inserted into pages. */
  html: string;
  /** The config the script carries (for the report and tests). */
  config: ClientConfig;
}

export interface LocalizeContext {
  /** Eleventy's pathPrefix, for the file mode's `<script src>` (default "/"). */
  pathPrefix?: string;
  /** The minified browser code (tests, scripts); default: read from dist/client/. */
  clientCode?: (geo: boolean) => string;
}

/** Replaced by the site's config in the built browser code. */
export const CONFIG_PLACEHOLDER = "__AMAZON_LINKS_CONFIG__";

const clientFiles = {
  plain: new URL("../../dist/client/localize.min.js", import.meta.url),
  geo: new URL("../../dist/client/localize-geo.min.js", import.meta.url),
};
const clientCache = new Map<boolean, string>();

function readClientCode(geo: boolean): string {
  let code = clientCache.get(geo);
  if (code === undefined) {
    const file = geo ? clientFiles.geo : clientFiles.plain;
    try {
      code = readFileSync(file, "utf8").trim();
    } catch (cause) {
      throw new Error(
        `[amazon-links] localize: the browser script ${file.pathname} is missing. Build it with \`npm run build:client\` (part of \`npm run build\`).`,
        { cause },
      );
    }
    clientCache.set(geo, code);
  }
  return code;
}

function normalizePrefix(prefix: string | undefined): string {
  if (!prefix || prefix === "/") return "/";
  return `/${prefix.replace(/^\/+|\/+$/g, "")}/`;
}

/** The script for resolved settings (`resolveLocalizeOptions`, or `localizeSettingsFor` with the plugin's options). */
export function createLocalize(settings: ResolvedLocalize, context: LocalizeContext = {}): LocalizeSetup {
  const config = buildClientConfig(settings);
  const code = (context.clientCode ?? readClientCode)(settings.geo !== undefined);
  if (code.split(CONFIG_PLACEHOLDER).length !== 2) {
    throw new Error("[amazon-links] localize: the browser script does not contain its config placeholder exactly once; rebuild it.");
  }
  const json = jsonForScript(config);
  const script = code.replace(CONFIG_PLACEHOLDER, () => json);
  const nonce = settings.nonce === undefined ? "" : ` nonce="${escapeAttributeValue(settings.nonce)}"`;

  let html: string;
  let sha256: string | undefined;
  const files: LocalizeSetup["files"] = [];
  if (settings.script === "file") {
    const contents = `${script}\n`;
    const hash = createHash("sha256").update(contents).digest("hex").slice(0, 10);
    const path = `amazon-links.${hash}.js`;
    files.push({ path, contents });
    html = `<script src="${escapeAttributeValue(normalizePrefix(context.pathPrefix) + path)}" defer${nonce}></script>`;
  } else {
    sha256 = `sha256-${createHash("sha256").update(script, "utf8").digest("base64")}`;
    html = `<script${nonce}>${script}</script>`;
  }

  return {
    injectIntoPage: (page: string) => (page.includes("data-amazon-store") && !page.includes(html) ? injectBeforeBodyEnd(page, html) : page),
    files,
    ...(sha256 ? { sha256 } : {}),
    html,
    config,
  };
}
